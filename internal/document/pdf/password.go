package pdf

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// passwordCandidates lists the byte strings to try for a user-supplied
// password. PDF 2.0 (ISO 32000-2, 7.6.4.3.3) requires AES-256 passwords to
// be prepared with SASLprep (RFC 4013: non-ASCII spaces become spaces,
// "commonly mapped to nothing" characters are dropped, then NFKC) and
// encoded as UTF-8; PDFium converts to PDFDocEncoding itself for the older
// handlers. Files written by tools that skipped the preparation need the
// password as typed, so that is tried too.
func passwordCandidates(pw string) []string {
	cands := []string{saslPrep(pw), pw, norm.NFC.String(pw)}
	var out []string
	seen := map[string]bool{}
	for _, c := range cands {
		if len(c) > 127 { // R6 uses at most 127 bytes of the UTF-8 password
			c = truncateUTF8(c, 127)
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// saslPrep applies the mapping and normalisation steps of RFC 4013.
func saslPrep(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case mappedToNothing(r):
			continue
		case r != ' ' && unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFKC.String(b.String())
}

// mappedToNothing is RFC 3454 table B.1.
func mappedToNothing(r rune) bool {
	switch r {
	case 0x00AD, 0x034F, 0x1806, 0x180B, 0x180C, 0x180D, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return r >= 0xFE00 && r <= 0xFE0F
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(c byte) bool { return c&0xC0 != 0x80 }
