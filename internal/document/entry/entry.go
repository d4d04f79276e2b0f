// Package entry recognises the parts of a sourcebook's entries that every
// format marks the same way once its parser knows the type style: stat block
// lines of several game systems, names, and the type line under a name.
// Parsers call Mark on their blocks once a document is read.
package entry

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
)

// Stat block lines of several systems.
var (
	// D&D 5e and its kin: a label, then values.
	stat5eRE = regexp.MustCompile(`^(Armor Class|Armour Class|Hit Points|Hit Dice|Speed|Saving Throws|Skills|Damage Vulnerabilities|Damage Resistances|Damage Immunities|Condition Immunities|Senses|Languages|Challenge|Proficiency Bonus|Str|Dex|Con|Int|Wis|Cha)\b(.*)$`)
	// Ability score rows: "STR DEX CON INT WIS CHA", "10 (+0) 14 (+2) ...".
	// AbilityHeadRE and AbilityRowRE match a 5e stat block's ability rows.
	AbilityHeadRE = regexp.MustCompile(`^(STR|Str)\b.*\b(DEX|Dex)\b.*\b(CON|Con)\b`)
	AbilityRowRE  = regexp.MustCompile(`^(\d{1,2}\s*\(\s*[+\-−–]?\s*\d+\s*\)\s*){3,6}$`)
	// Pathfinder 2e: "Creature 5", "Perception +12; darkvision", "AC 22;
	// Fort +14, Ref +10, Will +8", "HP 90", "Str +4, Dex +2, ...".
	statPF2RE = regexp.MustCompile(`^((Creature|Hazard|Item|Spell|Cantrip|Focus|Ritual|Feat|Familiar|Troop|Swarm)\s+[-−–]?\d{1,2}|(Perception|AC|HP|Fort|Ref|Will|Str|Speed)\s+[+\-−–]?\d+\b.*)$`)
	// OSR: two or more label-value pairs ("HD 3, AC 5, MV 120'", "AC 7 [12],
	// HD 1+1, Att 1 × weapon (1d6), THAC0 18, MV 90' (30'), SV D12, ML 8").
	osrPairRE = regexp.MustCompile(`\b(Armou?r Class|Hit Dice|HD|AC|MV|Mv|THAC0|AT|Att|#AT|#At|Dmg|D|SV|Sv|Save|ML|Morale|AL|XP|HP|hp|No\.? Appearing|NA|TT|Treasure|Move|Attacks|Damage|Level|SZ|Size|Int)\s*:?\s*[-+]?\d`)
	// Dungeon World and its kin: "Bite (d8+1 damage) · 10 HP · 3 Armor".
	dwHPRE    = regexp.MustCompile(`\b\d+ HP\b`)
	dwArmorRE = regexp.MustCompile(`\b\d+ Armor\b`)
	// Challenge lines carry an XP value.
	challengeRE = regexp.MustCompile(`^(Challenge|CR)\s+[\d/]+\s*(\(.*XP\))?`)
)

// StatLine reports a line of a stat block. label is the line's run-in
// label set in a style of its own, if any ("Armor Class" in bold).
func StatLine(s, label string) bool {
	if len(s) > 800 || s == "" || utf8.RuneCountInString(s) > 200 {
		return false
	}
	// The anchored patterns only when the first word can open a stat
	// line: a book has many lines and the patterns are not cheap.
	first := s
	if i := strings.IndexByte(s, ' '); i >= 0 {
		first = s[:i]
	}
	first = strings.TrimRight(first, ":;,.")
	r, _ := utf8.DecodeRuneInString(s)
	if !statFirst[first] && !unicode.IsDigit(r) {
		return osrLine(s)
	}
	if AbilityHeadRE.MatchString(s) || AbilityRowRE.MatchString(s) || challengeRE.MatchString(s) {
		return true
	}
	if m := stat5eRE.FindStringSubmatch(s); m != nil {
		rest := strings.TrimSpace(strings.TrimPrefix(m[2], ":"))
		switch {
		case label != "" && strings.EqualFold(strings.TrimRight(label, ":"), m[1]):
			return true // the label set apart
		case rest != "" && strings.ContainsAny(rest[:1], "0123456789+−–-(—"):
			return true // "Armor Class 15", "Str +4", "Speed 30 ft."
		}
	}
	if statPF2RE.MatchString(s) {
		return true
	}
	return osrLine(s)
}

// statFirst holds the words that open the anchored stat lines.
var statFirst = map[string]bool{}

func init() {
	for _, w := range strings.Fields("Armor Armour Hit Speed Saving Skills Damage Condition Senses Languages Challenge Proficiency " +
		"Str Dex Con Int Wis Cha STR CR Creature Hazard Item Spell Cantrip Focus Ritual Feat Familiar Troop Swarm Perception AC HP Fort Ref Will") {
		statFirst[w] = true
	}
}

