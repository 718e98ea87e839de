package netex

import "errors"

// runEx2Server is not ported yet.
func runEx2Server(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
