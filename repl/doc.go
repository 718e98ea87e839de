// Package repl owns the ionetsh shell: reading commands from a terminal, a
// script or -c, the command table with its help and completion, named
// sessions running netex examples, and the printer that shows their output.
// It also owns standalone mode, ionetsh run NAME, which runs one example in
// the foreground as an ordinary process.
package repl
