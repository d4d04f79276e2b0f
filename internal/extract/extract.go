package extract

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/lexicon"
)

// Options tune extraction.
type Options struct {
	// MaxCandidates keeps only the most relevant candidates; 0 keeps all that
	// pass the relevance threshold.
	MaxCandidates int
	// MinScore drops candidates whose relevance score (0..1) is below it.
	MinScore float64
	// KeepGeneric keeps plain English and fragments (generic.go), which are
	// dropped by default.
	KeepGeneric bool
	// Dropped, when set, receives how many candidates were dropped as
	// plain English or fragments.
	Dropped *int `json:"-"`
}

// BlockWindow is how much of the source block around the first occurrence
// Candidate.Block keeps, in bytes (cut to whole characters).
const BlockWindow = 600

// Extract returns the candidate terms of doc, most relevant first.
func Extract(ctx context.Context, doc *document.Output, opts Options) ([]Candidate, error) {
	if doc == nil {
		return nil, fmt.Errorf("extract: no document")
	}
	ex := NewExtractor()
	for i := range doc.Content {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("extract %s: %w", doc.Source, err)
		}
		if err := ex.Add(ctx, &doc.Content[i]); err != nil {
			return nil, fmt.Errorf("extract %s: %w", doc.Source, err)
		}
	}
	return ex.Candidates(opts), nil
}

// Extractor accumulates candidates over a stream of blocks: memory grows
// with the vocabulary, not with the text. It is not safe for concurrent use.
type Extractor struct {
	r  *resources
	en *lexicon.English
	p  *phraser

	entries map[string]*entry
	order   []*entry
	runes   int // rune length of the joined text so far (with separators)
	blocks  int

	// pending are candidates first seen in a heading or a short block,
	// whose Block window is still being filled from the blocks that follow:
	// a stat block or item header under a name is what classifies the name.
	pending   []*entry
	creating  bool // the current block's new candidates become pending
	inHeading bool // the current block is a heading
	sections  sections

	// titlePending are the plural-heading phrases of the last block
	// (occurrence.title), counted as titles if a heading or table follows.
	titlePending []*entry

	// named are the candidates of the last name line or heading, which a
	// type line right below describes (Candidate.TypeLine); naming says the
	// current block is such a line.
	named  []*entry
	naming bool
	// afterName says the last block was a heading or name line, which a
	// type line may follow.
	afterName bool
}

// Bounds of the look-ahead that fills pending Block windows.
const (
	shortBlock = 200 // a block shorter than this (bytes) lends its names look-ahead
	maxPending = 64  // candidates waiting for look-ahead at once
	maxNamed   = 16  // candidates of one name line given its type line
)

// entry is a candidate being accumulated.
type entry struct {
	c    Candidate
	key  string
	caps int // occurrences written with a capital inside a sentence
	// titles counts occurrences that were section titles (see
	// pluralTitle); an entry seen only as a title is dropped.
	titles int
	// headings counts occurrences in a heading block: a name stands there.
	headings int
	seq      int
	// forms are the ways the candidate is written (display.go); lineForm
	// is 1 + the index of the form last seen as a whole heading.
	forms    []form
	lineForm int
}

// NewExtractor returns an empty Extractor.
func NewExtractor() *Extractor {
	r := loadResources()
	ex := &Extractor{r: r, en: lexicon.PlainEnglish(), entries: map[string]*entry{}}
	ex.p = newPhraser(r, ex)
	return ex
}

