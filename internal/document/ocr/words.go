package ocr

import (
	"strings"
	"unicode"
)

// WordShare is the share (0..1) of the words of text that are among the
// commonest words of English, French, German or Spanish (the, of, and, de,
// der...). Running text, even a page of tables, scores about 0.3 to 0.45; an
// upside-down scan reads as "SUOS & UIYJIM posueyd oq" and scores about
// 0.01. Numbers and bare punctuation are not counted; a text without words
// scores 1.
func WordShare(text string) float64 {
	good, n := wordCounts(text)
	if n == 0 {
		return 1
	}
	return float64(good) / float64(n)
}

// wordCounts returns how many words text has, and how many of them are
// common words.
func wordCounts(text string) (good, n int) {
	for _, f := range strings.Fields(text) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) })
		if w == "" {
			continue
		}
		n++
		if commonWords[strings.ToLower(w)] {
			good++
		}
	}
	return good, n
}

var commonWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the of to in on at by for from with as is are was were be been
	it its he she we you they i me my our your his her their them this that these those or and but not no
	if so do does did has have had can will would shall should may might must all any each one two
	de la le les des du un une et est en au aux il elle ne pas qui que sur par pour dans ce se
	der die das und ist ein eine zu den dem im nicht mit von auf für sich es als auch wie
	el los las y es un una que con por para del al se lo su no`) {
		m[w] = true
	}
	return m
}()
