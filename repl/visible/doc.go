// Package visible owns the rule that no byte from a session, a network
// peer, a file or user input reaches the terminal raw. It renders text so
// that everything a terminal would act on shows as text instead: C0
// controls other than tab and newline, DEL, C1 controls and ESC as \xHH,
// bytes that are not valid UTF-8 as \xHH, and CR as \r. It also bounds
// how much of a long line or argument is shown.
package visible
