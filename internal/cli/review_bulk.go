package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// selector picks queue items for list and for decisions made in bulk.
type selector struct {
	Franchise, Reason string
	PendingOnly       bool
}

func (o *reviewOptions) selector() selector {
	return selector{Franchise: o.Franchise, Reason: o.Reason, PendingOnly: o.Pending}
}

// franchiseAliases are the short names people use for an owner.
var franchiseAliases = map[string]string{
	"dnd":  "wizards of the coast",
	"d d":  "wizards of the coast", // "D&D" folded
	"wotc": "wizards of the coast",
	"lotr": "middle earth",
	"gw":   "games workshop",
}

// words folds s for matching: lower case, runs of other characters one space.
func words(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// containsWords reports whether the folded words of want occur in have as
// whole words.
func containsWords(have, want string) bool {
	return strings.Contains(" "+words(have)+" ", " "+want+" ")
}

// matchFranchise reports whether an item was flagged by a franchise or
// owner named f (a word or words of its name, its ip_flag slug, or an alias).
func matchFranchise(it ipreview.QueueItem, f string) bool {
	want := words(f)
	if a, ok := franchiseAliases[want]; ok {
		want = a
	}
	if want == "" {
		return false
	}
	if containsWords(strings.TrimPrefix(it.IPFlag, "blocklist:"), want) || containsWords(it.Reason, want) {
		return true
	}
	for _, m := range it.Matches {
		if containsWords(m.Franchise, want) || containsWords(m.Owner, want) {
			return true
		}
	}
	return false
}

// matchReason reports whether an item has the ip_flag r (with or without
// "blocklist:") or a match of kind r (coined, shared).
func matchReason(it ipreview.QueueItem, r string) bool {
	r = strings.ToLower(strings.TrimSpace(r))
	if r == "" {
		return false
	}
	flag := strings.ToLower(it.IPFlag)
	if flag == r || strings.TrimPrefix(flag, "blocklist:") == strings.TrimPrefix(r, "blocklist:") {
		return true
	}
	for _, m := range it.Matches {
		if string(m.Kind) == r {
			return true
		}
	}
	return false
}

// selectItems returns the items sel picks, in queue order.
func selectItems(items []ipreview.QueueItem, sel selector) ([]ipreview.QueueItem, error) {
	var out []ipreview.QueueItem
	for _, it := range items {
		if sel.PendingOnly && it.Decision != nil {
			continue
		}
		if sel.Franchise != "" && !matchFranchise(it, sel.Franchise) {
			continue
		}
		if sel.Reason != "" && !matchReason(it, sel.Reason) {
			continue
		}
		out = append(out, it)
	}
	return out, nil
}

// pick is one decision to record.
type pick struct {
	Term string // canonical form, resolved
	D    ipreview.Decision
}

// recordDecisions records picks in the folder's decisions file and shows
// them in its queue, under the folder lock and the decisions lock, with
// one write of each file.
func recordDecisions(ctx context.Context, opts *reviewOptions, picks []pick) error {
	release, err := lockOutputDir(ctx, opts.Dir, "review decide")
	if err != nil {
		return err
	}
	defer release()
	path := filepath.Join(opts.Dir, ipreview.DecisionsFile)
	unlock, err := ipreview.LockDecisions(ctx, path)
	if err != nil {
		return exitErr(ExitCantCreate, err)
	}
	defer unlock()
	ds, err := ipreview.ReadDecisions(path)
	if err != nil {
		return exitErr(ExitDataErr, err)
	}
	for _, p := range picks {
		if err := ds.Record(p.Term, p.D); err != nil {
			return exitErr(ExitDataErr, err)
		}
	}
	if err := ds.Write(path); err != nil {
		return exitErr(ExitCantCreate, err)
	}
	// Show the decisions in the queue at once; the queue is derived data.
	qpath := filepath.Join(opts.Dir, ipreview.QueueFile)
	if q, err := ipreview.ReadQueue(qpath); err == nil {
		idx := ds.Index()
		for i := range q.Items {
			if rec, ok := idx[termkey.Key(q.Items[i].Canonical)]; ok {
				rec := rec
				q.Items[i].Decision = &rec
			}
		}
		q = ipreview.NewQueue(q.Vocabulary, q.Items, vocab.Timestamp(opts.now()))
		if err := q.Write(qpath); err != nil {
			return exitErr(ExitCantCreate, err)
		}
	}
	return nil
}

// runReviewDecideBulk records one action for every pending term a
// --franchise or --reason selects (or all pending ones with --all): it
// lists them and their count first, and records only with --yes or a
// "y" at the prompt. rename without NEW renames each to its open
// alternative, skipping terms without one.
func runReviewDecideBulk(ctx context.Context, opts *reviewOptions, s *Streams) error {
	q, err := ipreview.ReadQueue(filepath.Join(opts.Dir, ipreview.QueueFile))
	if err != nil {
		return queueMissing(filepath.Join(opts.Dir, ipreview.QueueFile), err)
	}
	sel := opts.selector()
	sel.PendingOnly = true
	items, _ := selectItems(q.Items, sel)
	var picks []pick
	skipped := 0
	for _, it := range items {
		d := ipreview.Decision{Action: opts.Action, NewText: opts.NewText, Note: opts.Note, DecidedAt: vocab.Timestamp(opts.now())}
		if d.Action == ipreview.Rename && d.NewText == "" {
			if it.Alternative == "" {
				skipped++
				continue
			}
			d.NewText = it.Alternative
		}
		picks = append(picks, pick{Term: it.Canonical, D: d})
	}
	what := describeSelection(opts)
	if len(picks) == 0 {
		fmt.Fprintf(s.Err, "no pending term %s%s\n", what, skippedNote(skipped))
		return nil
	}
	for _, p := range picks {
		line := "  " + p.Term
		if p.D.Action == ipreview.Rename {
			line += " -> " + p.D.NewText
		}
		fmt.Fprintln(s.Err, line)
	}
	summary := fmt.Sprintf("%s %d pending term(s) %s%s", opts.Action, len(picks), what, skippedNote(skipped))
	if opts.DryRun {
		fmt.Fprintf(s.Err, "would %s (dry run: nothing recorded)\n", summary)
		return nil
	}
	if !opts.Yes {
		f, ok := s.In.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return usagef("%s: add --yes to record them (or --dry-run to only list them)", summary)
		}
		fmt.Fprintf(s.Err, "%s? [y/N] ", summary)
		ans, _ := bufio.NewReader(s.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(ans)); a != "y" && a != "yes" {
			fmt.Fprintln(s.Err, "nothing recorded")
			return nil
		}
	}
	if err := recordDecisions(ctx, opts, picks); err != nil {
		return err
	}
	fmt.Fprintf(s.Err, "recorded: %s (apply with 'corpora review apply')\n", summary)
	return nil
}

