package ud

import (
	"bufio"
	"strconv"
	"strings"
	"unicode"
)

// UPOS is a universal part-of-speech tag.
type UPOS string

// The seventeen universal parts of speech.
const (
	ADJ   UPOS = "ADJ"
	ADP   UPOS = "ADP"
	ADV   UPOS = "ADV"
	AUX   UPOS = "AUX"
	CCONJ UPOS = "CCONJ"
	DET   UPOS = "DET"
	INTJ  UPOS = "INTJ"
	NOUN  UPOS = "NOUN"
	NUM   UPOS = "NUM"
	PART  UPOS = "PART"
	PRON  UPOS = "PRON"
	PROPN UPOS = "PROPN"
	PUNCT UPOS = "PUNCT"
	SCONJ UPOS = "SCONJ"
	SYM   UPOS = "SYM"
	VERB  UPOS = "VERB"
	X     UPOS = "X"
)

var (
	beForms   = set("be", "am", "is", "are", "was", "were", "been", "being", "'m", "'re", "ai")
	haveForms = set("have", "has", "had", "having", "'ve", "'d")
	doForms   = set("do", "does", "did", "doing")
	// subordinators are prepositions (IN) that always open a clause.
	subordinators = set("that", "if", "because", "although", "though", "whether", "unless", "whereas", "while", "cause", "cuz")
	// clauseOpeners are prepositions that open a clause when a subject
	// follows ("before you go") and a phrase otherwise ("before dawn").
	clauseOpeners  = set("since", "before", "after", "until", "till", "as", "once", "so", "than", "like", "for")
	demonstratives = set("this", "that", "these", "those")
	// indefinites are the compound pronouns, which the tagger calls nouns.
	indefinites = set("something", "anything", "nothing", "everything", "someone", "anyone", "everyone",
		"somebody", "anybody", "nobody", "everybody", "noone")
)

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// Map returns the universal part of speech of each token of a sentence,
// from its form and its Penn Treebank tag, appended to out[:0]. The two
// slices have one entry per token; context decides AUX against VERB, PART
// against ADP, PRON against DET and SCONJ against ADP.
func Map(forms, penn []string, out []UPOS) []UPOS {
	out = out[:0]
	for i := range forms {
		out = append(out, mapOne(forms, penn, i))
	}
	return out
}

func mapOne(forms, penn []string, i int) UPOS {
	form, tag := forms[i], penn[i]
	lower := strings.ToLower(form)
	if u, ok := symbolic(form); ok {
		return u
	}
	next := func(k int) (string, string) {
		if i+k < len(forms) {
			return strings.ToLower(forms[i+k]), penn[i+k]
		}
		return "", ""
	}
	switch {
	case lower == "i" && form != "I" || indefinites[lower]:
		return PRON // web text's "i"; "something", "anyone"
	case (lower == "am" || lower == "pm") && i > 0 && hasDigit(forms[i-1]):
		return NOUN // "11:21 AM"
	case beForms[lower] && lower != "ai" && !strings.HasPrefix(tag, "VB"):
		tag = "VBZ" // "is" mistagged: a form of be whatever the tagger said
	}
	switch tag {
	case "NN", "NNS":
		return NOUN
	case "NNP", "NNPS":
		return PROPN
	case "VB", "VBD", "VBG", "VBN", "VBP", "VBZ":
		switch {
		case (beForms[lower] || lower == "'s") && existential(forms, penn, i):
			return VERB // "there is": be is the verb of the clause
		case beForms[lower] || lower == "'s" && tag == "VBZ":
			return AUX
		case haveForms[lower] && verbAhead(forms, penn, i, "VBN"):
			return AUX
		case doForms[lower] && verbAhead(forms, penn, i, "VB", "VBP"):
			return AUX
		case lower == "'s" || lower == "'d":
			return AUX
		}
		return VERB
	case "MD":
		return AUX
	case "JJ", "JJR", "JJS":
		return ADJ
	case "RB", "RBR", "RBS":
		if lower == "not" || lower == "n't" || lower == "nt" {
			return PART
		}
		return ADV
	case "WRB":
		return ADV
	case "DT":
		if demonstratives[lower] {
			if _, nt := next(1); !nominal(nt) {
				return PRON // "that is", "I like this"
			}
		}
		return DET
	case "PDT":
		return DET
	case "WDT":
		if _, nt := next(1); lower != "that" && nominal(nt) {
			return DET // "which book"
		}
		return PRON
	case "PRP", "PRP$", "WP", "WP$", "EX":
		return PRON
	case "IN":
		if subordinators[lower] {
			return SCONJ
		}
		if clauseOpeners[lower] {
			if nw, nt := next(1); nt == "PRP" && nw != "me" && nw != "him" && nw != "her" && nw != "us" && nw != "them" || nt == "EX" {
				return SCONJ
			}
		}
		return ADP
	case "TO":
		if _, nt := next(1); nt == "VB" || nt == "RB" {
			return PART
		}
		return ADP
	case "RP":
		return ADP
	case "CC":
		return CCONJ
	case "CD":
		return NUM
	case "POS":
		return PART
	case "UH":
		return INTJ
	case "FW", "LS":
		return X
	case "SYM", "$", "#":
		return SYM
	}
	if letters(form) {
		return X
	}
	return PUNCT
}

