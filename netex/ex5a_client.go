package netex

import "errors"

// runEx5aClient is not ported yet.
func runEx5aClient(t *Thread) (bool, error) { return false, errors.New("not ported yet") }