// Add processes the next block of the document, in reading order.
func (ex *Extractor) Add(ctx context.Context, b *document.Block) error {
	if ex.blocks > 0 {
		ex.runes += 2 // "\n\n"
	}
	ex.blocks++
	// Plural headings of the previous block open a section when a heading
	// or table follows: they are titles, not names.
	if len(ex.titlePending) > 0 {
		if b.Type == document.Heading || b.Type == document.Table {
			for _, e := range ex.titlePending {
				e.titles++
			}
		}
		ex.titlePending = ex.titlePending[:0]
	}
	page := b.Page
	if page == 0 {
		page = b.Chapter
	}
	if b.Type == document.Heading {
		ex.pending = ex.pending[:0] // a new section: what follows is not about earlier names
	} else {
		ex.extendPending(b.Text)
	}
	ex.creating = b.Type == document.Heading || len(b.Text) < shortBlock
	ex.inHeading = b.Type == document.Heading
	ex.sections.block(b)
	err := ex.addBlock(ctx, b, page)
	ex.runes += utf8.RuneCountInString(b.Text)
	return err
}

// addBlock runs a block through the phraser with what its structure
// says: a name line is read as a heading, whole whatever its length; a
// type line describes the names above it and is no source of names; a
// run-in label is a segment of its own, and no term at all when it is a
// stat-block label ("Armor Class.", "Senses:").
func (ex *Extractor) addBlock(ctx context.Context, b *document.Block, page int) error {
	role := ex.roleOf(b)
	bt := b.Type
	if role == document.RoleName {
		bt = document.Heading
	}
	ex.afterName = bt == document.Heading
	if role == document.RoleTypeLine {
		for _, e := range ex.named {
			if e.c.TypeLine == "" {
				e.c.TypeLine = strings.Clone(b.Text)
			}
			e.titled()
		}
		ex.named = ex.named[:0]
		ex.p.role = role
		err := ex.p.block(ctx, b.Text, bt, page, ex.runes)
		ex.p.role = ""
		return err
	}
	for _, e := range ex.named {
		e.lineForm = 0
	}
	ex.named = ex.named[:0]
	ex.naming = bt == document.Heading
	defer func() { ex.naming = false }()
	ex.p.role = role
	defer func() { ex.p.role = "" }()
	text, base := b.Text, ex.runes
	if b.Lead != "" && len(b.Lead) < len(text) && strings.HasPrefix(text, b.Lead) && utf8.ValidString(b.Lead) {
		label := strings.TrimRight(b.Lead, ".: ")
		if label != "" && !ex.statLabel(label) {
			ex.p.lead = true
			err := ex.p.block(ctx, label, document.Heading, page, base)
			ex.p.lead = false
			if err != nil {
				return err
			}
		}
		text = text[len(b.Lead):]
		base += utf8.RuneCountInString(b.Lead)
	}
	return ex.p.block(ctx, text, bt, page, base)
}

// roleOf is the block's Role, or, where the parser recorded the type style
// but no role, the role that style gives in a sourcebook: a short bold line
// is a name line, a short italic line right under a name or heading its
// type line (see text.MarkRoles, which also looks ahead).
func (ex *Extractor) roleOf(b *document.Block) document.Role {
	if b.Role != "" || b.Style == "" || b.Lead != "" || b.Type != document.Paragraph || !nameLike(b.Text) {
		return b.Role
	}
	switch {
	case b.Style == document.Italic && ex.afterName:
		return document.RoleTypeLine
	case b.Style.IsBold():
		return document.RoleName
	}
	return ""
}

// nameLike reports one line of at most 12 words and 90 bytes that does not
// end like a sentence: the shape of a name line or type line.
func nameLike(s string) bool {
	if s == "" || len(s) > 90 || strings.IndexByte(s, '\n') >= 0 {
		return false
	}
	switch s[len(s)-1] {
	case '.', ',', ';', ':', '!', '?', '"':
		return false
	}
	return len(strings.Fields(s)) <= 12
}

// statLabel reports a run-in label that labels a stat-block line ("Armor
// Class", "Hit Points", "Senses", "Casting Time").
func (ex *Extractor) statLabel(label string) bool {
	l := strings.ToLower(label)
	return ex.r.lx.Label(l) || colonLabels[l] || lineLeads[l] || statLeads[l] && !strings.Contains(l, " ")
}

