package loadgen

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/guptarohit/asciigraph"
)

// seriesMarks draw the series, so that they can be told apart with
// colour off; seriesColours colour them when it is on.
var (
	seriesMarks   = []string{"*", "o", "+", "x", "#", "@", "%", "="}
	seriesColours = []asciigraph.AnsiColor{asciigraph.Cyan, asciigraph.Green, asciigraph.Yellow,
		asciigraph.Magenta, asciigraph.Blue, asciigraph.Red, asciigraph.White, asciigraph.Olive}
)

// chartWidth and chartHeight size the plot area; with its axis labels a
// chart fits in 80 columns.
const (
	chartWidth  = 61
	chartHeight = 10
)

// Chart draws the rate against the client count, one series per target,
// one chart per mode (their rates count different things). A mode run at
// a single client count gets a one-line note instead, since a line needs
// two points.
func Chart(rows []Row, colour bool) string {
	var b strings.Builder
	for i, m := range modesOf(rows) {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(chartMode(rows, m, colour))
	}
	return b.String()
}

func modesOf(rows []Row) []Mode {
	var out []Mode
	for _, r := range rows {
		if !slices.Contains(out, r.Result.Config.Mode) {
			out = append(out, r.Result.Config.Mode)
		}
	}
	return out
}

// chartMode draws the chart of one mode's rows.
func chartMode(rows []Row, m Mode, colour bool) string {
	var targets []string
	var clients []int
	for _, r := range rows {
		if r.Result.Config.Mode != m {
			continue
		}
		if !slices.Contains(targets, r.Target) {
			targets = append(targets, r.Target)
		}
		if !slices.Contains(clients, r.Result.Config.Clients) {
			clients = append(clients, r.Result.Config.Clients)
		}
	}
	title := fmt.Sprintf("%s (%s) by clients", m.Unit(), m)
	if len(clients) < 2 {
		return fmt.Sprintf("%s: no chart for one client count\n", title)
	}
	data := make([][]float64, len(targets))
	for i := range data {
		data[i] = make([]float64, len(clients))
		for j := range data[i] {
			data[i][j] = math.NaN()
		}
	}
	for _, r := range rows {
		if r.Result.Config.Mode == m {
			data[slices.Index(targets, r.Target)][slices.Index(clients, r.Result.Config.Clients)] = r.Result.Rate()
		}
	}
	opts := []asciigraph.Option{
		asciigraph.Height(chartHeight), asciigraph.Width(chartWidth), asciigraph.LowerBound(0),
		asciigraph.YAxisValueFormatter(func(v float64) string { return fmt.Sprintf("%6s", FormatRate(v)) }),
		asciigraph.XAxisRange(0, float64(len(clients)-1)), asciigraph.XAxisTickCount(len(clients)),
		asciigraph.XAxisValueFormatter(func(v float64) string { return strconv.Itoa(clients[int(math.Round(v))]) }),
		asciigraph.SeriesChars(marks(len(targets))...),
	}
	if colour {
		opts = append(opts, asciigraph.SeriesColors(seriesColours[:min(len(targets), len(seriesColours))]...))
	}
	var b strings.Builder
	b.WriteString(title + "\n")
	b.WriteString(asciigraph.PlotMany(data, opts...))
	b.WriteString("\n" + legend(targets, colour) + "\n")
	return b.String()
}

// marks returns the character sets of n series.
func marks(n int) []asciigraph.CharSet {
	out := make([]asciigraph.CharSet, n)
	for i := range out {
		out[i] = asciigraph.CreateCharSet(seriesMarks[i%len(seriesMarks)])
	}
	return out
}

// legend pairs each series' mark with its target.
func legend(targets []string, colour bool) string {
	var parts []string
	for i, t := range targets {
		mark := seriesMarks[i%len(seriesMarks)]
		if colour {
			c := seriesColours[i%len(seriesColours)]
			mark = c.String() + mark + asciigraph.Default.String()
		}
		parts = append(parts, mark+" "+t)
	}
	return "  " + strings.Join(parts, "   ")
}
