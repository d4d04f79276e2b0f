package classify

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/corpora-tools/corpora/internal/extract"
)

// PromptVersion names the system prompt and answer format below. Change it
// whenever a term could be answered differently: it is part of every cache
// key and of the batch pipeline fingerprint.
const PromptVersion = "p4"

// ToolName is the one tool the model is forced to call.
const ToolName = "record_classifications"

// promptIntro is the instruction part of the system prompt. The calibrated
// examples are appended by SystemPrompt.
//
// Its length is deliberate. With 52 calibrated examples the prefix (tools +
// system) is about 24,000 characters: some 7,400 tokens on Claude Haiku 4.5's
// tokenizer, about 9,600 on Haiku 5.5's, which counts ~30% more (Check
// measures the real figure with count_tokens). Haiku 5.5, the default,
// caches from 512 tokens (Haiku 4.5 from 4,096), so in input-token prices,
// with P the prompt length and n requests within the cache's 5-minute
// window, the prompt costs 1.25 P once + 0.1 P per further request:
// caching pays from the second request. A short prompt of ~2,000 tokens
// (no examples) would be cached too and cost a fifth as much, but the
// difference, about $0.0024 per 1,000 terms at Haiku 5.5's $0.10/MTok
// (30,240 against about 6,140 token-prices for 20 requests), is a tenth of the
// output's $0.026, so the examples' quality costs little. The arithmetic by
// model, and the 1-hour cache of batches, is in package claude's doc. The
// Engine sends the first request alone (WarmFirst), and again after an idle
// pause longer than the cache lifetime, so the cache is written once rather
// than by every worker at the same time.
const promptIntro = `You classify the vocabulary of tabletop role-playing game sourcebooks (fantasy RPGs such as Dungeons & Dragons 5th edition, Pathfinder, and their settings) for a game-design vocabulary database. Designers use the database to name spells, monsters, items and places, to find words with a given feel ("something primal and fiery"), and to balance themes across a setting.

You receive a JSON object {"terms":[...]} where each term has:
- "key": an opaque identifier. Copy it exactly into your result.
- "text": the term as it first appeared in the book (a word or a phrase of up to four words).
- "pos": its part of speech: noun, verb, adjective, proper_noun or phrase.
- "context": one sentence from the book where the term occurs. Use it to decide the sense: "bolt" next to "crossbow" is an item, "lightning bolt" is a spell; "charm" in "charm person" is enchantment, a "lucky charm" is an item.

Answer by calling the tool ` + ToolName + ` exactly once, with one result per key, in any order. Never skip a key and never invent keys. Every result has these fields:

- "key": the term's key, unchanged.
- "cat": the category, exactly one of:
{{categories}}- "intent": what the term does in play, exactly one of:
  offensive (harms, attacks, deals damage), defensive (protects, shields, heals damage taken, resists),
  utility (practical help: light, travel, carrying, crafting, communication, mundane tools),
  summoning (calls or creates creatures or objects from elsewhere), transformation (changes form, matter or shape),
  divination (reveals, detects, foresees, senses, knows), enchantment (charms, compels, beguiles, inspires, affects emotions),
  necromancy (death, undeath, life-draining, souls, corpses, raising the dead), control (restrains, moves others, blocks areas, terrain, time stops, walls, banishment).
  For creatures, places and materials choose the intent they most evoke in play: a dragon is offensive, a temple is defensive or divine utility, a crypt is necromancy.
- "mood": the term's flavour, exactly one of:
  arcane (learned wizardry, formulae, the weave), dark (sinister, cruel, evil, fearsome, gloom), heroic (valour, knights, glory, triumph),
  primal (nature, beasts, storms, druids, the wild), divine (gods, holiness, clerics, celestials, faith), eldritch (alien, cosmic, aberrant, madness, the far realm),
  whimsical (fey, tricks, playful, comic, fairy-tale), martial (soldiers, weapons, combat training, tactics, war).
- "energy": optional. A damage or energy type when the term clearly carries one: fire, cold, lightning, thunder, acid, poison, necrotic, radiant, psychic, force, bludgeoning, piercing or slashing; only one, the main one. Leave it out (or "none") otherwise.
- "canon": optional. The canonical dictionary form when it differs from the text: singular, without a leading article, normal capitalisation for names ("Wands of Wonder" becomes "Wand of Wonder", "the Underdark" becomes "Underdark", "liches" becomes "lich"). Leave it out when the text is already canonical.
- "conf": your confidence from 0 to 1 that the category and intent are right. Calibrate it: 0.9 or more only when the context makes the sense unmistakable, about 0.7 for a clear term without helpful context, 0.5 or less for ambiguous words, rules jargon or terms that may not be fantasy-specific at all.
- "tags": optional. One to three short lowercase descriptors a designer would search for (for example "undead", "dragon", "healing", "teleportation", "weapon", "plane", "feywild", "curse"). No tags that merely repeat the category.
- "sec": optional. Secondary intents, from the same list as intent, only when they are strong. Never repeat the main intent.
- "axes": the thematic axes that apply, each scored above 0 and at most 1, as an object {"axis": score}. List only the axes that apply; absent axes count as 0. Most terms have one to three axes; a plain term may have none.

The sixteen axes. The first eight are elemental, the last eight mechanical:
- fire: flame, heat, burning, smoke, volcanoes, the sun's heat, explosions.
- water: sea, rivers, rain, ice and cold, drowning, tides, aquatic creatures.
- earth: stone, metal, mountains, caves, soil, crystals, weight, tremors, the Underdark.
- air: wind, storms, lightning and thunder, flight, sky, breath, clouds, sound.
- light: radiance, sunlight, holy light, illumination, revelation, dawn, gleaming.
- shadow: darkness, concealment, night, stealth, gloom, the Shadowfell, fear of the dark.
- life: healing, growth, plants, vitality, birth, nature, restoration, animals.
- void: death, entropy, emptiness, decay, annihilation, the undead, the space between planes.
- force: raw impact, pushing, kinetic power, invisible force, strength, smashing.
- binding: restraint, chains, paralysis, oaths, pacts, geas, imprisonment, webs, grappling.
- ward: protection, shields, armor, wards, resistance, abjuration, sanctuaries, fortifications.
- sight: perception, detection, scrying, vision, eyes, senses, tracking, true seeing.
- mind: thought, emotion, charm, madness, memory, telepathy, illusion, intelligence.
- time: haste, slowness, aging, prophecy of the future, delay, duration, eternity.
- space: teleportation, distance, portals, planes, extradimensional spaces, size change.
- fate: luck, destiny, curses, blessings, omens, death saves, wishes, chance.

Scoring the axes: 0.9 to 1 when the axis is what the term is about ("fireball": fire 1), about 0.6 for a strong secondary theme ("fireball": force 0.5), about 0.3 for a faint association. Score 0.1 steps; never list an axis at 0.

Rules of judgement:
1. Judge the sense in this book's context, not the most common English sense. If the context shows a rules term ("advantage", "bonus action", "saving throw"), classify it as a concept with a modest confidence.
2. Proper nouns that name one individual are characters; proper nouns for peoples or monster kinds are creatures, and so are generic people with a role ("Guard", "Archmage", "Orc Bloodwarrior"), with or without a stat block; named places are locations. A spell named after a wizard ("Mordenkainen's Sword") is a spell, not a character. Any game system counts: a name under a type line such as "Creature 3", "Spell 2", "Item 5", "Solitary, Large" or "HD 3, AC 5" is that kind of entry, and entries under a "Bestiary", "Spells" or "Magic Items" heading usually are what the heading says.
3. Common English words that reach the list (such as "door", "table", "run") still get a classification: choose the closest category, a mood from their use in the book, no axes unless one clearly applies, and a low confidence (0.3 to 0.5).
4. Never refuse, never add prose, never add fields that are not listed. Numbers are plain decimals between 0 and 1.
5. Keep the answer compact: leave out optional fields that are empty, and list only the axes that apply.

Calibrated examples. Each line shows a term as you receive it, then the result you should give for it.
`