func describeSelection(opts *reviewOptions) string {
	var parts []string
	if opts.Franchise != "" {
		parts = append(parts, fmt.Sprintf("of franchise %q", opts.Franchise))
	}
	if opts.Reason != "" {
		parts = append(parts, fmt.Sprintf("with reason %q", opts.Reason))
	}
	if len(parts) == 0 {
		return "in the queue"
	}
	return strings.Join(parts, " and ")
}

func skippedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d without an open alternative left pending)", n)
}

// decisionRow is one row of a decisions file given to --from.
type decisionRow struct {
	Term, Decision, NewText, Note string
}

// parseDecisionRows reads a decisions file: CSV with a header naming at
// least term and decision (what 'review list --csv' prints; new_text and
// note are read when present, other columns ignored), or JSON: the
// 'review list --json' document or an array of its items
// ({"term", "decision", "new_text", "note"}), or a review-decisions.json
// (term -> decision). Rows without a decision, or "pending", are skipped.
func parseDecisionRows(data []byte) ([]decisionRow, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}))
	if len(data) == 0 {
		return nil, errors.New("empty decisions file")
	}
	var rows []decisionRow
	keep := func(r decisionRow) {
		r.Term, r.Decision = strings.TrimSpace(r.Term), strings.ToLower(strings.TrimSpace(r.Decision))
		if r.Term != "" && r.Decision != "" && r.Decision != "pending" {
			rows = append(rows, r)
		}
	}
	switch data[0] {
	case '[', '{':
		type item struct {
			Term      string `json:"term"`
			Canonical string `json:"canonical"`
			Decision  any    `json:"decision"`
			Action    string `json:"action"`
			NewText   string `json:"new_text"`
			New       string `json:"new"`
			Note      string `json:"note"`
		}
		conv := func(it item) {
			r := decisionRow{Term: it.Term, NewText: it.NewText, Note: it.Note}
			if r.Term == "" {
				r.Term = it.Canonical
			}
			if r.NewText == "" {
				r.NewText = it.New
			}
			if d, ok := it.Decision.(string); ok {
				r.Decision = d
			}
			if r.Decision == "" {
				r.Decision = it.Action
			}
			keep(r)
		}
		if data[0] == '[' {
			var items []item
			if err := json.Unmarshal(data, &items); err != nil {
				return nil, fmt.Errorf("not a JSON array of decisions: %w", err)
			}
			for _, it := range items {
				conv(it)
			}
			return rows, nil
		}
		var doc struct {
			Items []item `json:"items"`
		}
		if err := json.Unmarshal(data, &doc); err == nil && doc.Items != nil {
			for _, it := range doc.Items {
				conv(it)
			}
			return rows, nil
		}
		ds, err := ipreview.ParseDecisions(data)
		if err != nil {
			return nil, err
		}
		for term, d := range ds.Decisions {
			keep(decisionRow{Term: term, Decision: string(d.Action), NewText: d.NewText, Note: d.Note})
		}
		return rows, nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("not CSV: %w", err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	ti, okT := col["term"]
	di, okD := col["decision"]
	if !okT || !okD {
		return nil, errors.New("the CSV header must name the columns term and decision (as 'corpora review list --csv' prints them)")
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	for _, rec := range recs[1:] {
		if ti >= len(rec) || di >= len(rec) {
			continue
		}
		keep(decisionRow{Term: rec[ti], Decision: rec[di], NewText: get(rec, "new_text"), Note: get(rec, "note")})
	}
	return rows, nil
}

// termResolver finds the canonical form of what a decisions file names,
// loading the queue and the master once.
type termResolver struct {
	exact map[string]string // canonical as written -> canonical
	byKey map[string]string // Key of canonical, text, variants -> canonical
}

func newTermResolver(dir string) (*termResolver, error) {
	r := &termResolver{exact: map[string]string{}, byKey: map[string]string{}}
	q, qerr := ipreview.ReadQueue(filepath.Join(dir, ipreview.QueueFile))
	if qerr == nil {
		for _, it := range q.Items {
			r.exact[it.Canonical] = it.Canonical
			for _, s := range []string{it.Canonical, it.Text} {
				if _, ok := r.byKey[termkey.Key(s)]; !ok {
					r.byKey[termkey.Key(s)] = it.Canonical
				}
			}
		}
	}
	m, merr := vocab.Read(filepath.Join(dir, vocab.MasterFile))
	if merr == nil {
		for _, e := range m.Entries {
			for _, s := range append([]string{e.Canonical, e.Text}, e.Variants...) {
				if _, ok := r.byKey[termkey.Key(s)]; !ok {
					r.byKey[termkey.Key(s)] = e.Canonical
				}
			}
		}
	}
	if qerr != nil && merr != nil {
		if errors.Is(qerr, fs.ErrNotExist) {
			return nil, queueMissing(filepath.Join(dir, ipreview.QueueFile), qerr)
		}
		return nil, exitf(ExitNoInput, "%s: no review queue and no master vocabulary", dir)
	}
	return r, nil
}

func (r *termResolver) find(term string) (string, bool) {
	if c, ok := r.exact[term]; ok {
		return c, true
	}
	c, ok := r.byKey[termkey.Key(term)]
	return c, ok
}

// runReviewDecideFrom records the decisions of a file (or stdin for "-").
// Every row is checked first: one unknown term or bad action records none.
func runReviewDecideFrom(ctx context.Context, opts *reviewOptions, s *Streams) error {
	var data []byte
	var err error
	if opts.From == "-" {
		data, err = io.ReadAll(s.In)
	} else {
		data, err = os.ReadFile(opts.From)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return exitf(ExitNoInput, "%s: no such file", opts.From)
		}
		return exitErr(ExitNoInput, err)
	}
	rows, err := parseDecisionRows(data)
	if err != nil {
		return exitf(ExitDataErr, "%s: %v", opts.From, err)
	}
	res, err := newTermResolver(opts.Dir)
	if err != nil {
		return err
	}
	var picks []pick
	var bad []string
	counts := map[ipreview.Action]int{}
	for i, r := range rows {
		a, err := ipreview.ParseAction(r.Decision)
		if err != nil {
			bad = append(bad, fmt.Sprintf("row %d (%s): %v", i+1, r.Term, err))
			continue
		}
		c, ok := res.find(r.Term)
		if !ok {
			bad = append(bad, fmt.Sprintf("row %d: %q is not in the review queue or the master", i+1, r.Term))
			continue
		}
		d := ipreview.Decision{Action: a, NewText: strings.TrimSpace(r.NewText), Note: r.Note, DecidedAt: vocab.Timestamp(opts.now())}
		if opts.Note != "" && d.Note == "" {
			d.Note = opts.Note
		}
		if err := d.Validate(); err != nil {
			bad = append(bad, fmt.Sprintf("row %d (%s): %v", i+1, r.Term, err))
			continue
		}
		picks = append(picks, pick{Term: c, D: d})
		counts[a]++
	}
	if len(bad) > 0 {
		for _, b := range bad[:min(len(bad), 10)] {
			fmt.Fprintln(s.Err, "  "+b)
		}
		return exitf(ExitDataErr, "%s: %d of %d decisions cannot be recorded; nothing recorded", opts.From, len(bad), len(rows))
	}
	summary := fmt.Sprintf("%d decisions (%d keep, %d remove, %d rename) from %s", len(picks), counts[ipreview.Keep], counts[ipreview.Remove], counts[ipreview.Rename], opts.From)
	if opts.DryRun {
		fmt.Fprintf(s.Err, "would record %s (dry run: nothing recorded)\n", summary)
		return nil
	}
	if len(picks) == 0 {
		fmt.Fprintf(s.Err, "%s: no decisions in it (rows with an empty decision are skipped)\n", opts.From)
		return nil
	}
	if err := recordDecisions(ctx, opts, picks); err != nil {
		return err
	}
	fmt.Fprintf(s.Err, "recorded: %s (apply with 'corpora review apply')\n", summary)
	return nil
}
