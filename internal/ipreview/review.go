package ipreview

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"

	"github.com/corpora-tools/corpora/internal/termkey"
)

// SchemaVersion is written in every file this package writes.
const SchemaVersion = "2.0"

// File names in a review folder.
const (
	QueueFile     = "flagged.json"
	DecisionsFile = "review-decisions.json"
)

// Action is what the human decided for a flagged term.
type Action string

// The actions.
const (
	// Keep clears the term for use: consolidation moves its ip_flag into
	// its review mark and sets ip_flag to null.
	Keep Action = "keep"
	// Remove drops the term from the master.
	Remove Action = "remove"
	// Rename replaces the term's text and canonical form with NewText,
	// keeping the old text in old_text.
	Rename Action = "rename"
)

// ErrDecision marks a decision that cannot be recorded or read.
var ErrDecision = errors.New("invalid decision")

// ParseAction reads an action name.
func ParseAction(s string) (Action, error) {
	switch a := Action(strings.ToLower(strings.TrimSpace(s))); a {
	case Keep, Remove, Rename:
		return a, nil
	}
	return "", fmt.Errorf("%w: %q is not keep, remove or rename", ErrDecision, s)
}

// Decision is one human decision about a term.
type Decision struct {
	Action    Action `json:"decision"`
	NewText   string `json:"new_text,omitempty"` // rename only
	Note      string `json:"note,omitempty"`
	DecidedAt string `json:"decided_at,omitempty"` // RFC 3339 UTC
	// History holds the earlier decisions for the same term, oldest first:
	// a new decision never loses an old one.
	History []Decision `json:"history,omitempty"`
}

// Validate checks the decision's shape.
func (d Decision) Validate() error {
	if _, err := ParseAction(string(d.Action)); err != nil {
		return err
	}
	if d.Action == Rename && strings.TrimSpace(d.NewText) == "" {
		return fmt.Errorf("%w: rename needs the new text", ErrDecision)
	}
	return nil
}

// Decisions is review-decisions.json: the human's decisions keyed by the
// term's canonical form. Only `corpora review` writes it.
type Decisions struct {
	SchemaVersion string              `json:"schema_version"`
	Decisions     map[string]Decision `json:"decisions"`
}

// NewDecisions returns an empty set.
func NewDecisions() *Decisions {
	return &Decisions{SchemaVersion: SchemaVersion, Decisions: map[string]Decision{}}
}

// ReadDecisions reads a decisions file; a missing file is an empty set.
// It accepts the 2.0 shape ({"schema_version", "decisions": {...}}) and
// the bare 1.0 map (canonical -> decision), where a decision may also be
// just the action name ("keep").
func ReadDecisions(path string) (*Decisions, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewDecisions(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("decisions %s: %w", path, err)
	}
	d, err := ParseDecisions(data)
	if err != nil {
		return nil, fmt.Errorf("decisions %s: %w", path, err)
	}
	return d, nil
}

// ParseDecisionsOrEmpty is ParseDecisions where no bytes (a missing
// file) are an empty set.
func ParseDecisionsOrEmpty(data []byte) (*Decisions, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return NewDecisions(), nil
	}
	return ParseDecisions(data)
}

// ParseDecisions reads a decisions file's bytes.
func ParseDecisions(data []byte) (*Decisions, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecision, err)
	}
	body := raw
	if inner, ok := raw["decisions"]; ok {
		body = nil
		if err := json.Unmarshal(inner, &body); err != nil {
			return nil, fmt.Errorf("%w: \"decisions\": %v", ErrDecision, err)
		}
	} else {
		delete(body, "schema_version")
	}
	out := NewDecisions()
	for k, v := range body {
		var d Decision
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '"' {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, fmt.Errorf("%w: %q: %v", ErrDecision, k, err)
			}
			d.Action = Action(s)
		} else {
			var alt struct {
				Decision
				ActionAlt Action `json:"action"`
				NewAlt    string `json:"new"`
			}
			if err := json.Unmarshal(v, &alt); err != nil {
				return nil, fmt.Errorf("%w: %q: %v", ErrDecision, k, err)
			}
			d = alt.Decision
			if d.Action == "" {
				d.Action = alt.ActionAlt
			}
			if d.NewText == "" {
				d.NewText = alt.NewAlt
			}
		}
		a, err := ParseAction(string(d.Action))
		if err != nil {
			return nil, fmt.Errorf("term %q: %w", k, err)
		}
		d.Action = a
		out.Decisions[k] = d
	}
	return out, nil
}

