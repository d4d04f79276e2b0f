package extract

import (
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// Labels: the stat-block, header and colon labels of a segment, which are
// no terms.

// markLabels hides stat-block labels from the candidate rules: known
// label phrases ("Armor Class") and the capitalised words that open a line
// and precede a number ("Challenge 3 (700 XP)", "Speed 30 ft.").
func (p *phraser) markLabels(toks []tokenize.Token) {
	lb := p.lbuf[:0]
	for i := 0; i+1 < len(p.infos); i++ {
		if p.infos[i] == nil || !p.r.lx.LabelStart(p.infos[i].lower) {
			continue
		}
		for n := 5; n >= 2; n-- {
			if i+n > len(p.infos) {
				continue
			}
			lb = lb[:0]
			ok := true
			for k := i; k < i+n; k++ {
				if p.infos[k] == nil {
					ok = false
					break
				}
				if k > i {
					lb = append(lb, ' ')
				}
				lb = append(lb, p.infos[k].lower...)
			}
			if ok && p.r.lx.LabelBytes(lb) {
				for k := i; k < i+n; k++ {
					p.infos[k] = &p.labelInfo
				}
				break
			}
		}
	}
	p.lbuf = lb
	p.markColonLabels()
	statLine := p.role == document.RoleStats || p.statPairs(toks) >= 3
	for i := 0; i+1 < len(toks); i++ {
		wi := p.infos[i]
		if wi == nil || wi.label {
			continue
		}
		lineStart := p.lineStartAt(p.segFrom + i)
		// "Senses darkvision 60 ft.", "Languages Abyssal", and the same
		// run into the line before it ("poisoned Senses darkvision"); not
		// inside a name ("Keen Senses").
		if lineLeads[wi.lower] && (lineStart || wi.cap && i > 0 && !(p.infos[i-1] != nil && p.infos[i-1].cap)) {
			p.infos[i] = &p.labelInfo
			continue
		}
		// In a stat block, or a line of three or more "Label number"
		// pairs, any capitalised word before its number is a label, so
		// systems with labels of their own are read too ("Parry 6;
		// Toughness 8", "Agility d8, Smarts d6, Vigor d8").
		if !(statLeads[wi.lower] || statLine && wi.cap) || !lineStart && !wi.cap {
			continue
		}
		// A stat label before its number, wherever a layout put it:
		// "Challenge 5 (1,800 XP)", "Hit Points 45", "Perception +12",
		// "Creature 5", "HD 3, AC 5, MV 120'".
		// At a line start a label may run to three words ("Hit Dice 2");
		// in mid-line it is one word, so it cannot take the name before
		// a price for itself ("Item Cost Speed Galley 30,000 gp").
		n := i + 1
		for lineStart && n < len(toks) && n < i+3 && p.infos[n] != nil && p.infos[n].cap && p.infos[n].clean {
			n++
		}
		if n < len(toks) && p.numeric(toks, n) { // "Save F2", "Agility d8"
			for k := i; k < n; k++ {
				p.infos[k] = &p.labelInfo
			}
			i = n
		}
	}
}

// statPairs counts the "Label number" pairs of the segment: a capitalised
// word directly followed by a number or dice, opening the segment, a line
// or a part after a comma or semicolon ("Parry 7; Toughness 9"). A table
// row run together by a layout ("Shortbow 25 gp ... Whip 2 gp") has its
// pairs in mid-line, not after separators.
func (p *phraser) statPairs(toks []tokenize.Token) int {
	n := 0
	for i := 0; i+1 < len(toks); i++ {
		wi := p.infos[i]
		if wi == nil || !wi.cap || !wi.clean || !p.numeric(toks, i+1) {
			continue
		}
		if i == 0 || p.strs[i-1] == "," || p.strs[i-1] == ";" || p.lineStartAt(p.segFrom+i) {
			n++
		}
	}
	return n
}

// numeric reports a number, dice or a code with digits ("d8", "F2") at
// token i of the segment.
func (p *phraser) numeric(toks []tokenize.Token, i int) bool {
	k := toks[i].Kind
	return k == tokenize.Number || k == tokenize.Dice || k == tokenize.Word && strings.ContainsAny(p.strs[i], "0123456789")
}

// markColonLabels hides the capitalised header labels of spell and item
// blocks that end in a colon ("Casting Time: 1 action", "Range: Touch"),
// so no phrase straddles two header lines ("action Range", "V Duration").
func (p *phraser) markColonLabels() {
	for k := 1; k < len(p.strs); k++ {
		if p.strs[k] != ":" {
			continue
		}
		for n := 1; n <= 2 && n <= k; n++ {
			a := k - n
			first := p.infos[a]
			if first == nil || !first.cap || first.label {
				continue
			}
			key := first.lower
			if n == 2 {
				if p.infos[a+1] == nil {
					continue
				}
				key += " " + p.infos[a+1].lower
			}
			if colonLabels[key] {
				for i := a; i < k; i++ {
					p.infos[i] = &p.labelInfo
				}
				break
			}
		}
	}
}

// lineStartAt reports whether token g of the block is the first on its line.
func (p *phraser) lineStartAt(g int) bool {
	return g == 0 || strings.IndexByte(p.text[p.toks[g-1].End:p.toks[g].Start], '\n') >= 0
}
