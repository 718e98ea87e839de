package netex

// setBacklog sets cfg's listen backlog, 0 leaving the tutorial's 5. It is
// apart so that the benchmarks can be run on code from before
// Config.Backlog, with this file replaced by a no-op.
func setBacklog(cfg *Config, backlog int) { cfg.Backlog = backlog }
