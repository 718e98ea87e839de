package netex

import "errors"

// runEx7Server is not ported yet.
func runEx7Server(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
