package repl

import (
	"fmt"
	"github.com/ionetsh/ionetsh/repl/visible"
	"strconv"
	"strings"
)

// sizeUnits are the suffixes a byte count may carry, longest first:
// KiB, MiB, GiB and K, M, G are powers of 1024; KB, MB, GB (toxiproxy's
// units) are powers of 1000. Case does not matter.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
}

// byteCount reads a byte count such as 4096, 100B, 100KB, 64MiB or
// 1.5GiB. It reports false for anything else, a negative count or one
// past 1 PiB.
func byteCount(s string) (int64, bool) {
	up := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(up, u.suffix) {
			up, mult = strings.TrimSuffix(up, u.suffix), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(up, 64)
	if err != nil || f < 0 || f*float64(mult) > 1<<50 {
		return 0, false
	}
	return int64(f * float64(mult)), true
}

// parseSize parses a byte count of at least one byte, such as 64MiB.
func parseSize(s string) (int64, error) {
	n, ok := byteCount(s)
	if !ok || n < 1 {
		return 0, fmt.Errorf("bad size %s: want e.g. 100KB, 64MiB or 1GiB", visible.Quote(s))
	}
	return n, nil
}

// sizeString shows a byte count in binary units, e.g. 64.0 MiB.
func sizeString(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