// Write writes the decisions atomically.
func (d *Decisions) Write(path string) error {
	d.SchemaVersion = SchemaVersion
	if d.Decisions == nil {
		d.Decisions = map[string]Decision{}
	}
	return atomicfile.WriteJSON(path, d)
}

// Record stores d for the term canonical. An earlier decision for the same
// term (by Key) moves into d's history; no other term is touched.
func (ds *Decisions) Record(canonical string, d Decision) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("term %q: %w", canonical, err)
	}
	if ds.Decisions == nil {
		ds.Decisions = map[string]Decision{}
	}
	key := canonical
	if k, old, ok := ds.find(canonical); ok {
		key = k
		hist := old.History
		old.History = nil
		d.History = append(slices.Clone(hist), old)
	}
	ds.Decisions[key] = d
	return nil
}

// Lookup returns the decision for a canonical form, matching by Key.
func (ds *Decisions) Lookup(canonical string) (Decision, bool) {
	_, d, ok := ds.find(canonical)
	return d, ok
}

func (ds *Decisions) find(canonical string) (string, Decision, bool) {
	if ds == nil {
		return "", Decision{}, false
	}
	if d, ok := ds.Decisions[canonical]; ok {
		return canonical, d, true
	}
	want := termkey.Key(canonical)
	keys := make([]string, 0, len(ds.Decisions))
	for k := range ds.Decisions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if termkey.Key(k) == want {
			return k, ds.Decisions[k], true
		}
	}
	return "", Decision{}, false
}

// Index returns the decisions by Key, for fast lookup over a whole
// vocabulary. When two canonical forms share a key, the first in sorted
// order wins.
func (ds *Decisions) Index() map[string]Decision {
	out := map[string]Decision{}
	if ds == nil {
		return out
	}
	keys := make([]string, 0, len(ds.Decisions))
	for k := range ds.Decisions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, dup := out[termkey.Key(k)]; !dup {
			out[termkey.Key(k)] = ds.Decisions[k]
		}
	}
	return out
}

// QueueItem is one flagged term in the review queue.
//
// On disk it has the 1.0 shape (see MarshalJSON): source, flag_reason,
// reviewed, decision as a word and notes, with the 2.0 fields beside them.
type QueueItem struct {
	Canonical  string            `json:"canonical"`
	Text       string            `json:"text"`
	Sources    []string          `json:"sources"`
	Reason     string            `json:"reason"`
	IPFlag     string            `json:"ip_flag,omitempty"` // the machine form: "blocklist:<franchise>", or a flag set upstream
	Confidence classify.Score    `json:"confidence"`
	Category   classify.Category `json:"category"`
	// Decision is the decision recorded for the term, or null while it
	// waits for review.
	Decision *Decision `json:"decision"`
	// Matches says which blocklist entries flagged the term: franchise,
	// owner, kind, why (a coined name, or a shared word in the franchise's
	// use) and the entry's open alternative. Added beside the 1.0 fields.
	Matches []Match `json:"matches,omitempty"`
	// Alternative is the open name to use instead, when a match knows one
	// (the SRD's renames: "Bigby's Hand" -> "Arcane Hand").
	Alternative string `json:"alternative,omitempty"`
}

// Explain records in the item the matches that flagged it.
func (it *QueueItem) Explain(ms []Match) {
	it.Matches = slices.Clone(ms)
	it.Alternative = Alternative(ms)
}

