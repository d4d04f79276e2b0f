package extract

import (
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

func heading(s string) document.Block {
	return document.Block{Type: document.Heading, Text: s, Page: 1}
}

// TestPrecisionRules checks the rules that keep junk out of the candidate
// list; each row also names the terms the rule must not lose.
func TestPrecisionRules(t *testing.T) {
	tests := []struct {
		name   string
		blocks []document.Block
		want   []string // "text/pos" that must be candidates (pos may be empty)
		absent []string // "text/pos" that must not be candidates (pos may be empty)
	}{
		{"spell header labels with a colon",
			[]document.Block{heading("Dunewalk"), para("1st-level transmutation\nCasting Time: 1 action\nRange: Touch\nComponents: V, S, M (a feather from a desert hawk)\nDuration: 8 hours")},
			[]string{"Dunewalk/", "desert hawk/phrase"},
			[]string{"action Range", "Touch Components", "S Duration", "V Duration", "hawk Duration", "Components/", "Duration/", "Range/", "Casting Time"}},
		{"label words stay terms without a colon",
			[]document.Block{para("The range of the spell is long, and its duration is short.")},
			[]string{"duration/noun"}, nil},
		{"number words",
			[]document.Block{para("Nineteen days later, sixty riders and a dozen eighteen-year-old squires arrived.")},
			[]string{"riders/noun"},
			[]string{"nineteen", "nineteen days", "sixty", "sixty riders", "dozen"}},
		{"clause titles",
			[]document.Block{heading("Before You Set Out"), heading("What to Carry"), heading("Reading the Dunes"), heading("How We Travel")},
			nil,
			[]string{"You Set Out", "Set Out", "Carry", "Reading the Dunes", "Reading", "We Travel"}},
		{"names survive the clause rule",
			[]document.Block{heading("Speak with Animals"), heading("Detect Evil and Good"), heading("Flaming Sphere")},
			[]string{"Speak with Animals/phrase", "Detect Evil and Good/phrase", "Flaming Sphere/phrase"}, nil},
		{"plural section titles followed by a heading or table",
			[]document.Block{heading("Places of the Steppe"), heading("Veyrasholm"), para("A river city."),
				heading("Goods and Curios"), {Type: document.Table, Text: "Item | Price\nSandglass charm | 25 gp", Page: 1}},
			[]string{"Veyrasholm/", "Sandglass charm/phrase"},
			[]string{"Places of the Steppe", "Goods and Curios"}},
		{"plural item entries stay",
			[]document.Block{heading("Pipes of the Sewers"), para("Wondrous item, uncommon (requires attunement by a bard)."),
				heading("Boots of Elvenkind"), heading("Gauntlets of Ogre Power"), para("Wondrous item.")},
			[]string{"Pipes of the Sewers/phrase", "Boots of Elvenkind/phrase", "Gauntlets of Ogre Power/phrase"}, nil},
		{"plural and singular forms of a heading name merge",
			[]document.Block{heading("The Glass Dunes"), para("Caravans shelter in the lee of the Glass Dunes.")},
			[]string{"Glass Dunes/phrase"}, nil},
		{"generic lowercase phrases",
			[]document.Block{para("A good story buys water. South of the main route, skyglass fetches high prices. The old charts show it, said a personal remark.")},
			[]string{"skyglass/", "route/noun"},
			[]string{"good story", "main route", "high prices", "old charts", "personal remark"}},
		{"game phrases are not generic",
			[]document.Block{para("Its speed cannot be reduced by difficult terrain. An ancient red dragon bites, and the target takes 7 slashing damage.")},
			[]string{"difficult terrain/phrase", "ancient red dragon/phrase", "slashing damage/phrase"}, nil},
		{"lowercase of-names",
			[]document.Block{para("He drank a potion of healing, opened a bag of holding and cast wall of fire at a piece of paper and a curtain of drifting ash.")},
			[]string{"potion of healing/phrase", "bag of holding/phrase", "wall of fire/phrase"},
			[]string{"piece of paper", "curtain of drifting"}},
		{"plural subject before a base verb",
			[]document.Block{para("Goblins ambush travelers near the pass. Dwarves brave the cold.")},
			[]string{"goblins/noun", "travelers/noun", "ambush/verb"},
			[]string{"Goblins ambush travelers", "ambush travelers", "ambush/noun", "Dwarves brave"}},
		{"irregular past between nouns",
			[]document.Block{para("It was the first time a child saw rain.")},
			[]string{"rain/noun"},
			[]string{"child saw rain", "saw rain", "saw/noun"}},
		{"nouns the tagger took for verbs",
			[]document.Block{para("When it rises, walls of sand march across the plain. She treats sand, dust and gravel as ground. No caravan may leave the city gates without a guide. A gentle, constant breeze blows in shrill, piercing notes.")},
			[]string{"walls/noun", "sand/noun", "gates/noun", "gentle/adjective", "shrill/adjective"},
			[]string{"walls/verb", "sand/verb", "gates/verb", "gentle/verb", "shrill/verb"}},
		{"verbs before a subordinate clause stay verbs",
			[]document.Block{para("Its markets sell everything a caravan needs, and it is pulled toward you until the spell ends.")},
			nil,
			[]string{"caravan needs", "spell ends"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands := extractText(t, tt.blocks...)
			for _, w := range tt.want {
				text, pos := splitWant(w)
				if find(cands, text, pos) == nil {
					t.Errorf("missing %s", w)
				}
			}
			for _, a := range tt.absent {
				text, pos := splitWant(a)
				if c := find(cands, text, pos); c != nil {
					t.Errorf("unexpected %q/%s", c.Text, c.POS)
				}
			}
			if t.Failed() {
				for _, c := range cands {
					t.Logf("  %q/%s lemma %q", c.Text, c.POS, c.Lemma)
				}
			}
		})
	}
}

// splitWant splits "text/pos" ("text" alone, or "text/" for any pos).
func splitWant(w string) (string, POS) {
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] == '/' {
			return w[:i], POS(w[i+1:])
		}
	}
	return w, ""
}