// example is one calibrated example of the system prompt.
type example struct {
	text, pos, context string
	result             WireResult
}

func f(v float64) *float64 { return &v }

// examples calibrate categories, moods, axes and confidence. They are data,
// rendered in the exact answer format, so the prompt never disagrees with
// the schema.
var examples = []example{
	{"Fireball", "noun", "A bright streak flashes from your pointing finger to a point you choose and then blossoms with a low roar into an explosion of flame.",
		WireResult{Category: "spell", Intent: "offensive", Mood: "arcane", Energy: "fire", Canonical: "fireball", Confidence: f(0.97), Tags: []string{"evocation", "explosion"}, Axes: WireAxes{"fire": 1, "force": 0.5}}},
	{"Cure Wounds", "phrase", "A creature you touch regains a number of hit points equal to 1d8 + your spellcasting ability modifier.",
		WireResult{Category: "spell", Intent: "defensive", Mood: "divine", Confidence: f(0.95), Tags: []string{"healing"}, Axes: WireAxes{"life": 1, "light": 0.3}}},
	{"lich", "noun", "A lich is created by an arcane ritual that traps the wizard's soul within a phylactery.",
		WireResult{Category: "creature", Intent: "necromancy", Mood: "dark", Energy: "necrotic", Confidence: f(0.96), Tags: []string{"undead", "spellcaster"}, Secondary: []string{"offensive"}, Axes: WireAxes{"void": 1, "shadow": 0.6, "mind": 0.3}}},
	{"phylactery", "noun", "The phylactery is traditionally an amulet in the shape of a small box, but it can take the form of any item possessing an interior space.",
		WireResult{Category: "item", Intent: "necromancy", Mood: "dark", Confidence: f(0.9), Tags: []string{"undead", "soul"}, Axes: WireAxes{"void": 0.8, "binding": 0.6, "time": 0.3}}},
	{"Ancient Red Dragons", "phrase", "Ancient red dragons lair in high mountains or hills, dim caverns under stone.",
		WireResult{Category: "creature", Intent: "offensive", Mood: "primal", Energy: "fire", Canonical: "ancient red dragon", Confidence: f(0.97), Tags: []string{"dragon", "chromatic"}, Axes: WireAxes{"fire": 1, "earth": 0.4, "force": 0.4}}},
	{"Misty Step", "phrase", "Briefly surrounded by silvery mist, you teleport up to 30 feet to an unoccupied space that you can see.",
		WireResult{Category: "spell", Intent: "utility", Mood: "arcane", Confidence: f(0.95), Tags: []string{"teleportation"}, Axes: WireAxes{"space": 1, "air": 0.2}}},
	{"Hold Person", "phrase", "Choose a humanoid that you can see within range. The target must succeed on a Wisdom saving throw or be paralyzed for the duration.",
		WireResult{Category: "spell", Intent: "control", Mood: "arcane", Confidence: f(0.95), Tags: []string{"paralysis"}, Secondary: []string{"enchantment"}, Axes: WireAxes{"binding": 1, "mind": 0.5}}},
	{"Shadowfell", "proper_noun", "The Shadowfell is a place of muted colors, where the shadows of the Material Plane gather.",
		WireResult{Category: "location", Intent: "necromancy", Mood: "dark", Confidence: f(0.94), Tags: []string{"plane"}, Axes: WireAxes{"shadow": 1, "void": 0.6, "space": 0.4}}},
	{"adamantine", "noun", "Adamantine is an ultrahard metal found in meteorites and extraordinary mineral veins.",
		WireResult{Category: "material", Intent: "defensive", Mood: "martial", Confidence: f(0.93), Tags: []string{"metal"}, Axes: WireAxes{"earth": 0.9, "ward": 0.6, "force": 0.3}}},
	{"Mordenkainen's Sword", "phrase", "You create a sword-shaped plane of force that hovers within range.",
		WireResult{Category: "spell", Intent: "offensive", Mood: "arcane", Energy: "force", Confidence: f(0.96), Tags: []string{"conjured weapon"}, Secondary: []string{"summoning"}, Axes: WireAxes{"force": 1}}},
	{"Tiamat", "proper_noun", "Tiamat, the five-headed Queen of Evil Dragons, schemes from her lair in Avernus.",
		WireResult{Category: "character", Intent: "offensive", Mood: "dark", Confidence: f(0.95), Tags: []string{"deity", "dragon"}, Axes: WireAxes{"fire": 0.5, "fate": 0.4, "force": 0.4}}},
	{"grapple", "verb", "When you want to grab a creature or wrestle with it, you can use the Attack action to make a special melee attack, a grapple.",
		WireResult{Category: "action", Intent: "control", Mood: "martial", Confidence: f(0.85), Tags: []string{"melee"}, Axes: WireAxes{"binding": 0.8, "force": 0.5}}},
	{"advantage", "noun", "If circumstances cause a roll to have both advantage and disadvantage, you are considered to have neither of them.",
		WireResult{Category: "concept", Intent: "utility", Mood: "martial", Confidence: f(0.5), Tags: []string{"rules"}, Axes: WireAxes{"fate": 0.4}}},
	{"Bag of Holding", "phrase", "This bag has an interior space considerably larger than its outside dimensions, roughly 2 feet in diameter at the mouth and 4 feet deep.",
		WireResult{Category: "item", Intent: "utility", Mood: "arcane", Canonical: "bag of holding", Confidence: f(0.96), Tags: []string{"wondrous item", "storage"}, Axes: WireAxes{"space": 1}}},
	{"Beholders", "noun", "A beholder's central eye creates an area of antimagic, and its eyestalks fire rays of death and petrification.",
		WireResult{Category: "creature", Intent: "offensive", Mood: "eldritch", Canonical: "beholder", Confidence: f(0.97), Tags: []string{"aberration"}, Secondary: []string{"control"}, Axes: WireAxes{"sight": 1, "mind": 0.6, "void": 0.4}}},
	{"Feywild", "proper_noun", "The Feywild is a realm of twilight, where lights dance in the air and the fey live in courts of summer and winter.",
		WireResult{Category: "location", Intent: "enchantment", Mood: "whimsical", Confidence: f(0.95), Tags: []string{"plane", "fey"}, Axes: WireAxes{"life": 0.7, "mind": 0.5, "space": 0.4, "light": 0.3}}},
	{"Counterspell", "noun", "You attempt to interrupt a creature in the process of casting a spell.",
		WireResult{Category: "spell", Intent: "defensive", Mood: "arcane", Canonical: "counterspell", Confidence: f(0.95), Tags: []string{"abjuration"}, Secondary: []string{"control"}, Axes: WireAxes{"ward": 0.9, "binding": 0.4}}},
	{"Animate Dead", "phrase", "This spell creates an undead servant. Choose a pile of bones or a corpse of a Medium or Small humanoid within range.",
		WireResult{Category: "spell", Intent: "necromancy", Mood: "dark", Confidence: f(0.96), Tags: []string{"undead", "minion"}, Secondary: []string{"summoning"}, Axes: WireAxes{"void": 0.9, "life": 0.3, "binding": 0.3}}},
	{"Vorpal Sword", "phrase", "When you attack a creature that has at least one head with this weapon and roll a 20, you cut off one of the creature's heads.",
		WireResult{Category: "item", Intent: "offensive", Mood: "heroic", Energy: "slashing", Canonical: "vorpal sword", Confidence: f(0.96), Tags: []string{"weapon", "legendary"}, Axes: WireAxes{"force": 0.7, "fate": 0.5}}},
	{"scry", "verb", "The wizard used a crystal ball to scry upon the baron's keep.",
		WireResult{Category: "action", Intent: "divination", Mood: "arcane", Confidence: f(0.88), Tags: []string{"remote viewing"}, Axes: WireAxes{"sight": 1, "space": 0.4}}},
	{"Bless", "noun", "You bless up to three creatures of your choice within range. Whenever a target makes an attack roll or a saving throw, it can roll a d4.",
		WireResult{Category: "spell", Intent: "enchantment", Mood: "divine", Canonical: "bless", Confidence: f(0.92), Tags: []string{"buff"}, Secondary: []string{"defensive"}, Axes: WireAxes{"fate": 0.8, "light": 0.5}}},
	{"Far Realm", "phrase", "The Far Realm lies outside the known multiverse; its inhabitants are too alien for sane minds to comprehend.",
		WireResult{Category: "location", Intent: "control", Mood: "eldritch", Confidence: f(0.93), Tags: []string{"plane", "madness"}, Axes: WireAxes{"mind": 0.9, "void": 0.7, "space": 0.6}}},
	{"pixie", "noun", "Pixies are tiny fey that flit through the forest, playing harmless tricks on travelers.",
		WireResult{Category: "creature", Intent: "enchantment", Mood: "whimsical", Confidence: f(0.94), Tags: []string{"fey"}, Axes: WireAxes{"mind": 0.5, "life": 0.4, "air": 0.3}}},
	{"Paladin", "noun", "A paladin swears an oath to stand against the forces of darkness.",
		WireResult{Category: "creature", Intent: "defensive", Mood: "heroic", Canonical: "paladin", Confidence: f(0.85), Tags: []string{"class", "oath"}, Secondary: []string{"offensive"}, Axes: WireAxes{"light": 0.7, "ward": 0.6, "binding": 0.3}}},
	{"mithral", "noun", "Mithral is a light, flexible metal. A mithral chain shirt or breastplate can be worn under normal clothes.",
		WireResult{Category: "material", Intent: "defensive", Mood: "heroic", Confidence: f(0.94), Tags: []string{"metal", "armor"}, Axes: WireAxes{"earth": 0.6, "ward": 0.7, "light": 0.3}}},
	{"Wall of Force", "phrase", "An invisible wall of force springs into existence at a point you choose within range.",
		WireResult{Category: "spell", Intent: "control", Mood: "arcane", Energy: "force", Confidence: f(0.95), Tags: []string{"barrier"}, Secondary: []string{"defensive"}, Axes: WireAxes{"force": 0.8, "ward": 0.8, "space": 0.4}}},
	{"Time Stop", "phrase", "You briefly stop the flow of time for everyone but yourself.",
		WireResult{Category: "spell", Intent: "control", Mood: "arcane", Confidence: f(0.96), Tags: []string{"chronomancy"}, Axes: WireAxes{"time": 1}}},
	{"Mind Flayers", "phrase", "Mind flayers, also called illithids, extract the brains of their victims with their tentacles.",
		WireResult{Category: "creature", Intent: "enchantment", Mood: "eldritch", Energy: "psychic", Canonical: "mind flayer", Confidence: f(0.97), Tags: []string{"aberration", "psionic"}, Secondary: []string{"offensive"}, Axes: WireAxes{"mind": 1, "void": 0.3}}},
	{"crossbow bolt", "phrase", "A crossbow bolt deals 1d8 piercing damage.",
		WireResult{Category: "item", Intent: "offensive", Mood: "martial", Energy: "piercing", Confidence: f(0.9), Tags: []string{"ammunition"}, Axes: WireAxes{"force": 0.5}}},
	{"Lightning Bolt", "phrase", "A stroke of lightning forming a line 100 feet long and 5 feet wide blasts out from you in a direction you choose.",
		WireResult{Category: "spell", Intent: "offensive", Mood: "arcane", Energy: "lightning", Canonical: "lightning bolt", Confidence: f(0.97), Tags: []string{"evocation"}, Axes: WireAxes{"air": 1, "force": 0.4}}},
	{"curse", "noun", "The curse lasts until it is lifted by a remove curse spell or similar magic.",
		WireResult{Category: "concept", Intent: "enchantment", Mood: "dark", Confidence: f(0.8), Tags: []string{"curse"}, Secondary: []string{"control"}, Axes: WireAxes{"fate": 0.9, "binding": 0.4}}},
	{"Sending", "noun", "You send a short message of twenty-five words or less to a creature with which you are familiar.",
		WireResult{Category: "spell", Intent: "utility", Mood: "arcane", Canonical: "sending", Confidence: f(0.85), Tags: []string{"communication"}, Axes: WireAxes{"mind": 0.6, "space": 0.6}}},
	{"druid", "noun", "Druids revere nature above all, gaining their spells and other magical powers from the force of nature itself.",
		WireResult{Category: "character", Intent: "transformation", Mood: "primal", Confidence: f(0.85), Tags: []string{"class", "nature"}, Secondary: []string{"utility"}, Axes: WireAxes{"life": 0.9, "earth": 0.4}}},
	{"Wild Shape", "phrase", "Starting at 2nd level, you can use your action to magically assume the shape of a beast that you have seen before.",
		WireResult{Category: "action", Intent: "transformation", Mood: "primal", Confidence: f(0.93), Tags: []string{"shapechanging"}, Axes: WireAxes{"life": 0.8}}},
	{"holy water", "phrase", "As an action, you can splash the contents of this flask onto a creature within 5 feet of you.",
		WireResult{Category: "item", Intent: "offensive", Mood: "divine", Energy: "radiant", Confidence: f(0.9), Tags: []string{"consumable", "anti-undead"}, Axes: WireAxes{"light": 0.8, "water": 0.4}}},
	{"Underdark", "proper_noun", "Beneath the surface of the world lies the Underdark, a vast subterranean realm of caverns and tunnels.",
		WireResult{Category: "location", Intent: "utility", Mood: "dark", Confidence: f(0.95), Tags: []string{"subterranean"}, Axes: WireAxes{"earth": 1, "shadow": 0.8}}},
	{"Wish", "noun", "Wish is the mightiest spell a mortal creature can cast. By simply speaking aloud, you can alter the very foundations of reality.",
		WireResult{Category: "spell", Intent: "transformation", Mood: "arcane", Canonical: "wish", Confidence: f(0.93), Tags: []string{"reality"}, Secondary: []string{"utility"}, Axes: WireAxes{"fate": 1, "space": 0.4, "time": 0.3}}},
	{"pseudodragon", "noun", "The tiny pseudodragon is a playful creature often found as the familiar of a wizard.",
		WireResult{Category: "creature", Intent: "utility", Mood: "whimsical", Confidence: f(0.92), Tags: []string{"dragon", "familiar"}, Axes: WireAxes{"air": 0.3, "mind": 0.3}}},
	{"Gate", "noun", "You conjure a portal linking an unoccupied space you can see within range to a precise location on a different plane of existence.",
		WireResult{Category: "spell", Intent: "summoning", Mood: "arcane", Canonical: "gate", Confidence: f(0.88), Tags: []string{"portal"}, Secondary: []string{"utility"}, Axes: WireAxes{"space": 1}}},
	{"sanctuary", "noun", "You ward a creature within range against attack.",
		WireResult{Category: "spell", Intent: "defensive", Mood: "divine", Confidence: f(0.85), Tags: []string{"abjuration"}, Axes: WireAxes{"ward": 1, "light": 0.3}}},
	{"banish", "verb", "The cleric sought to banish the fiend back to the Nine Hells.",
		WireResult{Category: "action", Intent: "control", Mood: "divine", Confidence: f(0.86), Tags: []string{"exile"}, Axes: WireAxes{"space": 0.8, "binding": 0.5}}},
	{"Nine Hells", "phrase", "Devils spread across the Nine Hells of Baator, bound by contracts and a strict hierarchy.",
		WireResult{Category: "location", Intent: "control", Mood: "dark", Confidence: f(0.94), Tags: []string{"plane", "devils"}, Axes: WireAxes{"fire": 0.6, "binding": 0.7, "fate": 0.3}}},
	{"longsword", "noun", "Longsword: 15 gp, 1d8 slashing, versatile (1d10).",
		WireResult{Category: "item", Intent: "offensive", Mood: "martial", Energy: "slashing", Confidence: f(0.95), Tags: []string{"weapon"}, Axes: WireAxes{"force": 0.5}}},
	{"door", "noun", "The door to the north is locked and trapped with a poison needle.",
		WireResult{Category: "item", Intent: "utility", Mood: "martial", Confidence: f(0.35), Tags: []string{"dungeon"}}},
	{"frightened", "adjective", "A frightened creature has disadvantage on ability checks and attack rolls while the source of its fear is within line of sight.",
		WireResult{Category: "concept", Intent: "control", Mood: "dark", Confidence: f(0.8), Tags: []string{"condition", "fear"}, Axes: WireAxes{"mind": 0.8, "shadow": 0.3}}},
	{"Thunderwave", "noun", "A wave of thunderous force sweeps out from you. Each creature in a 15-foot cube originating from you must make a Constitution saving throw.",
		WireResult{Category: "spell", Intent: "offensive", Mood: "arcane", Energy: "thunder", Canonical: "thunderwave", Confidence: f(0.95), Tags: []string{"evocation"}, Secondary: []string{"control"}, Axes: WireAxes{"air": 0.8, "force": 0.8}}},
	{"owlbear", "noun", "A monstrous cross between giant owl and bear, an owlbear's reputation for ferocity is well deserved.",
		WireResult{Category: "creature", Intent: "offensive", Mood: "primal", Confidence: f(0.96), Tags: []string{"monstrosity", "beast"}, Axes: WireAxes{"life": 0.5, "force": 0.6}}},
	{"Book of Vile Darkness", "phrase", "The contents of this foul manuscript of ineffable wickedness are the meat and drink of those in evil's thrall.",
		WireResult{Category: "item", Intent: "necromancy", Mood: "dark", Confidence: f(0.93), Tags: []string{"artifact", "evil"}, Secondary: []string{"enchantment"}, Axes: WireAxes{"shadow": 0.9, "mind": 0.6, "void": 0.5}}},
	{"oath", "noun", "Becoming a paladin involves taking vows that commit the paladin to the cause of righteousness.",
		WireResult{Category: "concept", Intent: "defensive", Mood: "heroic", Confidence: f(0.7), Tags: []string{"vow"}, Axes: WireAxes{"binding": 0.8, "fate": 0.4}}},
	{"Polymorph", "noun", "This spell transforms a creature that you can see within range into a new form.",
		WireResult{Category: "spell", Intent: "transformation", Mood: "arcane", Canonical: "polymorph", Confidence: f(0.96), Tags: []string{"shapechanging"}, Secondary: []string{"control"}, Axes: WireAxes{"life": 0.5, "mind": 0.3}}},
	{"kobold", "noun", "Kobolds are craven reptilian humanoids that commonly infest dungeons and set clever traps.",
		WireResult{Category: "creature", Intent: "offensive", Mood: "whimsical", Confidence: f(0.9), Tags: []string{"humanoid", "trap"}, Axes: WireAxes{"earth": 0.3}}},
	{"Revivify", "noun", "You touch a creature that has died within the last minute. That creature returns to life with 1 hit point.",
		WireResult{Category: "spell", Intent: "necromancy", Mood: "divine", Canonical: "revivify", Confidence: f(0.9), Tags: []string{"resurrection"}, Secondary: []string{"defensive"}, Axes: WireAxes{"life": 1, "void": 0.3, "time": 0.3}}},
}