// Queue is flagged.json: the flagged terms of a vocabulary, regenerated
// from it, each with the decision recorded for it. On disk it has the 1.0
// shape (generated_at, total_flagged, reviewed_count, terms) with the 2.0
// fields beside them; see MarshalJSON.
type Queue struct {
	SchemaVersion string      `json:"schema_version"`
	GeneratedAt   string      `json:"generated_at"`
	Vocabulary    string      `json:"vocabulary"` // the vocab file the queue was made from
	Total         int         `json:"total"`
	Pending       int         `json:"pending"` // items without a decision
	Items         []QueueItem `json:"items"`
}

// NewQueue builds a queue from items, sorted by canonical form (folded by
// Key, then as written) then text,
// with the counts filled in.
func NewQueue(vocabulary string, items []QueueItem, generatedAt string) *Queue {
	items = slices.Clone(items)
	if items == nil {
		items = []QueueItem{}
	}
	for i := range items {
		if items[i].Sources == nil {
			items[i].Sources = []string{}
		}
	}
	slices.SortFunc(items, func(a, b QueueItem) int {
		if c := strings.Compare(termkey.Key(a.Canonical), termkey.Key(b.Canonical)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Canonical, b.Canonical); c != 0 {
			return c
		}
		return strings.Compare(a.Text, b.Text)
	})
	q := &Queue{SchemaVersion: SchemaVersion, GeneratedAt: generatedAt, Vocabulary: vocabulary, Total: len(items), Items: items}
	for _, it := range items {
		if it.Decision == nil {
			q.Pending++
		}
	}
	return q
}

// Write writes the queue atomically.
func (q *Queue) Write(path string) error { return atomicfile.WriteJSON(path, q) }

// ReadQueue reads a review queue in any shape corpora or the 1.0 tool
// wrote: the 1.0 object ({total_flagged, reviewed_count, terms}), the early
// 2.0 one ({total, pending, items}), or a bare array of items.
func ReadQueue(path string) (*Queue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("review queue %s: %w", path, err)
	}
	data = bytes.TrimSpace(data)
	q := &Queue{}
	if len(data) > 0 && data[0] == '[' {
		err = json.Unmarshal(data, &q.Items)
	} else {
		err = json.Unmarshal(data, q)
	}
	if err != nil {
		return nil, fmt.Errorf("review queue %s: %w", path, err)
	}
	if q.Total == 0 {
		q.Total = len(q.Items)
	}
	if q.Pending == 0 {
		for _, it := range q.Items {
			if it.Decision == nil {
				q.Pending++
			}
		}
	}
	return q, nil
}

// queueJSON is flagged.json on disk: the 1.0 names first, then 2.0's.
type queueJSON struct {
	SchemaVersion string      `json:"schema_version"`
	GeneratedAt   string      `json:"generated_at"`
	TotalFlagged  int         `json:"total_flagged"`
	ReviewedCount int         `json:"reviewed_count"`
	Terms         []QueueItem `json:"terms"`
	Vocabulary    string      `json:"vocabulary,omitempty"`
	Pending       int         `json:"pending"`
}

// MarshalJSON writes the 1.0 shape with the 2.0 fields beside it.
func (q Queue) MarshalJSON() ([]byte, error) {
	items := q.Items
	if items == nil {
		items = []QueueItem{}
	}
	return marshalPlain(queueJSON{SchemaVersion: q.SchemaVersion, GeneratedAt: q.GeneratedAt, TotalFlagged: q.Total,
		ReviewedCount: q.Total - q.Pending, Terms: items, Vocabulary: q.Vocabulary, Pending: q.Pending})
}

