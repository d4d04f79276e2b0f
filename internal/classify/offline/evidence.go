package offline

import (
	"bytes"
	"strings"
	"unicode"
)

// Evidence beyond the stat lines of one game: the section an entry sits in,
// the type and stat lines of other systems, and how the text uses a coined
// name. Each rule has its own weight, tested in evidence_test.go.

// Weights of the rules.
const (
	sectionWeight = 3.5 // an entry under "Bestiary", "Spells", "Magic Items"
	systemWeight  = 6.0 // a type line: "Creature 5", "Spell 2", "Item 3", "Solitary, Large"
	tagWeight     = 4.0 // a weaker type line: "Level 1 Ongoing", "Close, 2 weight"
	statWeight    = 5.0 // a stat line: "HD 3 AC 5 MV 120'", "10 HP · 3 Armor"
	speciesWeight = 2.5 // "a vavakia", "the zuipnyrns": a kind, not a person
	siblingWeight = 3.0 // the category most entries of the section share
)

// sectionWords name what a chapter or section holds.
var sectionWords = map[string]int{
	"bestiary": iCreature, "monsters": iCreature, "monster": iCreature, "creatures": iCreature, "beasts": iCreature,
	"adversaries": iCreature, "foes": iCreature, "enemies": iCreature, "npcs": iCreature, "denizens": iCreature,
	"dwellers": iCreature, "inhabitants": iCreature, "menagerie": iCreature, "undead": iCreature, "animals": iCreature,
	"spells": iSpell, "spell": iSpell, "cantrips": iSpell, "rituals": iSpell, "prayers": iSpell, "incantations": iSpell,
	"invocations": iSpell, "miracles": iSpell, "spellbook": iSpell, "grimoire": iSpell, "hexes": iSpell,
	"items": iItem, "equipment": iItem, "gear": iItem, "treasure": iItem, "treasures": iItem, "artifacts": iItem,
	"relics": iItem, "weapons": iItem, "armor": iItem, "armour": iItem, "potions": iItem, "wands": iItem, "rings": iItem,
	"staves": iItem, "scrolls": iItem, "trinkets": iItem, "wondrous": iItem, "armory": iItem, "armoury": iItem, "arsenal": iItem,
	"gods": iCharacter, "deities": iCharacter, "pantheon": iCharacter, "pantheons": iCharacter, "patrons": iCharacter,
	"saints": iCharacter, "personalities": iCharacter, "heroes": iCharacter, "villains": iCharacter,
	"locations": iLocation, "places": iLocation, "regions": iLocation, "gazetteer": iLocation, "geography": iLocation,
	"cities": iLocation, "settlements": iLocation, "lands": iLocation, "realms": iLocation, "planes": iLocation,
	"materials": iMaterial, "substances": iMaterial, "reagents": iMaterial, "herbs": iMaterial,
}

// listingWords follow a kind named in the singular in a heading that lists
// its entries: "Spell Descriptions" (5e), "Monster Entries", "Magic Item
// List", "Creature Catalog".
var listingWords = map[string]bool{
	"descriptions": true, "description": true, "list": true, "lists": true, "entries": true, "compendium": true,
	"catalog": true, "catalogue": true, "roster": true, "codex": true, "manual": true, "index": true, "listings": true,
}

// singularKinds are the kinds a listing heading names in the singular.
var singularKinds = map[string]int{
	"spell": iSpell, "cantrip": iSpell, "ritual": iSpell, "prayer": iSpell,
	"item": iItem, "weapon": iItem, "treasure": iItem, "artifact": iItem,
	"creature": iCreature, "monster": iCreature, "beast": iCreature, "npc": iCreature,
}

// sectionCategory is the category the innermost heading of section that
// names one says its entries have, or -1. A heading naming two ("Spells and
// Magic Items") says nothing; an inner one decides.
func sectionCategory(section string) int {
	parts := strings.Split(section, " / ")
	for i := len(parts) - 1; i >= 0; i-- {
		found := -1
		words := strings.FieldsFunc(strings.ToLower(parts[i]), func(r rune) bool { return !unicode.IsLetter(r) })
		for j, w := range words {
			c, ok := sectionWords[w]
			listing := j+1 < len(words) && listingWords[words[j+1]]
			if k, sing := singularKinds[w]; sing && listing {
				c, ok = k, true
			}
			if !ok {
				continue
			}
			// "magic items" is items, not spells; "spell components" is
			// not spells, but "spell descriptions" is.
			if w == "spell" && j+1 < len(words) && !listing {
				continue
			}
			if found >= 0 && found != c {
				found = -2
				break
			}
			found = c
		}
		if found >= 0 {
			return found
		}
	}
	return -1
}

