// Package repl owns the ionetsh shell: reading commands from a terminal, a
// script or -c, the command table with its help and completion, named
// sessions running netex examples, and the printer that shows their output.
// It owns the raw sessions of the boundary lab too: raw clients and raw
// listeners, whose connections the shell steers byte by byte (send -x,
// flood, pause, resume, shutdown, reset, close). It also owns standalone
// mode, ionetsh run NAME, which runs one example in the foreground as an
// ordinary process, and the bench command (in the shell and as ionetsh
// bench), which drives netex/loadgen against server sessions and reports
// what it measured.
package repl
