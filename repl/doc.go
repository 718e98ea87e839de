// Package repl owns the ionetsh shell: reading commands from a terminal, a
// script or -c, the command table with its help and completion, named
// sessions running netex examples, and the printer that shows their output.
// It also owns standalone mode, ionetsh run NAME, which runs one example in
// the foreground as an ordinary process, and the bench command (in the shell
// and as ionetsh bench), which drives netex/loadgen against server sessions
// and reports what it measured.
package repl
