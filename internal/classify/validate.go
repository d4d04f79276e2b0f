package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/corpora-tools/corpora/internal/extract"
)

// ErrInvalid marks a classification that breaks the schema and could not be
// repaired; the term must be re-asked, never written.
var ErrInvalid = errors.New("invalid classification")

// synonyms repair near-miss enumeration values a model may produce.
var synonyms = map[string]string{
	// intents
	"attack": "offensive", "damage": "offensive", "offense": "offensive", "offence": "offensive",
	"defense": "defensive", "defence": "defensive", "protection": "defensive", "protective": "defensive",
	"summon": "summoning", "conjuration": "summoning", "transmutation": "transformation", "transform": "transformation",
	"divine_sight": "divination", "scrying": "divination", "enchant": "enchantment", "charm": "enchantment",
	"necromantic": "necromancy", "controlling": "control", "crowd_control": "control", "utilitarian": "utility",
	// categories
	"monster": "creature", "beast": "creature", "npc": "character", "person": "character", "deity": "character",
	"place": "location", "plane": "location", "weapon": "item", "armor": "item", "armour": "item", "equipment": "item",
	"artifact": "item", "object": "item", "substance": "material", "idea": "concept", "verb": "action", "ability": "action",
	"cantrip": "spell", "ritual": "spell",
	// moods
	"mystical": "arcane", "magical": "arcane", "sinister": "dark", "grim": "dark", "noble": "heroic", "wild": "primal",
	"natural": "primal", "holy": "divine", "sacred": "divine", "cosmic": "eldritch", "alien": "eldritch",
	"playful": "whimsical", "whimsy": "whimsical", "military": "martial", "combat": "martial",
}

// energySynonyms map what models say for an energy to the damage type the
// schema lists.
var energySynonyms = map[string]string{
	"flame": "fire", "flames": "fire", "heat": "fire", "burning": "fire", "fiery": "fire",
	"ice": "cold", "frost": "cold", "freezing": "cold", "chill": "cold",
	"electric": "lightning", "electricity": "lightning", "shock": "lightning",
	"sonic": "thunder", "sound": "thunder",
	"corrosive": "acid", "corrosion": "acid",
	"toxic": "poison", "venom": "poison", "poisonous": "poison",
	"negative": "necrotic", "death": "necrotic", "decay": "necrotic",
	"holy": "radiant", "light": "radiant", "positive": "radiant",
	"mental": "psychic", "mind": "psychic", "psionic": "psychic",
	"blunt": "bludgeoning", "pierce": "piercing", "slash": "slashing",
}

// noEnergy are the ways a model says a term carries no energy.
var noEnergy = map[string]bool{"": true, "none": true, "null": true, "nil": true, "n/a": true, "na": true, "-": true, "no": true, "nothing": true}

// normEnum lowercases, trims and maps synonyms.
func normEnum(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, " ", "_")
	s = strings.ReplaceAll(s, "-", "_")
	if v, ok := synonyms[s]; ok {
		return v
	}
	return s
}

// pickEnum reads a closed value from what a model wrote: the value itself
// in any case and spacing, a synonym, or the first valid word of a list
// ("creature/undead", "Offensive, control").
func pickEnum[T ~string](s string, valid []T) (T, bool) {
	if v := T(normEnum(s)); slices.Contains(valid, v) {
		return v, true
	}
	for _, w := range splitWords(s) {
		if v := T(normEnum(w)); slices.Contains(valid, v) {
			return v, true
		}
	}
	return "", false
}

// splitWords splits s at anything but letters, digits and underscores.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' })
}

// normEnergy reads an energy: "" for none, else one of Energies (the first
// of a list such as "fire and cold" or "fire/cold"). ok is false when s
// names no energy corpora knows ("x/day"): the caller drops the field.
func normEnergy(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if noEnergy[s] {
		return "", true
	}
	for _, w := range append([]string{s}, splitWords(s)...) {
		if v, ok := energySynonyms[w]; ok {
			w = v
		}
		if slices.Contains(Energies, w) {
			return w, true
		}
	}
	return "", false
}

// Repair fixes what is unambiguous (case, whitespace, separators,
// synonyms, out-of-range numbers) and returns ErrInvalid describing what is
// not. An optional field that cannot be read is dropped; see RepairNoting.
func Repair(t *Term) error {
	_, err := RepairNoting(t)
	return err
}

