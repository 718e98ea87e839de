package netex

import "errors"

// runEx4Server is not ported yet.
func runEx4Server(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