// extendPending appends the start of text to the Block window of every
// pending candidate, dropping those whose window is full.
func (ex *Extractor) extendPending(text string) {
	kept := ex.pending[:0]
	for _, e := range ex.pending {
		room := BlockWindow - len(e.c.Block) - 1
		if room <= 0 {
			continue
		}
		add := text
		if len(add) > room {
			add = add[:room]
			for len(add) > 0 && !utf8.RuneStart(text[len(add)]) {
				add = add[:len(add)-1]
			}
		}
		e.c.Block += "\n" + add
		if len(e.c.Block) < BlockWindow-1 {
			kept = append(kept, e)
		}
	}
	clear(ex.pending[len(kept):])
	ex.pending = kept
}

// occurrence describes one occurrence handed to the Extractor by the
// phraser; strings in it point into the block and are copied on first use.
type occurrence struct {
	pos           POS
	lemma, text   string // may point into the block
	lemmaB, textB []byte // used instead when set: scratch buffers
	capInner      bool
	title         bool // a plural heading that may be a section title
	// free says a word other than the sentence's first carries a capital;
	// line that the occurrence is the whole heading or name line.
	free, line bool
}

// add records an occurrence; newCand fills the fields of a first occurrence.
func (ex *Extractor) add(o occurrence, page int, first func(c *Candidate)) {
	kb := ex.p.kbuf[:0]
	kb = append(kb, o.pos...)
	kb = append(kb, 0)
	if o.lemmaB != nil {
		kb = append(kb, o.lemmaB...)
	} else {
		kb = append(kb, o.lemma...)
	}
	ex.p.kbuf = kb
	e, ok := ex.entries[string(kb)]
	if !ok {
		e = &entry{key: string(kb), seq: len(ex.order)}
		e.c = Candidate{Text: strings.Clone(o.text), Lemma: strings.Clone(o.lemma), POS: o.pos, Pages: []int{}}
		if o.lemmaB != nil {
			e.c.Lemma = string(o.lemmaB)
		}
		if o.textB != nil {
			e.c.Text = string(o.textB)
		}
		first(&e.c)
		e.c.Section = ex.sections.path
		ex.entries[e.key] = e
		ex.order = append(ex.order, e)
		if ex.creating && len(ex.pending) < maxPending && len(e.c.Block) < BlockWindow {
			ex.pending = append(ex.pending, e)
		}
	}
	e.c.Count++
	text := o.text
	if o.textB != nil {
		text = string(o.textB)
	}
	line := o.line && ex.naming && !ex.p.lead
	e.noteForm(text, ex.naming || ex.p.lead || ex.p.btype == document.Heading, line, line && ex.p.role == document.RoleName, o.free && !ex.naming && !ex.p.lead && ex.p.btype != document.Heading && ex.p.btype != document.Table)
	if ex.naming && len(ex.named) < maxNamed {
		ex.named = append(ex.named, e)
	}
	if o.title {
		ex.titlePending = append(ex.titlePending, e)
	}
	if o.capInner {
		e.caps++
	}
	if ex.inHeading {
		e.headings++
	}
	e.c.Pages = addPage(e.c.Pages, page)
}

// addPage inserts p into the sorted set ps, keeping the MaxPages smallest.
func addPage(ps []int, p int) []int {
	if p <= 0 {
		return ps
	}
	if n := len(ps); n > 0 && ps[n-1] == p {
		return ps
	}
	i := sort.SearchInts(ps, p)
	if i < len(ps) && ps[i] == p {
		return ps
	}
	if len(ps) >= MaxPages && i >= MaxPages {
		return ps
	}
	ps = append(ps, 0)
	copy(ps[i+1:], ps[i:])
	ps[i] = p
	if len(ps) > MaxPages {
		ps = ps[:MaxPages]
	}
	return ps
}

