package netex

import "errors"

// runEx2Client is not ported yet.
func runEx2Client(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