// TestStructureRules checks that terms follow the structure a book marks
// with type style (document.Block Role, Lead): names of any length come out
// whole, type lines and stat labels never glue onto a name, run-in labels
// and list items are terms of their own. Rows cover several systems.
func TestStructureRules(t *testing.T) {
	name := func(s string) document.Block {
		return document.Block{Type: document.Heading, Text: s, Page: 1, Role: document.RoleName, Style: document.Bold}
	}
	typeLine := func(s string) document.Block {
		return document.Block{Type: document.Paragraph, Text: s, Page: 1, Role: document.RoleTypeLine, Style: document.Italic}
	}
	lead := func(l, s string) document.Block {
		return document.Block{Type: document.Paragraph, Text: l + " " + s, Page: 1, Lead: l}
	}
	stats := func(s string) document.Block {
		return document.Block{Type: document.Paragraph, Text: s, Page: 1, Role: document.RoleStats}
	}
	tests := []struct {
		name   string
		blocks []document.Block
		want   []string
		absent []string
	}{
		{"long names set on their own line",
			[]document.Block{name("Talisman of the Snow Queen"), typeLine("Wondrous item, legendary (requires attunement)"), para("It is cold."),
				name("Amulet of Proof against Detection and Location"), typeLine("Wondrous item, uncommon (requires attunement)"), para("You are hidden."),
				heading("Boots of Striding and Springing"), para("Your speed becomes 30 feet.")},
			[]string{"Talisman of the Snow Queen/phrase", "Amulet of Proof against Detection and Location/phrase", "Boots of Striding and Springing/phrase"},
			[]string{"Talisman of the Snow Queen Wondrous", "Location Wondrous", "Wondrous/proper_noun"}},
		{"a long name in prose",
			[]document.Block{para("She wore the Talisman of the Snow Queen to the feast.")},
			[]string{"Talisman of the Snow Queen/phrase"}, nil},
		{"type lines are no names and never glue",
			[]document.Block{name("Ring of Invisibility"), typeLine("Ring, legendary (requires attunement)"), para("While wearing this ring, you can turn invisible."),
				heading("Mending"), typeLine("Transmutation cantrip"), para("This spell repairs a single break."),
				heading("Ankheg"), typeLine("Group, Large"), para("A hide like plate armor.")},
			[]string{"Ring of Invisibility/phrase", "Mending/", "Ankheg/"},
			[]string{"Ring of Invisibility Ring", "Mending Transmutation", "Transmutation/proper_noun", "Large/proper_noun", "Ankheg Group", "Group Large"}},
		{"run-in labels are their own terms",
			[]document.Block{lead("Power Strike.", "When you hit a creature, it takes extra damage."),
				lead("Keen Smell.", "The wolf has advantage on Wisdom checks.")},
			[]string{"Power Strike/phrase", "Keen Smell/phrase"},
			[]string{"Power Strike When", "Smell The"}},
		{"stat-block run-in labels are no terms",
			[]document.Block{lead("Armor Class.", "15 (natural armor)"), lead("Senses:", "darkvision 60 ft."), lead("Casting Time:", "1 action")},
			nil,
			[]string{"Armor Class", "Senses/", "Casting Time"}},
		{"comma lists give one term per item",
			[]document.Block{para("You can cast one of the following spells from it: cone of cold (5 charges), fireball (5th-level version, 5 charges), globe of invulnerability (6 charges), or wall of force (5 charges).")},
			[]string{"cone of cold/phrase", "fireball/", "globe of invulnerability/phrase", "wall of force/phrase"},
			[]string{"cold fireball", "fireball globe"}},
		{"capitalised lists never glue",
			[]document.Block{para("Bard spells include Hideous Laughter, Greater Invisibility, Mirror Image; Scrying, Feeblemind and Longstrider."),
				{Type: document.List, Text: "Hideous Laughter\nGreater Invisibility\nMending", Page: 1},
				{Type: document.Table, Text: "Staff | Spells\nStaff of Power | cone of cold, globe of invulnerability, wall of force", Page: 1}},
			[]string{"Hideous Laughter/phrase", "Greater Invisibility/phrase", "Mirror Image/phrase", "globe of invulnerability/phrase", "wall of force/phrase"},
			[]string{"Hideous Laughter Greater Invisibility", "Laughter Greater", "Invisibility Mirror Image", "Scrying Feeblemind", "Greater Invisibility Mending"}},
		{"lists set in columns, one item a line",
			[]document.Block{{Type: document.List, Text: "cure wounds\ndetect magic\nfaerie fire\nhealing word", Page: 1},
				{Type: document.Table, Text: "mage hand\nminor illusion", Page: 1}},
			[]string{"faerie fire/phrase", "healing word/phrase", "mage hand/phrase", "minor illusion/phrase"},
			[]string{"wounds detect", "magic faerie", "magic faerie fire", "fire healing", "hand minor", "hand minor illusion"}},
		{"D&D 5e stat block",
			[]document.Block{heading("Goblin"), typeLine("Small humanoid (goblinoid), neutral evil"),
				stats("Armor Class 15 (leather armor, shield) Hit Points 7 (2d6) Speed 30 ft.\nCondition Immunities poisoned Senses darkvision 60 ft., passive Perception 9\nLanguages Common, Goblin Challenge 1/4 (50 XP)")},
			[]string{"Goblin/"},
			[]string{"Goblin Challenge", "poisoned Senses", "poisoned Senses darkvision", "Senses darkvision", "Challenge/", "Perception/", "Hit Points", "Armor Class", "Speed/"}},
		{"Pathfinder 2e stat block",
			[]document.Block{heading("Young Red Dragon"), typeLine("Creature 10"),
				stats("UNCOMMON CE LARGE DRAGON FIRE\nPerception +20; darkvision, scent (imprecise) 60 feet\nSkills Acrobatics +17, Arcana +19, Intimidation +22\nStr +7, Dex +3, Con +5, Int +4, Wis +4, Cha +5\nAC 30; Fort +21, Ref +17, Will +19\nHP 210; Immunities fire, paralyzed, sleep; Weaknesses cold 10\nSpeed 40 feet, fly 120 feet")},
			[]string{"Young Red Dragon/phrase", "darkvision/"},
			[]string{"Creature/", "Perception/", "Fort/", "Ref Will", "UNCOMMON/", "LARGE DRAGON FIRE", "DRAGON FIRE", "CE LARGE", "Young Red Dragon Creature", "Skills Acrobatics", "Immunities/", "Weaknesses/"}},
		{"capitals that are no trait line stay names",
			[]document.Block{heading("THE CAVES OF CHAOS"), para("KOBOLD LAIR\nThe kobolds of the LARGE CAVERN guard it.")},
			[]string{"KOBOLD LAIR/phrase"}, nil},
		{"stat lines of a system with labels of its own",
			[]document.Block{heading("Orc Warlord"), para("Attributes: Agility d8, Smarts d6, Spirit d8, Strength d10, Vigor d10\nPace 6; Parry 7; Toughness 9 (2)\nOrc warlords ride dire wolves.")},
			[]string{"Orc Warlord/phrase", "dire wolves/phrase"},
			[]string{"Agility/", "Smarts/", "Vigor/", "Pace/", "Parry/", "Toughness/"}},
		{"table rows run together keep their item names",
			[]document.Block{{Type: document.Table, Text: "Item Cost Speed Galley 30,000 gp 4 mph\nShortbow 25 1d6 gp piercing Ammunition 2 lb. (range 80/320), two-handed 1d4 Whip 2 gp slashing 3 lb. Finesse, reach", Page: 1}},
			[]string{"Galley/", "Shortbow/", "Whip/"}, nil},
		{"numbers after names in prose stay names",
			[]document.Block{para("In 1372 the Baron of Elturel sent 300 riders north, and Captain Ilsa led 40 of them.")},
			[]string{"Baron of Elturel/phrase", "Captain Ilsa/phrase"}, nil},
		{"old-school stat line",
			[]document.Block{heading("Gnoll"), para("HD 2, AC 5, MV 90', Attacks 1 weapon, Dmg 2d4, Save F2, Morale 8, XP 20\nGnolls are large hyena-headed humanoids.")},
			[]string{"Gnoll/", "hyena-headed humanoids/phrase"},
			[]string{"HD/", "MV/", "Morale/", "Dmg/", "Save/", "Gnoll HD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands := extractText(t, tt.blocks...)
			for _, w := range tt.want {
				text, pos := splitWant(w)
				if find(cands, text, pos) == nil {
					t.Errorf("missing %s", w)
				}
			}
			for _, a := range tt.absent {
				text, pos := splitWant(a)
				if c := find(cands, text, pos); c != nil {
					t.Errorf("unexpected %q/%s", c.Text, c.POS)
				}
			}
			if t.Failed() {
				for _, c := range cands {
					t.Logf("  %q/%s lemma %q", c.Text, c.POS, c.Lemma)
				}
			}
		})
	}
}

