package netex

import "errors"

// runEx8Server is not ported yet.
func runEx8Server(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