// osrLine reports a line of two or more label-value pairs ("HD 3, AC 5,
// MV 120'"); the pattern runs only on lines with two numbers or more.
func osrLine(s string) bool {
	digits := 0
	for i := 0; i < len(s) && digits < 2; i++ {
		if s[i] >= '0' && s[i] <= '9' && (i == 0 || s[i-1] < '0' || s[i-1] > '9') {
			digits++
		}
	}
	if digits >= 2 && len(s) <= 400 && dwHPRE.MatchString(s) && dwArmorRE.MatchString(s) {
		return true
	}
	return digits >= 2 && len(s) <= 400 && utf8.RuneCountInString(s) <= 160 && len(osrPairRE.FindAllStringIndex(s, 3)) >= 2
}

// NameLike reports text that can be an entry's name: a few words on one or
// two lines, not a sentence.
func NameLike(s string, lines int) bool {
	n := len(strings.Fields(s))
	if n == 0 || n > 12 || lines > 2 || utf8.RuneCountInString(s) > 100 || !hasLetter(s) {
		return false
	}
	if dieHeadRE.MatchString(s) {
		return false // a roll table's header row ("d6 Encounter")
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r != '.' && r != ',' && r != ';'
}

var dieHeadRE = regexp.MustCompile(`^(\d*d\d+|d%)\b`)

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// FollowsName reports a block that can follow an entry's name: running
// text, a list, a table or a stat line, its type line, not another bold
// line.
func FollowsName(b *document.Block) bool {
	if b.Type == document.Heading {
		return false
	}
	return !b.Style.IsBold() || b.Role == document.RoleStats
}

// TypeLine reports a block that reads as an entry's type line: short, in
// italic ("Ring, legendary (requires attunement)", "3rd-level
// evocation"), or a Pathfinder level ("Creature 5").
func TypeLine(b *document.Block) bool {
	if b.Type == document.Table || b.Type == document.Heading || b.Lead != "" {
		return false
	}
	n := len(strings.Fields(b.Text))
	if n == 0 || n > 20 || utf8.RuneCountInString(b.Text) > 160 {
		return false
	}
	if b.Style.IsItalic() && !b.Style.IsBold() {
		return true
	}
	return statPF2RE.MatchString(b.Text) && n <= 3
}

// Mark gives a document's blocks, in reading order, their entry roles:
//
//   - a paragraph set wholly in bold, short enough for a name (NameLike),
//     followed by running text becomes a heading with Role name (over a
//     list or table it heads a section: a heading without a role);
//   - a heading of the deepest level the document uses (deepest; 0 when it
//     has none), or of level 3 or deeper, over an italic line is a name
//     too, not a chapter's title over its subtitle;
//   - the italic line right under a name is its type line (TypeLine).
//
// lines gives each block's number of source lines (nil: one each). New
// headings take level deepest+1 (at most 6).
func Mark(blocks []document.Block, lines []int, deepest int) {
	nlines := func(i int) int {
		if lines == nil || i >= len(lines) {
			return 1
		}
		return lines[i]
	}
	for i := range blocks {
		b := &blocks[i]
		var next *document.Block
		if i+1 < len(blocks) {
			next = &blocks[i+1]
		}
		switch {
		case b.Type == document.Paragraph && b.Role == "" && b.Lead == "" && b.Style.IsBold() && NameLike(b.Text, nlines(i)) && next != nil && FollowsName(next):
			b.Type, b.Level = document.Heading, min(deepest+1, 6)
			if next.Type != document.List && next.Type != document.Table {
				b.Role = document.RoleName
			}
		case b.Type == document.Heading && b.Role == "" && (b.Level == 0 || b.Level >= min(deepest, 3)) && NameLike(b.Text, nlines(i)) && next != nil && TypeLine(next):
			b.Role = document.RoleName
		}
		if b.Role == document.RoleName && next != nil && TypeLine(next) {
			next.Role = document.RoleTypeLine
			next.Type = document.Paragraph
		}
		// Pathfinder's trait line under the level: "UNCOMMON NE MEDIUM
		// UNDEAD".
		if (b.Role == document.RoleName || b.Role == document.RoleTypeLine) && next != nil && next.Role == "" && next.Type == document.Paragraph && traitLine(next.Text) {
			next.Role = document.RoleStats
		}
	}
}

// traitLine reports a line of two to eight words in capitals, as
// Pathfinder sets a creature's or spell's traits.
func traitLine(s string) bool {
	ws := strings.Fields(s)
	if len(ws) < 2 || len(ws) > 8 {
		return false
	}
	for _, w := range ws {
		letters := 0
		for _, r := range w {
			if unicode.IsLower(r) {
				return false
			}
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters == 0 {
			return false
		}
	}
	return true
}