// RepairNoting is Repair, also returning the optional fields it dropped
// because they could not be read ("energy \"x/day\""). Only the required
// closed fields (category, intent, mood) and the canonical form make a
// term invalid: a term is never thrown away for an odd tag or energy.
func RepairNoting(t *Term) (dropped []string, err error) {
	var problems []string
	if in, ok := pickEnum(string(t.Intent), Intents); ok {
		t.Intent = in
	} else {
		problems = append(problems, fmt.Sprintf("intent %q", t.Intent))
	}
	if c, ok := pickEnum(string(t.Category), Categories); ok {
		t.Category = c
	} else {
		problems = append(problems, fmt.Sprintf("category %q", t.Category))
	}
	if m, ok := pickEnum(string(t.Mood), Moods); ok {
		t.Mood = m
	} else {
		problems = append(problems, fmt.Sprintf("mood %q", t.Mood))
	}
	if e, ok := normEnergy(t.Energy); ok {
		t.Energy = e
	} else {
		dropped = append(dropped, fmt.Sprintf("energy %q", t.Energy))
		t.Energy = ""
	}
	for i, v := range t.Axes {
		t.Axes[i] = clamp01(v)
	}
	t.Confidence = Score(clamp01(float64(t.Confidence)))
	var sec []Intent
	for _, s := range t.SecondaryIntents {
		in, ok := pickEnum(string(s), Intents)
		if !ok {
			dropped = append(dropped, fmt.Sprintf("secondary intent %q", s))
			continue
		}
		if in != t.Intent && !slices.Contains(sec, in) {
			sec = append(sec, in)
		}
	}
	t.SecondaryIntents = sec
	t.Tags = NormalizeTags(t.Tags)
	t.Canonical = strings.Join(strings.Fields(norm.NFKC.String(t.Canonical)), " ")
	if t.Canonical == "" {
		problems = append(problems, "empty canonical")
	}
	if len(problems) > 0 {
		return dropped, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, ", "))
	}
	return dropped, nil
}

// NormalizeTags lowercases, trims, de-duplicates and sorts tags.
func NormalizeTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		if t != "" && len(t) <= 40 && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

// Finalize sets the fields that code owns, never a model: id, source, genre,
// text, pos, lemma, count, pages, context and classifier, then repairs and
// validates the rest. classifier names the backend and model ("claude/claude-haiku-4-5").
func Finalize(t *Term, source string, c extract.Candidate, classifier string) error {
	_, err := FinalizeNoting(t, source, c, classifier)
	return err
}

// FinalizeNoting is Finalize, also returning the optional fields dropped
// as unreadable (see RepairNoting), for the caller to count and report.
func FinalizeNoting(t *Term, source string, c extract.Candidate, classifier string) (dropped []string, err error) {
	t.Source = source
	t.Genre = Genre
	t.Text = c.Text
	t.POS = c.POS
	t.Lemma = c.Lemma
	t.Count = c.Count
	t.Pages = slices.Clone(c.Pages)
	if t.Pages == nil {
		t.Pages = []int{}
	}
	t.Context = c.Context
	t.Classifier = classifier
	if strings.TrimSpace(t.Canonical) == "" {
		t.Canonical = c.Lemma
		if t.Canonical == "" {
			t.Canonical = c.Text
		}
	}
	if t.Tags == nil {
		t.Tags = []string{}
	}
	dropped, err = RepairNoting(t)
	if t.SecondaryIntents == nil {
		t.SecondaryIntents = []Intent{}
	}
	t.ID = Slug(source) + "-" + Slug(t.Canonical)
	return dropped, err
}

// Slug lowercases s, strips diacritics and path parts, and joins its words
// with hyphens: "Books/Tome of Ash.pdf" gives "tome-of-ash-pdf".
func Slug(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = norm.NFKD.String(s)
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '\'':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// CheckStored validates a term read from a file a user hands corpora (a
// terms array for `corpora output`, a 1.0 vocab file), as the 1.0 tool's
// model did: genre "fantasy", pos one of corpora's, axes and confidence in
// 0..1; intent, category and mood are free text. Nothing is repaired,
// because these are claims about a book, not a model's answer to re-ask. A
// missing genre reads as "fantasy"; a missing canonical form as the text
// (the terms array's reader requires 1.0's fields first). The error names
// what is wrong.
func CheckStored(t *Term) error {
	var problems []string
	if t.Genre == "" {
		t.Genre = Genre
	}
	if t.Genre != Genre {
		problems = append(problems, fmt.Sprintf("genre %q (want %q)", t.Genre, Genre))
	}
	if strings.TrimSpace(t.Text) == "" {
		problems = append(problems, "empty text")
	}
	if t.Canonical == "" {
		t.Canonical = t.Text
	}
	// Intent, category and mood are free text in 1.0 ("creature" as an
	// intent, "epic" as a mood): kept as written, like consolidate does.
	if t.Energy != "" && !slices.Contains(Energies, t.Energy) && (len(t.Energy) > 20 || strings.ContainsFunc(t.Energy, func(r rune) bool { return !unicode.IsLetter(r) })) {
		problems = append(problems, fmt.Sprintf("energy %q", t.Energy))
	}
	switch t.POS {
	case extract.Noun, extract.Verb, extract.Adjective, extract.ProperNoun, extract.Phrase:
	default:
		problems = append(problems, fmt.Sprintf("pos %q", t.POS))
	}
	for i, v := range t.Axes {
		if math.IsNaN(v) || v < 0 || v > 1 {
			problems = append(problems, fmt.Sprintf("axis %s = %v (want 0..1)", AxisNames[i], v))
		}
	}
	if c := float64(t.Confidence); math.IsNaN(c) || c < 0 || c > 1 {
		problems = append(problems, fmt.Sprintf("confidence %v (want 0..1)", c))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, ", "))
	}
	return nil
}
