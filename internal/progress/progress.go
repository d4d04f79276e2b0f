package progress

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// Display is a live terminal display. Its methods are safe for concurrent use.
type Display struct {
	w     io.Writer
	width func() int
	now   func() time.Time
	label string

	mu       sync.Mutex
	total    int // items to work on
	done     int // items finished
	started  time.Time
	active   map[string]activeItem
	pending  []string // lines to print above the live area
	drawn    int      // lines of the live area on screen
	stopped  bool
	tick     *time.Ticker
	stopTick chan struct{}
}

type activeItem struct {
	stage  string
	detail string
	since  time.Time
}

// Options configure a Display.
type Options struct {
	// Label names the items ("documents").
	Label string
	// Width returns the terminal width; nil or 0 means 80.
	Width func() int
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Refresh is how often the display redraws by itself (for the clocks);
	// 0 is 200ms, negative disables the ticker (tests).
	Refresh time.Duration
}

// New starts a display on w for total items.
func New(w io.Writer, total int, o Options) *Display {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Label == "" {
		o.Label = "items"
	}
	d := &Display{w: w, width: o.Width, now: o.Now, label: o.Label, total: total, started: o.Now(), active: map[string]activeItem{}}
	if o.Refresh == 0 {
		o.Refresh = 200 * time.Millisecond
	}
	if o.Refresh > 0 {
		d.tick = time.NewTicker(o.Refresh)
		d.stopTick = make(chan struct{})
		go d.loop()
	}
	d.Redraw()
	return d
}

func (d *Display) loop() {
	for {
		select {
		case <-d.tick.C:
			d.Redraw()
		case <-d.stopTick:
			return
		}
	}
}

// SetStage shows item as active in stage. Stage changes are frequent, so they
// are drawn by the next tick rather than at once (with the ticker disabled,
// at once).
func (d *Display) SetStage(item, stage string) {
	d.mu.Lock()
	a, ok := d.active[item]
	if !ok {
		a.since = d.now()
	}
	if a.stage != stage {
		a.detail = ""
	}
	a.stage = stage
	d.active[item] = a
	d.mu.Unlock()
	if d.tick == nil {
		d.Redraw()
	}
}

// SetDetail shows detail (such as "120/472 terms") after an active item.
func (d *Display) SetDetail(item, detail string) {
	d.mu.Lock()
	if a, ok := d.active[item]; ok {
		a.detail = detail
		d.active[item] = a
	}
	d.mu.Unlock()
	if d.tick == nil {
		d.Redraw()
	}
}

// Finish removes item from the active ones, counts it as done, and prints
// line (when not empty) above the live area.
func (d *Display) Finish(item, line string) {
	d.mu.Lock()
	delete(d.active, item)
	d.done++
	if line != "" {
		d.pending = append(d.pending, line)
	}
	d.mu.Unlock()
	d.Redraw()
}

// Println prints line above the live area.
func (d *Display) Println(line string) {
	d.mu.Lock()
	d.pending = append(d.pending, line)
	d.mu.Unlock()
	d.Redraw()
}

// Stop draws the bar a last time, without the active items, and leaves it on
// screen; later output goes below it. Stop is idempotent.
func (d *Display) Stop() {
	d.mu.Lock()
	if d.stopped {
		d.mu.Unlock()
		return
	}
	d.active = map[string]activeItem{}
	d.mu.Unlock()
	if d.tick != nil {
		d.tick.Stop()
		close(d.stopTick)
	}
	d.Redraw()
	d.mu.Lock()
	d.stopped = true
	d.mu.Unlock()
}

// Redraw repaints the live area.
func (d *Display) Redraw() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		return
	}
	var b strings.Builder
	if d.drawn > 0 {
		fmt.Fprintf(&b, "\r\x1b[%dA", d.drawn)
	} else {
		b.WriteString("\r")
	}
	b.WriteString("\x1b[J")
	width := 80
	if d.width != nil {
		if w := d.width(); w > 0 {
			width = w
		}
	}
	for _, l := range d.pending {
		b.WriteString(l)
		b.WriteString("\n")
	}
	d.pending = d.pending[:0]
	lines := d.liveLines(width)
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
	}
	d.drawn = len(lines)
	io.WriteString(d.w, b.String())
}

func (d *Display) liveLines(width int) []string {
	now := d.now()
	elapsed := now.Sub(d.started)
	pct := 100
	if d.total > 0 {
		pct = d.done * 100 / d.total
	}
	eta := "ETA --"
	if d.done > 0 && d.done < d.total {
		left := time.Duration(float64(elapsed) / float64(d.done) * float64(d.total-d.done))
		eta = "ETA " + FormatDuration(left)
	} else if d.done >= d.total {
		eta = "done"
	}
	head := fmt.Sprintf(" %d/%d %s  %3d%%  %s  %s", d.done, d.total, d.label, pct, FormatDuration(elapsed), eta)
	barWidth := min(40, width-len(head)-3)
	var lines []string
	if barWidth >= 10 {
		fill := 0
		if d.total > 0 {
			fill = barWidth * d.done / d.total
		}
		lines = append(lines, "["+strings.Repeat("=", fill)+strings.Repeat(" ", barWidth-fill)+"]"+head)
	} else {
		lines = append(lines, truncate(strings.TrimSpace(head), width-1))
	}
	names := make([]string, 0, len(d.active))
	for n := range d.active {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := d.active[n]
		l := fmt.Sprintf("  %-9s %6s  %s", a.stage, FormatDuration(now.Sub(a.since)), n)
		if a.detail != "" {
			l += "  (" + a.detail + ")"
		}
		lines = append(lines, truncate(l, width-1))
	}
	return lines
}

// truncate cuts s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if n < 1 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// FormatDuration prints d as 1.0 did: 0.8s, 4.2s, 3m 5s, 1h 2m.
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm %ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
}
