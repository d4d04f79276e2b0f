package extract

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
	"github.com/corpora-tools/corpora/internal/extract/ud"
)

// WriteCoNLLU writes the tokens of doc as CoNLL-U, one block per sentence,
// as extraction sees them: the same tokeniser, sentence splitter, tagger
// with its corrections, and lemmatiser. Each sentence's id is its number in
// the document, from 1. Table-cell separators are not words and are left
// out.
func WriteCoNLLU(ctx context.Context, w io.Writer, doc *document.Output) error {
	if doc == nil {
		return fmt.Errorf("conllu: no document")
	}
	ex := NewExtractor()
	bw := bufio.NewWriter(w)
	n := 0
	var penn []string
	var upos []ud.UPOS
	var toks []ud.Token
	for bi := range doc.Content {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("conllu %s: %w", doc.Source, err)
		}
		b := &doc.Content[bi]
		bt := b.Type
		if ex.roleOf(b) == document.RoleName {
			bt = document.Heading
		}
		p := ex.p
		p.text, p.btype = b.Text, bt
		p.toks = tokenize.Tokens(p.toks[:0], b.Text)
		p.sents = tokenize.Sentences(p.sents[:0], b.Text, p.toks)
		for _, s := range p.sents {
			penn, toks = penn[:0], toks[:0]
			forms := make([]string, 0, s.To-s.From)
			p.eachSegment(s, func(from, to int, cell bool) {
				p.segFrom, p.segTo = from, to
				p.tagRange(p.toks[from:to], cell)
				for i := range p.strs {
					forms = append(forms, p.strs[i])
					penn = append(penn, p.udPenn(i))
					toks = append(toks, ud.Token{Form: p.strs[i], Lemma: p.udLemma(i)})
				}
			})
			upos = ud.Map(forms, penn, upos)
			for i := range toks {
				toks[i].UPOS = upos[i]
				if toks[i].UPOS == ud.PROPN {
					toks[i].Lemma = toks[i].Form
				}
			}
			n++
			text := b.Text[p.toks[s.From].Start:p.toks[s.To-1].End]
			if err := ud.Write(bw, ud.Sentence{ID: strconv.Itoa(n), Text: text, Tokens: toks}); err != nil {
				return err
			}
		}
		p.text = ""
	}
	return bw.Flush()
}

// eachSegment calls fn with the segments of sentence s that block tags one
// by one: table cells, and the lines of a list or table.
func (p *phraser) eachSegment(s tokenize.Sentence, fn func(from, to int, cell bool)) {
	from := s.From
	lines := p.btype == document.List || p.btype == document.Table
	for i := s.From; i <= s.To; i++ {
		if i == s.To || p.toks[i].Kind == tokenize.Cell {
			if i > from {
				fn(from, i, i < s.To || from > s.From)
			}
			from = i + 1
		} else if lines && i > from && strings.IndexByte(p.text[p.toks[i-1].End:p.toks[i].Start], '\n') >= 0 {
			fn(from, i, false)
			from = i
		}
	}
}

// udPenn is the Penn tag of token i of the current segment. The tagger
// learnt EWT's conventions for capitalised words (gen -train), so the
// rewrites written against prose's model (a sentence-initial capital that
// WordNet knows is no name) are gone: on the held-out fold they cost 0.4
// points.
func (p *phraser) udPenn(i int) string {
	return p.r.tm.Name(p.tags[i])
}

// clitics are the lemmas of the clitics the tokeniser splits off.
var clitics = map[string]string{
	"n't": "not", "'re": "be", "'m": "be", "'ve": "have", "'ll": "will", "'d": "would",
	"ca": "can", "wo": "will", "sha": "shall",
}

// udLemma is the lemma of token i of the current segment: the lemmatiser's
// for nouns, verbs and adjectives, the lower-case form otherwise.
func (p *phraser) udLemma(i int) string {
	wi := p.infos[i]
	if wi == nil {
		w := p.strs[i]
		if l, ok := clitics[strings.ToLower(w)]; ok {
			return l
		}
		if w == "'s" && p.cls[i].verb() {
			return "be"
		}
		return strings.ToLower(w)
	}
	if l, ok := clitics[wi.lower]; ok && (wi.lower != "ca" && wi.lower != "wo" && wi.lower != "sha" || p.cls[i] == tMD) {
		return l
	}
	switch c := p.cls[i]; {
	case c.noun(), c.verb(), c == tAdj:
		if l := p.lemmaOf(wi, c); l != "" {
			return l
		}
	}
	return wi.lower
}
