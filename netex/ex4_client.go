package netex

import "errors"

// runEx4Client is not ported yet.
func runEx4Client(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
