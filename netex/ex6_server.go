package netex

import "errors"

// runEx6Server is not ported yet.
func runEx6Server(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
