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

// Repair fixes what is unambiguous (case, whitespace, synonyms, out-of-range
// numbers) and returns ErrInvalid describing what is not.
func Repair(t *Term) error {
	var problems []string
	if in := Intent(normEnum(string(t.Intent))); slices.Contains(Intents, in) {
		t.Intent = in
	} else {
		problems = append(problems, fmt.Sprintf("intent %q", t.Intent))
	}
	if c := Category(normEnum(string(t.Category))); slices.Contains(Categories, c) {
		t.Category = c
	} else {
		problems = append(problems, fmt.Sprintf("category %q", t.Category))
	}
	if m := Mood(normEnum(string(t.Mood))); slices.Contains(Moods, m) {
		t.Mood = m
	} else {
		problems = append(problems, fmt.Sprintf("mood %q", t.Mood))
	}
	t.Energy = strings.ToLower(strings.TrimSpace(t.Energy))
	if t.Energy == "none" || t.Energy == "null" || t.Energy == "n/a" {
		t.Energy = ""
	}
	if t.Energy != "" && (len(t.Energy) > 20 || strings.ContainsFunc(t.Energy, func(r rune) bool { return !unicode.IsLetter(r) })) {
		problems = append(problems, fmt.Sprintf("energy %q", t.Energy))
	}
	for i, v := range t.Axes {
		t.Axes[i] = clamp01(v)
	}
	t.Confidence = Score(clamp01(float64(t.Confidence)))
	var sec []Intent
	for _, s := range t.SecondaryIntents {
		in := Intent(normEnum(string(s)))
		if slices.Contains(Intents, in) && in != t.Intent && !slices.Contains(sec, in) {
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
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, ", "))
	}
	return nil
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
	err := Repair(t)
	if t.SecondaryIntents == nil {
		t.SecondaryIntents = []Intent{}
	}
	t.ID = Slug(source) + "-" + Slug(t.Canonical)
	return err
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
