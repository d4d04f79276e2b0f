package extract

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// TestTagFixes checks the context corrections on the game text they exist
// for and on the plain English they must leave alone (UD English Web
// Treebank sentences).
func TestTagFixes(t *testing.T) {
	tests := []struct {
		text, word, want string
	}{
		// -s words after a subject are verbs in game text...
		{"The yuan-ti hisses at the intruders.", "hisses", "VBZ"},
		{"The wall of fire lasts for one minute.", "lasts", "VBZ"},
		// ...but not after a bare noun modifier or an acronym, nor before a
		// subject pronoun.
		{"Cheap air tickets for Corporate", "tickets", "NNS"},
		{"US troops there clashed with guerrillas in a fight.", "troops", "NNS"},
		{"It depends on the discount and services they get from the airlines.", "services", "NNS"},
		// Capitalised words next to a capital are names in game text...
		{"The Mind Flayer waits.", "Flayer", "NNP"},
		{"She casts Power Word Kill on him.", "Kill", "NNP"},
		// ...but a known adjective in a title stays an adjective.
		{"Too Expensive", "Expensive", "JJ"},
		{"Morcillas are hard to find across the North American region.", "American", "JJ"},
	}
	p := NewExtractor().p
	r := loadResources()
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			p.text, p.btype = tt.text, document.Paragraph
			p.toks = tokenize.Tokens(p.toks[:0], p.text)
			p.segFrom, p.segTo = 0, len(p.toks)
			p.tagRange(p.toks, false)
			for i, tk := range p.toks {
				if tk.Text(p.text) == tt.word {
					if got := r.tm.Name(p.tags[i]); got != tt.want {
						t.Errorf("%s/%s, want %s", tt.word, got, tt.want)
					}
					return
				}
			}
			t.Fatalf("no token %q", tt.word)
		})
	}
}
