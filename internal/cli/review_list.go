package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// listRow is one term of `review list`: the table's columns, and the same
// fields in --json and --csv.
type listRow struct {
	Term        string   `json:"term"`
	Decision    string   `json:"decision"` // pending, keep, remove or rename
	NewText     string   `json:"new_text,omitempty"`
	Franchise   string   `json:"franchise"` // the franchises that flagged it, "; "-joined
	Flag        string   `json:"ip_flag"`   // the machine form: blocklist:<franchise>
	Why         string   `json:"why"`
	Alternative string   `json:"alternative"`
	Sources     []string `json:"sources"`
	Page        int      `json:"page,omitempty"` // first page of the context sentence, when known
	Context     string   `json:"context"`
	Note        string   `json:"note,omitempty"`
}

// listJSON is `review list --json`: the rows with the counts the table's
// footer gives (the same as 'review apply' reports).
type listJSON struct {
	SchemaVersion string    `json:"schema_version"`
	Total         int       `json:"total"`
	Pending       int       `json:"pending"`
	Removed       int       `json:"removed"`
	Kept          int       `json:"kept"`
	Renamed       int       `json:"renamed"`
	Items         []listRow `json:"items"`
}

// queueCounts counts a queue's items by decision.
func queueCounts(q *ipreview.Queue) (pending, removed, kept, renamed int) {
	for _, it := range q.Items {
		switch {
		case it.Decision == nil:
			pending++
		case it.Decision.Action == ipreview.Remove:
			removed++
		case it.Decision.Action == ipreview.Keep:
			kept++
		case it.Decision.Action == ipreview.Rename:
			renamed++
		}
	}
	return
}

// countsLine is the one line list and apply both print about the queue.
func countsLine(q *ipreview.Queue) string {
	p, r, k, n := queueCounts(q)
	return fmt.Sprintf("review queue: %d terms: %d pending, %d removed, %d kept, %d renamed", len(q.Items), p, r, k, n)
}

// contextIndex finds each term's context sentence and page: in the master
// (the unredacted one when review keeps it), then in the vocab files the
// master was made from, for terms a removal took out of the master.
func contextIndex(dir string, want map[string]bool) map[string]vocab.Entry {
	out := map[string]vocab.Entry{}
	take := func(f *vocab.File) {
		for _, e := range f.Entries {
			k := termkey.Key(e.Canonical)
			if want[k] && out[k].Context == "" && e.Context != "" {
				out[k] = e
			}
		}
	}
	if f, err := vocab.UnredactedMaster(dir); err == nil {
		take(f)
	}
	if len(out) == len(want) {
		return out
	}
	if vocab.EachOriginal(dir, take) {
		return out
	}
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || len(out) == len(want) {
			return nil
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), vocab.Suffix) && d.Name() != vocab.MasterFile {
			if f, err := vocab.Read(path); err == nil {
				take(f)
			}
		}
		return nil
	})
	return out
}

