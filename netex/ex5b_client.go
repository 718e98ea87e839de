package netex

import "errors"

// runEx5bClient is not ported yet.
func runEx5bClient(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
