package extract

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/tagger"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// phraser reads blocks into the occurrences of words and phrases it hands
// to the Extractor: it tokenises and tags each segment, fixes the tags,
// marks labels, and finds the single words, phrases and names (the files
// words.go, segment.go, tagfix.go, labels.go, phrases.go, names.go and
// window.go hold its rules by job). It is the per-Extractor scratch
// state: token, sentence and tag buffers reused across blocks, and the
// word cache. ("Pipeline" is the whole run: parse, extract, classify.)
type phraser struct {
	r  *resources
	ex *Extractor
	tg *tagger.Tagger

	words map[string]*wordInfo
	toks  []tokenize.Token
	sents []tokenize.Sentence
	strs  []string
	// folded are the words of a capitals sentence as tagged (tagInput).
	folded []string
	infos  []*wordInfo
	tags   []tagger.Tag
	cls    []tagClass
	kbuf   []byte
	tbuf   []byte
	lbuf   []byte
	spans  [][2]int

	// debug, when set (tests), sees each segment's words and final tags.
	debug func(strs, tags []string)

	// labelInfo stands in for the wordInfo of a word used as a label.
	labelInfo wordInfo

	// current block
	text      string
	btype     document.BlockType
	page      int
	runeBase  int
	curByte   int
	curRune   int
	sentStart int
	sentEnd   int
	segFrom   int  // current segment: tokens [segFrom, segTo) of the block
	clause    bool // the segment is a title worded as a clause
	title     bool // the phrase being emitted may be a section title (pluralTitle)
	segTo     int
	maxWords  int           // the longest phrase emitted now, in words
	role      document.Role // the block's role (a type line gives no names)
	lead      bool          // the block is a run-in label
}

func newPhraser(r *resources, ex *Extractor) *phraser {
	return &phraser{r: r, ex: ex, tg: r.tm.NewTagger(), words: map[string]*wordInfo{},
		labelInfo: wordInfo{label: true, stop: true, wn: wnDone}, maxWords: maxPhraseWords}
}

// block runs one block through tokenise, split, tag and candidate rules.
func (p *phraser) block(ctx context.Context, text string, bt document.BlockType, page, runeBase int) error {
	p.text, p.btype, p.page, p.runeBase = text, bt, page, runeBase
	p.curByte, p.curRune = 0, 0
	p.toks = tokenize.Tokens(p.toks[:0], text)
	p.sents = tokenize.Sentences(p.sents[:0], text, p.toks)
	for n, s := range p.sents {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		p.sentStart, p.sentEnd = p.toks[s.From].Start, p.toks[s.To-1].End
		// Table cells are tagged and searched one by one; the row stays the
		// context sentence. In a list or table every line is an item (a
		// list set in columns): a term never runs from one into the next.
		from := s.From
		lines := bt == document.List || bt == document.Table
		for i := s.From; i <= s.To; i++ {
			if i == s.To || p.toks[i].Kind == tokenize.Cell {
				if i > from {
					p.segment(from, i, i < s.To || from > s.From)
				}
				from = i + 1
			} else if lines && i > from && strings.IndexByte(text[p.toks[i-1].End:p.toks[i].Start], '\n') >= 0 {
				p.segment(from, i, false)
				from = i
			}
		}
	}
	p.text = ""
	return nil
}

// emit hands an occurrence at bytes [start, end) of the block to the
// Extractor, which fills context, span and block window on first sight.
func (p *phraser) emit(o occurrence, start, end int) {
	o.line = p.btype == document.Heading && strings.TrimSpace(p.text[:start]) == "" && strings.TrimSpace(p.text[end:]) == ""
	p.ex.add(o, p.page, func(c *Candidate) {
		s := p.runeAt(start)
		c.Span = Span{p.runeBase + s, p.runeBase + s + utf8.RuneCountInString(p.text[start:end])}
		c.Context = context300(p.text[p.sentStart:p.sentEnd], start-p.sentStart, end-p.sentStart)
		c.Block = window(p.text, start, end, BlockWindow)
	})
}