// CategoryDefinition says exactly what a category holds. The definitions
// are shared: the LLM prompt lists them, and the offline classifier's tests
// check its answers on the examples.
type CategoryDefinition struct {
	Category   Category
	Definition string
	// Examples are names the category holds, whatever book they are in.
	Examples []string
}

// CategoryDefinitions are the categories in Categories order.
var CategoryDefinitions = []CategoryDefinition{
	{Spell, "a named spell, cantrip, ritual, prayer, power or magical effect someone casts or invokes, in any game system", []string{"Fireball", "Cure Light Wounds"}},
	{Creature, "a kind of being that can appear many times: a monster, animal, race, people, undead, spirit or construct, a species name the book coins (\"a vavakia\", \"the zuipnyrns\"), and any generic person with a role, with or without a stat block", []string{"Guard", "Archmage", "Orc Bloodwarrior", "Tinkerer", "Goblin"}},
	{Item, "an object: weapon, armor, tool, potion, oil, ring, wand, stone, book, artifact, treasure, vehicle", []string{"Bag of Holding", "Oil of Potency", "Vine Arrow"}},
	{Location, "a place: plane, realm, city, dungeon, terrain, building, region, named or generic", []string{"Waterdeep", "Underdark"}},
	{Character, "one named individual: a person, a deity or a unique being known by a proper name; a role or title alone (a wizard, a king) is a creature", []string{"Mordenkainen", "Iomedae"}},
	{Material, "a substance: a metal, a reagent, a gem, a poison, a spell component, a fabric", []string{"Mithral", "Adamantine"}},
	{Concept, "an idea, rule, condition, quality, school of magic, alignment, faction, tradition, event", []string{"Alignment"}},
	{Action, "a verb or deed: something creatures do, such as strike, flee, bind, banish, grapple", nil},
}

