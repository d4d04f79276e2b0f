package ipreview

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/corpora-tools/corpora/internal/textnorm"
)

// Fold returns s in the form used for comparison: NFKC with every space,
// hyphen and apostrophe variant folded (textnorm.Line), diacritics removed,
// lower-cased, ß as ss. Punctuation is kept; Tokens splits on it.
func Fold(s string) string {
	return stripMarksLower(textnorm.Line(s))
}

// foldWord is Fold for one word of an already normalised text.
func foldWord(w string, ascii bool) string {
	if ascii {
		for i := 0; i < len(w); i++ {
			if c := w[i]; 'A' <= c && c <= 'Z' {
				return strings.ToLower(w)
			}
		}
		return w
	}
	return stripMarksLower(w)
}

// stripMarksLower removes diacritics (NFD, drop combining marks, NFC),
// lower-cases and writes ß as ss.
func stripMarksLower(w string) string {
	if !isASCII(w) {
		w = norm.NFD.String(w)
		w = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, w)
		w = norm.NFC.String(w)
	}
	w = strings.ToLower(w)
	if strings.ContainsRune(w, 'ß') {
		w = strings.ReplaceAll(w, "ß", "ss")
	}
	return w
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// token is one word of a folded text.
type token struct {
	word  string // folded, apostrophes removed, possessive 's dropped, singular
	lit   string // word with its in-word apostrophes kept ("shai'tan")
	upper bool   // the original began with an upper-case letter
	// joined: only a hyphen separates the word from the one before
	// ("Under-dark"), so the two may be one name's parts.
	joined bool
}

// tokenize splits s into word tokens: runs of letters and digits, with
// apostrophes inside a word joined ("tanar'ri" is "tanarri") and a
// possessive "'s" dropped ("Bigby's" is "bigby"); "&" is the word "and";
// every other character (hyphens included) separates words. Each word is
// made singular.
func tokenize(s string) []token {
	ascii := isASCII(s)
	if !ascii {
		// ASCII needs no folding: its apostrophes, hyphens and spaces are
		// already the plain ones, and every other mark separates words.
		s = textnorm.Line(s)
	}
	var out []token
	var cur []rune
	upper := false
	// sep counts the separators since the last word; hyphen is whether
	// the only one was a hyphen.
	sep, hyphen := 0, false
	flush := func() {
		if len(cur) == 0 {
			return
		}
		w := string(cur)
		// Drop a possessive: the word ended with "'s" or "'".
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'S")
		lit := strings.TrimRight(w, "'")
		w = strings.ReplaceAll(w, "'", "")
		if w != "" {
			t := token{word: Singular(foldWord(w, ascii)), upper: upper, joined: len(out) > 0 && sep == 1 && hyphen}
			t.lit = t.word
			if lit != w {
				t.lit = Singular(foldWord(lit, ascii))
			}
			out = append(out, t)
			sep, hyphen = 0, false
		}
		cur = cur[:0]
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if len(cur) == 0 {
				upper = unicode.IsUpper(r) || unicode.IsTitle(r)
			}
			cur = append(cur, r)
		case r == '\'' && len(cur) > 0:
			cur = append(cur, r)
		case r == '&':
			flush()
			out = append(out, token{word: "and", lit: "and"})
			sep, hyphen = 0, false
		default:
			flush()
			sep++
			hyphen = r == '-'
		}
	}
	flush()
	return out
}

// Tokens returns the comparison words of s: folded, split on everything
// but letters, digits and in-word apostrophes, possessives dropped and
// every word singular. "Mind-Flayers" and "mind flayer" give the same tokens.
func Tokens(s string) []string {
	toks := tokenize(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.word
	}
	return out
}

// irregular plurals, and words ending in -ies or -s that are singular.
var irregular = map[string]string{
	"men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth",
	"geese": "goose", "mice": "mouse", "lice": "louse", "oxen": "ox", "people": "person",
	"wolves": "wolf", "elves": "elf", "dwarves": "dwarf", "halves": "half", "knives": "knife",
	"lives": "life", "thieves": "thief", "leaves": "leaf", "staves": "staff", "selves": "self",
	"shelves": "shelf", "loaves": "loaf", "hooves": "hoof", "scarves": "scarf", "wives": "wife",
	"calves": "calf", "wharves": "wharf", "sheaves": "sheaf",
	"fungi": "fungus", "larvae": "larva", "succubi": "succubus", "incubi": "incubus", "cacti": "cactus",
	"pegasi": "pegasus", "slaadi": "slaad", "axes": "axe", "dice": "die", "criteria": "criterion",
	"phenomena": "phenomenon", "cherubim": "cherub", "seraphim": "seraph", "magi": "magus",
}