// TestStyleWithoutRoles reads a document whose parser recorded bold and
// italic but no roles (a PDF whose layout says only the type style): the
// style alone keeps a long bold name whole and its italic type line off it.
func TestStyleWithoutRoles(t *testing.T) {
	cands := extractText(t,
		document.Block{Type: document.Paragraph, Text: "Talisman of the Snow Queen", Page: 1, Style: document.Bold},
		document.Block{Type: document.Paragraph, Text: "Wondrous item, legendary (requires attunement)", Page: 1, Style: document.Italic},
		para("It is cold to the touch."),
		document.Block{Type: document.Paragraph, Text: "A quiet night falls on the Snow Queen", Page: 1, Style: document.Italic})
	c := find(cands, "Talisman of the Snow Queen", Phrase)
	if c == nil || c.TypeLine != "Wondrous item, legendary (requires attunement)" {
		t.Errorf("name %+v", c)
	}
	if c := find(cands, "Wondrous", ""); c != nil && c.POS == ProperNoun {
		t.Errorf("type line gave %q/%s", c.Text, c.POS)
	}
	if find(cands, "Snow Queen", "") == nil {
		t.Error("italic prose after body text is no type line: its names count")
	}
}

// TestTypeLineReachesTheName checks that the type line under a name is
// kept for the classifier on the name's candidate.
func TestTypeLineReachesTheName(t *testing.T) {
	cands := extractText(t,
		document.Block{Type: document.Heading, Text: "Ring of Invisibility", Page: 1, Role: document.RoleName},
		document.Block{Type: document.Paragraph, Text: "Ring, legendary (requires attunement)", Page: 1, Role: document.RoleTypeLine},
		para("While wearing this ring, you can turn invisible as an action."))
	c := find(cands, "Ring of Invisibility", Phrase)
	if c == nil {
		t.Fatal("no Ring of Invisibility")
	}
	if c.TypeLine != "Ring, legendary (requires attunement)" {
		t.Errorf("TypeLine %q", c.TypeLine)
	}
	if !strings.Contains(c.Block, "legendary") {
		t.Errorf("Block %q lacks the type line", c.Block)
	}
}