// categoryLines renders the definitions for the prompt.
func categoryLines() string {
	var b strings.Builder
	for i, d := range CategoryDefinitions {
		b.WriteString("  " + string(d.Category) + " (" + d.Definition)
		if len(d.Examples) > 0 {
			b.WriteString(`, such as "` + strings.Join(d.Examples, `", "`) + `"`)
		}
		b.WriteString(")")
		if i < len(CategoryDefinitions)-1 {
			b.WriteString(",\n")
		} else {
			b.WriteString(".\n")
		}
	}
	return b.String()
}

var (
	promptOnce sync.Once
	promptText string
	outPerTerm float64
)

func buildPrompt() {
	promptText, outPerTerm = renderPrompt(func(r WireResult) any { return r })
}

// renderPrompt renders the intro and the examples, each result in the
// shape shape gives it, and the mean result length in tokens.
func renderPrompt(shape func(WireResult) any) (string, float64) {
	var b strings.Builder
	b.WriteString(strings.Replace(promptIntro, "{{categories}}", categoryLines(), 1))
	var out int64
	for i, ex := range examples {
		r := ex.result
		r.Key = ItemKey(i)
		in, _ := json.Marshal(WireItem{Key: r.Key, Text: ex.text, POS: ex.pos, Context: ex.context})
		res := compactJSON(shape(r))
		out += TokenEstimate(res)
		b.WriteString("\nterm: ")
		b.Write(in)
		b.WriteString("\nresult: ")
		b.WriteString(res)
		b.WriteString("\n")
	}
	return b.String(), float64(out) / float64(len(examples))
}

