package progress

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// screen replays the display's output on a tiny terminal model that knows
// "\r", "\n", cursor-up and clear-to-end: what a user would see.
func screen(out string) []string {
	var lines []string
	row := 0
	re := regexp.MustCompile(`^\x1b\[(\d*)([AJ])`)
	for i := 0; i < len(out); {
		if m := re.FindStringSubmatch(out[i:]); m != nil {
			if m[2] == "A" {
				n := 1
				if m[1] != "" {
					n = atoi(m[1])
				}
				row -= n
			} else {
				lines = lines[:row]
			}
			i += len(m[0])
			continue
		}
		switch out[i] {
		case '\r':
		case '\n':
			row++
		default:
			for len(lines) <= row {
				lines = append(lines, "")
			}
			lines[row] += out[i : i+1]
		}
		i++
	}
	return lines
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestDisplay(t *testing.T) {
	var buf bytes.Buffer
	c := &clock{t: time.Unix(1000, 0)}
	d := New(&buf, 4, Options{Label: "documents", Now: c.now, Refresh: -1, Width: func() int { return 100 }})
	d.SetStage("books/a.pdf", "parse")
	d.SetStage("books/b.epub", "parse")
	c.t = c.t.Add(2 * time.Second)
	d.SetStage("books/a.pdf", "classify")
	d.SetDetail("books/a.pdf", "3/9 terms")
	d.Finish("books/b.epub", "OK books/b.epub (12 terms, 2.0s)")
	got := screen(buf.String())
	want := []string{
		"OK books/b.epub (12 terms, 2.0s)",
		"[==========                              ] 1/4 documents   25%  2.0s  ETA 6.0s",
		"  classify    2.0s  books/a.pdf  (3/9 terms)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("screen:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	c.t = c.t.Add(time.Second)
	d.Finish("books/a.pdf", "FAIL books/a.pdf: parse: broken")
	d.Stop()
	d.Stop()
	got = screen(buf.String())
	if len(got) != 3 || got[1] != "FAIL books/a.pdf: parse: broken" || !strings.HasPrefix(got[2], "[====================") || !strings.Contains(got[2], "2/4 documents") {
		t.Errorf("final screen:\n%s", strings.Join(got, "\n"))
	}
}

func TestNarrowTerminal(t *testing.T) {
	var buf bytes.Buffer
	d := New(&buf, 2, Options{Refresh: -1, Width: func() int { return 20 }})
	d.SetStage("a/very/long/path/to/a/book.pdf", "extract")
	for _, l := range screen(buf.String()) {
		if n := len([]rune(l)); n > 19 {
			t.Errorf("line of %d runes on a 20-column terminal: %q", n, l)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond:        "0.8s", // 1.0's format: tenths below a minute
		4200 * time.Millisecond:       "4.2s",
		185 * time.Second:             "3m 5s",
		time.Hour + 2*time.Minute + 3: "1h 2m",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