// listRows turns queue items into rows.
func listRows(dir string, items []ipreview.QueueItem) []listRow {
	want := map[string]bool{}
	for _, it := range items {
		want[termkey.Key(it.Canonical)] = true
	}
	ctx := contextIndex(dir, want)
	rows := make([]listRow, 0, len(items))
	for _, it := range items {
		r := listRow{Term: it.Canonical, Decision: "pending", Flag: it.IPFlag, Alternative: it.Alternative, Sources: it.Sources}
		if r.Sources == nil {
			r.Sources = []string{}
		}
		if d := it.Decision; d != nil {
			r.Decision, r.NewText, r.Note = string(d.Action), d.NewText, d.Note
		}
		var fr, why []string
		seen := map[string]bool{}
		for _, m := range it.Matches {
			if !seen[m.Franchise] {
				seen[m.Franchise] = true
				fr = append(fr, m.Franchise)
			}
			if !seen["why:"+m.Why] {
				seen["why:"+m.Why] = true
				why = append(why, m.Why)
			}
		}
		r.Franchise, r.Why = strings.Join(fr, "; "), strings.Join(why, "; ")
		if r.Franchise == "" {
			r.Franchise = it.Reason
		}
		if e, ok := ctx[termkey.Key(it.Canonical)]; ok {
			r.Context = e.Context
			if len(e.Pages) > 0 {
				r.Page = e.Pages[0]
			}
			if len(r.Sources) == 0 && e.Source != "" {
				r.Sources = []string{e.Source}
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// termWidth is the width the table must fit: the terminal's, else
// COLUMNS, else 0 (no limit: a pipe or a file gets whole lines).
func termWidth(s *Streams) int {
	if f, ok := s.Out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	if c, err := strconv.Atoi(s.getenv("COLUMNS")); err == nil && c > 0 {
		return c
	}
	return 0
}

// truncate shortens s to at most n columns (runes), ending in "…".
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// renderTable writes rows as a table no wider than width (0: no limit).
// With showContext each row is followed by why it was flagged and its
// context sentence, indented, cut to the width.
func renderTable(rows []listRow, width int, showContext bool) string {
	head := []string{"TERM", "DECISION", "FRANCHISE", "ALTERNATIVE", "SOURCE"}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		dec := r.Decision
		if r.NewText != "" {
			dec += " -> " + r.NewText
		}
		alt := r.Alternative
		if alt == "" {
			alt = "-"
		}
		src := strings.Join(r.Sources, "; ")
		if r.Page > 0 {
			src += " p." + strconv.Itoa(r.Page)
		}
		cells[i] = []string{r.Term, dec, r.Franchise, alt, src}
	}
	widths := make([]int, len(head))
	for c := range head {
		widths[c] = utf8.RuneCountInString(head[c])
		for _, row := range cells {
			widths[c] = max(widths[c], utf8.RuneCountInString(row[c]))
		}
	}
	const gap = 2
	if width > 0 {
		// Shrink the widest columns first, never below a floor, until
		// the line fits; what is cut ends in "…".
		floor := []int{12, 8, 10, 6, 8}
		for {
			total := gap * (len(widths) - 1)
			for _, w := range widths {
				total += w
			}
			if total <= width {
				break
			}
			big := -1
			for c := range widths {
				if widths[c] > floor[c] && (big < 0 || widths[c] > widths[big]) {
					big = c
				}
			}
			if big < 0 {
				break
			}
			widths[big] = max(floor[big], widths[big]-(total-width))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		var l strings.Builder
		for c, v := range row {
			v = truncate(v, widths[c])
			l.WriteString(v)
			if c < len(row)-1 {
				l.WriteString(strings.Repeat(" ", widths[c]-utf8.RuneCountInString(v)+gap))
			}
		}
		s := strings.TrimRight(l.String(), " ")
		if width > 0 {
			s = truncate(s, width)
		}
		b.WriteString(s + "\n")
	}
	line(head)
	for i, row := range cells {
		line(row)
		if !showContext {
			continue
		}
		for _, extra := range []string{rows[i].Why, rows[i].Context} {
			if extra == "" {
				continue
			}
			if extra == rows[i].Context {
				extra = "“" + extra + "”"
			}
			c := "    " + extra
			if width > 0 {
				c = truncate(c, width)
			}
			b.WriteString(c + "\n")
		}
	}
	return b.String()
}

// renderCSV writes rows as CSV with a header, for a spreadsheet: fill in
// the decision (and new_text for a rename) and read it back with
// 'corpora review decide --from FILE'.
func renderCSV(rows []listRow) (string, error) {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"term", "decision", "new_text", "note", "franchise", "alternative", "sources", "page", "context"})
	for _, r := range rows {
		dec := r.Decision
		if dec == "pending" {
			dec = ""
		}
		page := ""
		if r.Page > 0 {
			page = strconv.Itoa(r.Page)
		}
		_ = w.Write([]string{r.Term, dec, r.NewText, r.Note, r.Franchise, r.Alternative, strings.Join(r.Sources, "; "), page, r.Context})
	}
	w.Flush()
	return b.String(), w.Error()
}

// renderJSON is listJSON, indented.
func renderJSON(q *ipreview.Queue, rows []listRow) ([]byte, error) {
	p, r, k, n := queueCounts(q)
	if rows == nil {
		rows = []listRow{}
	}
	v := listJSON{SchemaVersion: "1", Total: len(q.Items), Pending: p, Removed: r, Kept: k, Renamed: n, Items: rows}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}