// Candidates finishes the extraction: merges capitalised common words into
// their common part of speech, scores, sorts most relevant first and
// applies opts.
func (ex *Extractor) Candidates(opts Options) []Candidate {
	r := ex.r
	live := make([]*entry, 0, len(ex.order))
	for _, e := range ex.order {
		if e.c.POS == ProperNoun {
			low := strings.ToLower(e.c.Text)
			nl := ex.p.nounLemma(low, true)
			key := string(Noun) + "\x00" + nl
			if n, ok := ex.entries[key]; ok {
				merge(n, e)
				continue
			}
			if r.lm.Has(nl, 1) || r.lm.Has(low, 1) {
				// A known noun seen only capitalised (headings, sentence
				// starts): it is the common noun.
				e.c.POS, e.c.Lemma, e.key = Noun, nl, key
				ex.entries[key] = e
			}
		}
		live = append(live, e)
	}
	out := make([]Candidate, 0, len(live))
	dropped := 0
	if opts.Dropped != nil {
		defer func() { *opts.Dropped = dropped }()
	}
	maxRaw := 0.0
	raws := make([]float64, len(live))
	for i, e := range live {
		if e.c.Count == 0 {
			continue
		}
		raws[i] = ex.relevance(e)
		maxRaw = math.Max(maxRaw, raws[i])
	}
	for i, e := range live {
		if e.c.Count == 0 {
			continue
		}
		if e.titles >= e.c.Count {
			continue
		}
		if !opts.KeepGeneric && genericReason(ex.en, r.lx, e.c.Text, e.c.Lemma, e.c.POS, e.c.Count, e.headings > 0 || OwnLine(e.c.Block, e.c.Text), e.caps > 0, e.c.Context) != "" {
			dropped++
			continue
		}
		c := e.c
		c.Text = e.display(r.lm)
		if maxRaw > 0 {
			c.Score = math.Round(raws[i]/maxRaw*100) / 100
		}
		if c.Score < opts.MinScore {
			continue
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Span[0] < b.Span[0]
	})
	if opts.MaxCandidates > 0 && len(out) > opts.MaxCandidates {
		out = out[:opts.MaxCandidates]
	}
	return out
}

// merge folds e into n (same lemma and part of speech after recasing).
func merge(n, e *entry) {
	if e.c.Span[0] < n.c.Span[0] {
		n.c.Text, n.c.Context, n.c.Span, n.c.Block, n.c.Section = e.c.Text, e.c.Context, e.c.Span, e.c.Block, e.c.Section
	}
	n.c.Count += e.c.Count
	n.caps += e.caps
	n.mergeForms(e)
	if n.c.TypeLine == "" {
		n.c.TypeLine = e.c.TypeLine
	}
	for _, p := range e.c.Pages {
		n.c.Pages = addPage(n.c.Pages, p)
	}
	e.c.Count = 0
}

// relevance is the unnormalised score: frequency in the book against
// general-English frequency, with bonuses for the fantasy lexicon,
// capitalisation and names WordNet does not know.
func (ex *Extractor) relevance(e *entry) float64 {
	r := ex.r
	c := &e.c
	s := math.Log2(1 + float64(c.Count))
	words := strings.Fields(c.Lemma)
	general := 0
	fantasy := false
	unknown := true
	for _, w := range words {
		w = strings.ToLower(w)
		general = max(general, r.lm.Count(w))
		if r.lx.Fantasy(w) {
			fantasy = true
		}
		if r.lm.Known(w) {
			unknown = false
		}
	}
	if c.POS == Phrase {
		// A phrase is rarer than its most common word.
		general /= 4
	}
	s /= 1 + math.Log1p(float64(general))/2
	if fantasy {
		s *= 1.6
	}
	if unknown {
		s *= 1.3
	}
	switch {
	case c.POS == ProperNoun:
		s *= 1.4
	case c.POS == Phrase && e.caps > 0:
		s *= 1.3
	case c.POS == Verb:
		s *= 0.7
	}
	return s
}
