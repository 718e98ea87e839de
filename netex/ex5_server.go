package netex

import "errors"

// runEx5Server is not ported yet.
func runEx5Server(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
