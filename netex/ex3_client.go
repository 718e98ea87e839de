package netex

import "errors"

// runEx3Client is not ported yet.
func runEx3Client(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
