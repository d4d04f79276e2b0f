package extract

import (
	"sync"

	"github.com/corpora-tools/corpora/internal/extract/lemma"
	"github.com/corpora-tools/corpora/internal/extract/lexicon"
	"github.com/corpora-tools/corpora/internal/extract/tagger"
)

// CommonWords is how many of the most frequent general-English lemmas
// (WordNet SemCor counts) are dropped as single-word candidates unless the
// fantasy lexicon lists them.
const CommonWords = 600

// GeneralWords is how many of the most frequent general-English lemmas
// count as everyday words: a lowercase noun phrase made only of them and of
// no fantasy word ("blue water", "bright sky") is no term.
const GeneralWords = 3000

// tagClass groups Penn Treebank tags by what the candidate rules need.
type tagClass uint8

const (
	tOther   tagClass = iota
	tNoun             // NN
	tNouns            // NNS
	tProper           // NNP
	tPropers          // NNPS
	tVerb             // VB VBP
	tVBZ
	tVBD
	tVBG
	tVBN
	tAdj // JJ JJR JJS
	tDet // DT PDT WDT
	tPossPron
	tPOS
	tCD
	tIN
	tMD
	tTO
	tPron
	tCC
	tAdv
)

func (c tagClass) noun() bool { return c >= tNoun && c <= tPropers }
func (c tagClass) verb() bool { return c >= tVerb && c <= tVBN }

// resources are the immutable models shared by every extraction.
type resources struct {
	lm     *lemma.Lemmatizer
	tm     *tagger.Model
	lx     *lexicon.Lexicon
	common map[string]bool
	// general are the GeneralWords most frequent general-English lemmas,
	// fantasy words included (genericPhrase).
	general map[string]bool
	class   []tagClass // by tagger.Tag
	punct   []bool     // by tagger.Tag: a punctuation or symbol tag
	tags    struct{ NN, NNS, NNP, NNPS, VB, VBP, VBZ, VBD, VBN, JJ, RB, RBR tagger.Tag }
}

var loadResources = sync.OnceValue(func() *resources {
	r := &resources{lm: lemma.Default(), tm: tagger.Default(), lx: lexicon.Default(), common: map[string]bool{}}
	r.general = map[string]bool{}
	for _, w := range r.lm.Frequent(GeneralWords) {
		r.general[w] = true
	}
	for _, w := range r.lm.Frequent(CommonWords) {
		if !r.lx.Fantasy(w) {
			r.common[w] = true
		}
	}
	byName := map[string]tagClass{
		"NN": tNoun, "NNS": tNouns, "NNP": tProper, "NNPS": tPropers,
		"VB": tVerb, "VBP": tVerb, "VBZ": tVBZ, "VBD": tVBD, "VBG": tVBG, "VBN": tVBN,
		"JJ": tAdj, "JJR": tAdj, "JJS": tAdj, "DT": tDet, "PDT": tDet, "WDT": tDet,
		"PRP$": tPossPron, "WP$": tPossPron, "POS": tPOS, "CD": tCD, "IN": tIN, "MD": tMD, "TO": tTO,
		"PRP": tPron, "WP": tPron, "EX": tPron, "CC": tCC, "RB": tAdv, "RBR": tAdv, "RBS": tAdv,
	}
	r.class = make([]tagClass, len(r.tm.Classes()))
	r.punct = make([]bool, len(r.tm.Classes()))
	for i, name := range r.tm.Classes() {
		r.class[i] = byName[name]
		switch name {
		case "$", "#", "``", "''", "(", ")", ",", ".", ":", "SYM", "LS":
			r.punct[i] = true
		}
	}
	r.tags.NN = r.tm.MustLookup("NN")
	r.tags.NNS = r.tm.MustLookup("NNS")
	r.tags.NNP = r.tm.MustLookup("NNP")
	r.tags.NNPS = r.tm.MustLookup("NNPS")
	r.tags.VB = r.tm.MustLookup("VB")
	r.tags.VBZ = r.tm.MustLookup("VBZ")
	r.tags.VBP = r.tm.MustLookup("VBP")
	r.tags.VBD = r.tm.MustLookup("VBD")
	r.tags.RBR = r.tm.MustLookup("RBR")
	r.tags.RB = r.tm.MustLookup("RB")
	r.tags.VBN = r.tm.MustLookup("VBN")
	r.tags.JJ = r.tm.MustLookup("JJ")
	return r
})