// singular words that look plural.
var notPlural = map[string]bool{
	"species": true, "series": true, "news": true, "lens": true, "hades": true, "ares": true,
	"hermes": true, "atlas": true, "canvas": true, "alias": true, "bias": true, "pampas": true,
	"christmas": true, "mathematics": true, "physics": true, "gallows": true, "means": true,
	"always": true, "perhaps": true, "whereas": true, "kudos": true, "chaos": true, "cosmos": true,
	"ethos": true, "pathos": true, "thanatos": true, "eros": true, "logos": true, "helios": true,
	"boreas": true, "midas": true, "judas": true, "tarterus": true, "mephistopheles": true,
	"achilles": true, "hercules": true, "ulysses": true, "pisces": true, "aries": true,
	"isis": true, "osiris": true, "anubis": true, "oasis": true, "crisis": true, "basis": true,
	"glabrezu": true, "nimbus": true, "ioun": true, "tiamat": true, "sirocco": true,
}

// words ending in -ie whose plural is -ies.
var ieWords = map[string]bool{
	"zombie": true, "pixie": true, "genie": true, "cookie": true, "prairie": true, "sortie": true,
	"brownie": true, "selkie": true, "kelpie": true, "faerie": true, "hippie": true, "movie": true,
	"rookie": true, "calorie": true, "goalie": true, "birdie": true, "auntie": true, "bogie": true,
	"boogie": true, "coterie": true, "reverie": true, "menagerie": true, "camaraderie": true,
	"lingerie": true, "eerie": true, "necktie": true, "magpie": true,
}

// Singular returns the singular of one folded word by English rules good
// enough to make plural and singular meet ("harpies" and "harpy", "liches"
// and "lich", "wolves" and "wolf"); words of three letters or fewer, and
// words ending in -ss, -us, -is, -os, are left alone.
func Singular(w string) string {
	n := len(w)
	if n <= 3 || notPlural[w] {
		return w
	}
	if s, ok := irregular[w]; ok {
		return s
	}
	for _, suf := range []string{"women", "men", "wolves", "elves", "dwarves", "feet", "teeth", "children"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf) {
			if suf == "men" && (strings.HasSuffix(w, "omen") || strings.HasSuffix(w, "imen") || strings.HasSuffix(w, "amen") || strings.HasSuffix(w, "ymen") || strings.HasSuffix(w, "emen")) {
				break
			}
			return w[:len(w)-len(suf)] + irregular[suf]
		}
	}
	switch {
	case strings.HasSuffix(w, "ies"):
		if stem := w[:n-1]; ieWords[stem] {
			return stem
		}
		if n > 4 {
			return w[:n-3] + "y"
		}
		return w[:n-1]
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"),
		strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zzes"):
		return w[:n-2]
	case strings.HasSuffix(w, "oes"):
		if n > 5 {
			return w[:n-2]
		}
		return w[:n-1]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"),
		strings.HasSuffix(w, "os"), strings.HasSuffix(w, "'s"):
		return w
	case strings.HasSuffix(w, "s"):
		if r, _ := utf8.DecodeLastRuneInString(w[:n-1]); !unicode.IsLetter(r) {
			return w
		}
		return w[:n-1]
	}
	return w
}

// Key returns the identity of a term across documents, used to merge
// entries in consolidation and to find a term's review decision: folded
// (NFKC, case, diacritics, space, apostrophe and hyphen variants), with
// apostrophes and hyphens removed so "Fire-ball" and "Fireball" meet, "&"
// read as "and", other punctuation as space, and the head noun made
// singular: the last word, or in "X of Y" the last word of X, so
// "Fireballs", "Boots of Speed" and "Boot of Speed" meet while "Mass"
// and "Bag of Tricks" stay as they are.
func Key(s string) string {
	s = Fold(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\'' || r == '-' || unicode.Is(unicode.Mn, r):
			continue
		case r == '&':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	words := strings.Fields(b.String())
	if len(words) == 0 {
		return ""
	}
	head := len(words) - 1
	for i := 1; i < len(words); i++ {
		if words[i] == "of" {
			head = i - 1
			break
		}
	}
	words[head] = Singular(words[head])
	return strings.Join(words, " ")
}
