package textnorm

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// stringRef is String as first written (NFKC and fold rounds without the
// fast paths): the optimised String must give exactly its results.
func stringRef(s string) string {
	if s == "" {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = foldPassRef(norm.NFKC.String(foldPassRef(s)))
	if !norm.NFKC.IsNormalString(s) {
		s = foldPassRef(norm.NFKC.String(s))
	}
	return s
}

func foldPassRef(s string) string {
	var b strings.Builder
	space, lineStart := false, true
	for _, r := range s {
		r = fold(r)
		switch r {
		case -1:
			continue
		case ' ':
			if !lineStart {
				space = true
			}
			continue
		case '\n':
			space, lineStart = false, true
			b.WriteByte('\n')
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		lineStart = false
		b.WriteRune(r)
	}
	return b.String()
}

var sameSeeds = []string{
	"", " ", "\n", "plain words", " lead", "trail ", "two  spaces", "a\n b", "a \nb", "tick`s", "tab\there",
	"cr\r\nlf\rx", "\x00\x1f\x7f", "caf\u00e9", "cafe\u0301", "\ufb01re", "Bigby\u2019s \u201chand\u201d",
	"\xff\xfe bad utf8 \xc3", "x\u200b\u0301", "\u2002em\u2003", "ｆｕｌｌ", "a\u00ad-b", "x\n\n\ny", "\u00a0\u00a0a",
}

func TestStringSameAsReference(t *testing.T) {
	for _, s := range sameSeeds {
		if got, want := String(s), stringRef(s); got != want {
			t.Errorf("String(%q) = %q, reference gives %q", s, got, want)
		}
	}
}

func FuzzStringSame(f *testing.F) {
	for _, s := range sameSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := String(s), stringRef(s); got != want {
			t.Fatalf("String(%q) = %q, reference gives %q", s, got, want)
		}
	})
}

func BenchmarkString(b *testing.B) {
	ascii := strings.Repeat("The dragon flew over the hills and breathed fire on the village. ", 200)
	mixed := strings.Repeat("Bigby\u2019s Hand strikes the \u201cgoblin\u201d \u2014 a caf\u00e9 fight. ", 200)
	dirty := strings.Repeat("The  dragon\tflew over the hills`s edge \r\n", 200)
	for _, tc := range []struct{ name, s string }{{"ascii", ascii}, {"dirty-ascii", dirty}, {"mixed", mixed}} {
		for _, fn := range []struct {
			name string
			f    func(string) string
		}{{"String", String}, {"reference", stringRef}} {
			b.Run(tc.name+"/"+fn.name, func(b *testing.B) {
				b.SetBytes(int64(len(tc.s)))
				for b.Loop() {
					fn.f(tc.s)
				}
			})
		}
	}
}