// symbolic classifies a token without letters or digits: punctuation or a
// symbol, whatever the tagger said.
func symbolic(form string) (UPOS, bool) {
	sym := false
	for _, r := range form {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return "", false
		case unicode.IsSymbol(r) || strings.ContainsRune("%&*#@/\\", r):
			sym = true
		}
	}
	if form == "" {
		return "", false
	}
	if sym && form != "/" && form != "*" || form == "&" {
		if form == "&" {
			return CCONJ, true
		}
		return SYM, true
	}
	return PUNCT, true
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

func letters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// nominal reports a Penn tag that can follow a determiner inside its
// noun phrase.
func nominal(tag string) bool {
	switch tag {
	case "NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS", "CD", "VBG", "VBN", "RBS", "RBR":
		return true
	}
	return false
}

// existential reports a form of be after existential "there" ("there
// is", "is there", "there might be", "there have been").
func existential(forms, penn []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if penn[j] == "EX" {
			return true
		}
		if penn[j] != "MD" && penn[j] != "RB" && !haveForms[strings.ToLower(forms[j])] {
			break
		}
	}
	return i+1 < len(forms) && penn[i+1] == "EX"
}

// verbAhead reports a verb tagged one of want after token i, past adverbs,
// negation and a subject pronoun ("have not seen", "do you know"), within
// the clause.
func verbAhead(forms, penn []string, i int, want ...string) bool {
	for j := i + 1; j < len(forms) && j <= i+4; j++ {
		for _, w := range want {
			if penn[j] == w {
				return true
			}
		}
		switch penn[j] {
		case "RB", "RBR", "RBS", "PRP", "EX":
			continue
		}
		if beForms[strings.ToLower(forms[j])] && penn[j] == "VBN" {
			return true // "have been"
		}
		return false
	}
	return false
}

// Token is one word of a CoNLL-U sentence.
type Token struct {
	Form  string
	Lemma string
	UPOS  UPOS
}

// Sentence is one CoNLL-U block: its id, its text and its words.
type Sentence struct {
	ID     string
	Text   string
	Tokens []Token
}

// Write writes s as a CoNLL-U block: the sent_id and text comments, one
// line per word (ID, FORM, LEMMA, UPOS, the other six columns "_") and a
// blank line. A sentence without words writes nothing.
func Write(w *bufio.Writer, s Sentence) error {
	if len(s.Tokens) == 0 {
		return nil
	}
	w.WriteString("# sent_id = ")
	w.WriteString(field(s.ID, true))
	w.WriteString("\n# text = ")
	w.WriteString(field(s.Text, true))
	w.WriteByte('\n')
	for i, t := range s.Tokens {
		w.WriteString(strconv.Itoa(i + 1))
		w.WriteByte('\t')
		w.WriteString(field(t.Form, false))
		w.WriteByte('\t')
		w.WriteString(field(t.Lemma, false))
		w.WriteByte('\t')
		w.WriteString(string(t.UPOS))
		w.WriteString("\t_\t_\t_\t_\t_\t_\n")
	}
	_, err := w.WriteString("\n")
	return err
}

// field makes s fit one CoNLL-U field or comment: whitespace runs (tabs,
// line breaks) become one space, a comment is trimmed, and an empty field
// is "_".
func field(s string, comment bool) string {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) >= 0 ||
		strings.Contains(s, "  ") {
		s = strings.Join(strings.Fields(s), " ")
	}
	if comment {
		return strings.TrimSpace(s)
	}
	if s == "" {
		return "_"
	}
	return s
}