// UnmarshalJSON reads the 1.0 names and the early 2.0 ones.
func (q *Queue) UnmarshalJSON(data []byte) error {
	var v struct {
		queueJSON
		Total int         `json:"total"`
		Items []QueueItem `json:"items"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*q = Queue{SchemaVersion: v.SchemaVersion, GeneratedAt: v.GeneratedAt, Vocabulary: v.Vocabulary,
		Total: max(v.TotalFlagged, v.Total), Pending: v.Pending, Items: v.Terms}
	if q.Items == nil {
		q.Items = v.Items
	}
	if v.ReviewedCount > 0 && q.Pending == 0 {
		q.Pending = q.Total - v.ReviewedCount
	}
	return nil
}

// itemJSON is one term of flagged.json on disk: the 1.0 fields (source as
// one "; "-joined string, flag_reason the machine-form flag, reviewed,
// decision as a word or "", notes), then 2.0's.
type itemJSON struct {
	Canonical   string            `json:"canonical"`
	Text        string            `json:"text"`
	Source      string            `json:"source"`
	FlagReason  string            `json:"flag_reason"`
	Confidence  classify.Score    `json:"confidence"`
	Category    classify.Category `json:"category"`
	Reviewed    bool              `json:"reviewed"`
	Decision    json.RawMessage   `json:"decision"`
	Notes       string            `json:"notes"`
	Sources     []string          `json:"sources"`
	IPFlag      string            `json:"ip_flag,omitempty"`
	IPReason    string            `json:"ip_reason,omitempty"` // the words of the reason
	NewText     string            `json:"new_text,omitempty"`
	Review      *Decision         `json:"review,omitempty"` // the whole decision, with its history
	Matches     []Match           `json:"matches,omitempty"`
	Alternative string            `json:"alternative,omitempty"`
	// Reason is the early 2.0 name of flag_reason, read only.
	Reason string `json:"reason,omitempty"`
}

// MarshalJSON writes the 1.0 shape with the 2.0 fields beside it.
func (it QueueItem) MarshalJSON() ([]byte, error) {
	v := itemJSON{Canonical: it.Canonical, Text: it.Text, Source: strings.Join(it.Sources, "; "), FlagReason: cmp.Or(it.IPFlag, it.Reason),
		Confidence: it.Confidence, Category: it.Category, Decision: json.RawMessage(`""`), Sources: it.Sources,
		IPFlag: it.IPFlag, IPReason: it.Reason, Matches: it.Matches, Alternative: it.Alternative}
	if v.Sources == nil {
		v.Sources = []string{}
	}
	if d := it.Decision; d != nil {
		v.Reviewed = true
		v.Decision, _ = json.Marshal(string(d.Action))
		v.Notes, v.NewText, v.Review = d.Note, d.NewText, d
	}
	return marshalPlain(v)
}

// marshalPlain is json.Marshal without HTML escaping, as every corpora
// file is written ("Bigby's Hand & Co." stays readable).
func marshalPlain(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// UnmarshalJSON reads the 1.0 item (decision a word), and the early 2.0
// one (decision an object, reason, sources).
func (it *QueueItem) UnmarshalJSON(data []byte) error {
	var v itemJSON
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	// flag_reason is 1.0's machine-form flag; early 2.0 wrote words there.
	flag, words := v.FlagReason, ""
	if strings.ContainsAny(flag, " \t\n") {
		flag, words = "", v.FlagReason
	}
	*it = QueueItem{Canonical: v.Canonical, Text: v.Text, Sources: v.Sources, Reason: cmp.Or(v.IPReason, v.Reason, words, flag),
		IPFlag: cmp.Or(v.IPFlag, flag), Confidence: v.Confidence, Category: v.Category, Matches: v.Matches, Alternative: v.Alternative}
	if it.Sources == nil && v.Source != "" {
		for _, s := range strings.Split(v.Source, "; ") {
			if s = strings.TrimSpace(s); s != "" {
				it.Sources = append(it.Sources, s)
			}
		}
	}
	switch raw := bytes.TrimSpace(v.Decision); {
	case v.Review != nil:
		it.Decision = v.Review
	case len(raw) > 0 && raw[0] == '{':
		var d Decision
		if err := json.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("decision: %w", err)
		}
		it.Decision = &d
	case len(raw) > 0 && raw[0] == '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		if s != "" {
			a, err := ParseAction(s)
			if err != nil {
				return fmt.Errorf("decision: %w", err)
			}
			it.Decision = &Decision{Action: a, Note: v.Notes, NewText: v.NewText}
		}
	}
	return nil
}