var (
	strictOnce sync.Once
	strictText string
)

// SystemPromptStrict is SystemPrompt with every example result in the shape
// of ResultSchema(true), the form strict JSON-schema backends send: every
// field present, "none" for no energy, axes as a list of pairs.
func SystemPromptStrict() string {
	strictOnce.Do(func() { strictText, _ = renderPrompt(func(r WireResult) any { return StrictResult(r) }) })
	return strictText
}

// StrictWire is one result in the shape of ResultSchema(true).
type StrictWire struct {
	Key       string       `json:"key"`
	Category  string       `json:"cat"`
	Intent    string       `json:"intent"`
	Mood      string       `json:"mood"`
	Energy    string       `json:"energy"`
	Canonical string       `json:"canon"`
	Conf      float64      `json:"conf"`
	Tags      []string     `json:"tags"`
	Secondary []string     `json:"sec"`
	Axes      []StrictAxis `json:"axes"`
}

// StrictAxis is one axis of a StrictWire.
type StrictAxis struct {
	Axis  string  `json:"axis"`
	Score float64 `json:"score"`
}

// StrictResult renders r in the strict shape.
func StrictResult(r WireResult) StrictWire {
	s := StrictWire{Key: r.Key, Category: r.Category, Intent: r.Intent, Mood: r.Mood, Energy: r.Energy, Canonical: r.Canonical,
		Tags: r.Tags, Secondary: r.Secondary, Axes: []StrictAxis{}}
	if s.Energy == "" {
		s.Energy = NoEnergy
	}
	if r.Confidence != nil {
		s.Conf = *r.Confidence
	}
	if s.Tags == nil {
		s.Tags = []string{}
	}
	if s.Secondary == nil {
		s.Secondary = []string{}
	}
	for _, name := range SortedKeys(r.Axes) {
		s.Axes = append(s.Axes, StrictAxis{name, r.Axes[name]})
	}
	return s
}

func compactJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSpace(buf.String())
}

// SystemPrompt is the versioned system prompt: instructions, axis
// definitions and calibrated examples. It is immutable.
func SystemPrompt() string {
	promptOnce.Do(buildPrompt)
	return promptText
}

// OutputTokensPerTerm is the forecast of answer tokens per term, measured on
// the calibrated examples (they are what the model imitates), plus a margin
// for separators.
func OutputTokensPerTerm() float64 {
	promptOnce.Do(buildPrompt)
	return outPerTerm + 2
}

// InputTokensOf forecasts the input tokens a term adds to a request.
func InputTokensOf(c extract.Candidate) int64 {
	b, _ := json.Marshal(NewItem("t00", c))
	return TokenEstimate(string(b)) + 1
}

// ResultSchema is the JSON schema of the answer object {"results":[...]},
// shared by the Claude tool input and other backends. strict gives the
// form strict JSON-schema engines require (every property required, axes as
// a list of pairs, no optional fields).
func ResultSchema(strict bool) map[string]any {
	enumOf := func(vals []string) map[string]any { return map[string]any{"type": "string", "enum": vals} }
	var intents, cats, moods []string
	for _, v := range Intents {
		intents = append(intents, string(v))
	}
	for _, v := range Categories {
		cats = append(cats, string(v))
	}
	for _, v := range Moods {
		moods = append(moods, string(v))
	}
	axes := AxisNames[:]
	props := map[string]any{
		"key":    map[string]any{"type": "string"},
		"cat":    enumOf(cats),
		"intent": enumOf(intents),
		"mood":   enumOf(moods),
		"energy": enumOf(append(slices.Clone(Energies), NoEnergy)),
		"canon":  map[string]any{"type": "string"},
		"conf":   map[string]any{"type": "number"},
		"tags":   map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
		"sec":    map[string]any{"type": "array", "items": enumOf(intents)},
	}
	required := []string{"key", "cat", "intent", "mood", "conf"}
	if strict {
		props["axes"] = map[string]any{"type": "array", "items": map[string]any{
			"type": "object", "additionalProperties": false,
			"properties": map[string]any{"axis": enumOf(axes), "score": map[string]any{"type": "number"}},
			"required":   []string{"axis", "score"},
		}}
		required = []string{"key", "cat", "intent", "mood", "energy", "canon", "conf", "tags", "sec", "axes"}
	} else {
		ap := map[string]any{}
		for _, a := range axes {
			ap[a] = map[string]any{"type": "number"}
		}
		props["axes"] = map[string]any{"type": "object", "properties": ap, "additionalProperties": false}
	}
	item := map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
	return map[string]any{
		"type":                 "object",
		"properties":           map[string]any{"results": map[string]any{"type": "array", "items": item}},
		"required":             []string{"results"},
		"additionalProperties": false,
	}
}
