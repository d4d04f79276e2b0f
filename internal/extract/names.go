package extract

import (
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// Names: runs of capitalised words and possessive names.

// names emits capitalised multi-word names, with connectors.
func (p *phraser) names(toks []tokenize.Token) {
	n := len(p.infos)
	for i := 0; i < n; {
		if !p.capWord(i) {
			i++
			continue
		}
		j := i + 1
		for j < n {
			if p.capWord(j) {
				j++
				continue
			}
			if j+1 < n && p.infos[j] != nil && connectors[p.infos[j].lower] && !p.infos[j].cap && p.capWord(j+1) &&
				!(j+2 < n && toks[j+2].Kind == tokenize.Clitic) {
				// Not into an owner: "Sword and Bigby's Hand".
				j += 2
				continue
			}
			if j+2 < n && p.infos[j] != nil && p.strs[j] == "of" &&
				p.infos[j+1] != nil && p.strs[j+1] == "the" && p.capWord(j+2) &&
				!(j+3 < n && toks[j+3].Kind == tokenize.Clitic) {
				// "Talisman of the Snow Queen"
				j += 3
				continue
			}
			break
		}
		// Name [i, j): strip function words at the edges ("The", "When"),
		// keep stop words used as names ("Indomitable Might", "Second Wind").
		a, b := i, j-1
		for a < b && p.edgeWord(a) {
			a++
		}
		for b > a && p.edgeWord(b) {
			b--
		}
		// In running text a name longer than a phrase needs an "of" after
		// its head ("Periapt of Proof against Poison"); a name set on its
		// own line may be as long as the book makes it.
		if b > a && (b-a < maxPhraseWords || b-a < p.maxWords && (p.maxWords == maxSetName || p.infos[a+1] != nil && p.strs[a+1] == "of")) {
			p.titlePhrase(toks, a, b)
		}
		i = j
	}
}

// edgeWord reports a word that cannot open or close a name.
func (p *phraser) edgeWord(i int) bool {
	wi := p.infos[i]
	if !wi.stop {
		return false
	}
	switch wi.lower {
	case "the", "a", "an", "this", "that", "these", "those", "when", "if", "as", "while", "each", "every", "all", "some", "any", "no":
		return true
	}
	switch p.cls[i] {
	case tNoun, tNouns, tProper, tPropers, tAdj, tCD:
		return false
	}
	return true
}

func (p *phraser) capWord(i int) bool {
	wi := p.infos[i]
	return usable(wi) && wi.cap
}

// possessives emits "Mordenkainen's Sword", "Heroes' Feast", "Thieves' Tools".
func (p *phraser) possessives(toks []tokenize.Token) {
	n := len(p.infos)
	for i := 1; i+1 < n; i++ {
		if toks[i].Kind != tokenize.Clitic || (p.strs[i] != "'s" && p.strs[i] != "'" && p.strs[i] != "'S") {
			continue
		}
		owner := p.infos[i-1]
		if !usable(owner) || !owner.cap {
			continue
		}
		// Capitalised words before the owner belong to it: "Dark One's
		// Blessing".
		first := i - 1
		for first > 0 && i-first < 3 && p.capWord(first-1) && !p.edgeWord(first-1) {
			first--
		}
		if owner.stop && first == i-1 {
			continue
		}
		end := -1
		for j := i + 1; j < n && j <= i+3 && j-first <= 4; j++ {
			wj := p.infos[j]
			if !usable(wj) || wj.stop || !(wj.cap || p.cls[j].noun() || p.cls[j] == tAdj) {
				break
			}
			if wj.cap || p.cls[j].noun() {
				end = j
			}
		}
		if end > 0 {
			if !owner.stop {
				p.phrase(toks, i-1, end)
			}
			if first < i-1 {
				p.phrase(toks, first, end)
			}
		}
	}
}