// systemKinds open a type line with a level: Pathfinder's "Creature 5",
// "Spell 2", "Item 3"; "Cantrip 1", "Focus 3", "Ritual 4", "Hazard 2".
var systemKinds = map[string]int{
	"creature": iCreature, "monster": iCreature, "npc": iCreature, "troop": iCreature,
	"spell": iSpell, "cantrip": iSpell, "focus": iSpell, "ritual": iSpell,
	"item": iItem, "rune": iItem, "consumable": iItem, "artifact": iItem, "relic": iItem,
}

// creatureTags open a creature's tag line in games without sizes in their
// types: "Solitary, Large", "Horde, Small", "Group, Organized".
var creatureTags = map[string]bool{"solitary": true, "group": true, "horde": true, "swarm": true, "elite": true, "minion": true, "mob": true}

// readSystemLine reads the line right after a term as another system's type
// or stat line. near is the lowercase text after the term.
func (ev *contextEvidence) readSystemLine(near []byte) {
	// Only a name that ends its line has a type line under it.
	near = bytes.TrimLeft(near, " \t*_:")
	if len(near) == 0 || near[0] != '\n' {
		return
	}
	near = near[1:]
	lines := bytes.SplitN(near, []byte("\n"), 4)
	for n, line := range lines {
		if n > 2 {
			break
		}
		line = bytes.Trim(line, " \t*_")
		if len(line) == 0 {
			continue
		}
		c, w := systemLine(line)
		if c >= 0 && ev.header[c] < w {
			ev.header[c] = w
			return
		}
		if n == 0 && len(line) > 80 {
			return // a description: no type line here
		}
	}
}

// systemLine reads one line as a type or stat line: the category and the
// weight, or -1.
func systemLine(line []byte) (int, float64) {
	var words []string
	for _, f := range bytes.FieldsFunc(line, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '+' && r != '-' }) {
		words = append(words, string(f))
	}
	if len(words) == 0 {
		return -1, 0
	}
	short := len(line) <= 80
	// "Creature 5", "Spell 2 (Evocation)", "Item 3".
	if c, ok := systemKinds[words[0]]; ok && len(words) >= 2 && isNumberish(words[1]) && short {
		return c, systemWeight
	}
	// "Solitary, Large", "Horde, Small, Stealthy".
	if creatureTags[words[0]] && short && bytes.IndexByte(line, ',') > 0 {
		return iCreature, systemWeight
	}
	// OSR stat lines: "HD 3, AC 5, MV 120'"; "Armor Class 4, Hit Dice 2".
	osr := 0
	for i, w := range words {
		switch w {
		case "hd", "mv", "thac0", "morale", "ml", "hp":
			if i+1 < len(words) && isNumberish(words[i+1]) || i > 0 && isNumberish(words[i-1]) {
				osr++
			}
		case "ac", "armor", "armour":
			if i+1 < len(words) && isNumberish(words[i+1]) || i > 0 && isNumberish(words[i-1]) {
				osr++
			}
		}
	}
	if osr >= 2 {
		return iCreature, statWeight
	}
	if !short {
		return -1, 0
	}
	// "Level 1 Ongoing", "Rote", "4th-level illusion" without a school list,
	// "Cantrip Ongoing".
	switch {
	case words[0] == "rote" || words[0] == "cantrip" && len(words) <= 3:
		return iSpell, tagWeight
	case words[0] == "level" && len(words) >= 2 && isNumberish(words[1]) && len(words) <= 4:
		return iSpell, tagWeight
	}
	// "Close, 2 weight", "0 weight", "1 ammo, 1 weight", "worn, 1 weight".
	for i, w := range words {
		if (w == "weight" || w == "wt" || w == "bulk" || w == "uses" || w == "ammo") && i > 0 && isNumberish(words[i-1]) {
			return iItem, tagWeight
		}
	}
	return -1, 0
}

// speciesUse reports whether the text uses name as a kind of being: in lower
// case ("an ankheg"), after "a" or "an", or in the plural ("the
// zuipnyrns"). A person's name takes none of these.
func speciesUse(text, name string) bool {
	if name == "" {
		return false
	}
	low := strings.ToLower(name)
	ltext := strings.ToLower(text)
	for off := 0; off < len(ltext); {
		i := strings.Index(ltext[off:], low)
		if i < 0 {
			break
		}
		i += off
		end := i + len(low)
		off = end
		if i > 0 && isWordByte(ltext[i-1]) {
			continue
		}
		plural := strings.HasPrefix(ltext[end:], "s") && (end+1 == len(ltext) || !isWordByte(ltext[end+1])) ||
			strings.HasPrefix(ltext[end:], "es") && (end+2 == len(ltext) || !isWordByte(ltext[end+2]))
		if !plural && end < len(ltext) && isWordByte(ltext[end]) {
			continue
		}
		if plural {
			return true
		}
		// Lower case in the original text: a common noun.
		if text[i:end] == low && low != name {
			return true
		}
		before := strings.TrimRight(ltext[max(0, i-4):i], " ")
		if strings.HasSuffix(before, " a") || strings.HasSuffix(before, " an") || before == "a" || before == "an" {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool { return wordByte[lowerTable[c]] }
