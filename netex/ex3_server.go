package netex

import "errors"

// runEx3Server is not ported yet.
func runEx3Server(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
