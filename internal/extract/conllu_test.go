package extract

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/ud"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
)

func conllu(t testing.TB, blocks ...document.Block) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCoNLLU(context.Background(), &buf, &document.Output{Source: "test", Content: blocks}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// checkCoNLLU checks the CoNLL-U format: comment lines, then words numbered
// from 1 with ten tab-separated fields, a blank line after each sentence.
func checkCoNLLU(t testing.TB, out string) {
	t.Helper()
	if out == "" {
		return
	}
	if !strings.HasSuffix(out, "\n\n") {
		t.Fatalf("output does not end with a blank line: %q", out)
	}
	valid := map[string]bool{}
	for _, u := range []ud.UPOS{ud.ADJ, ud.ADP, ud.ADV, ud.AUX, ud.CCONJ, ud.DET, ud.INTJ, ud.NOUN, ud.NUM, ud.PART, ud.PRON, ud.PROPN, ud.PUNCT, ud.SCONJ, ud.SYM, ud.VERB, ud.X} {
		valid[string(u)] = true
	}
	for _, block := range strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n") {
		lines := strings.Split(block, "\n")
		if len(lines) < 3 || !strings.HasPrefix(lines[0], "# sent_id = ") || !strings.HasPrefix(lines[1], "# text = ") {
			t.Fatalf("sentence without sent_id, text or words: %q", block)
		}
		for i, line := range lines[2:] {
			f := strings.Split(line, "\t")
			if len(f) != 10 || f[0] != strconv.Itoa(i+1) || f[1] == "" || f[2] == "" || !valid[f[3]] ||
				strings.Join(f[4:], "") != "______" || strings.ContainsAny(f[1]+f[2], "\r\n") {
				t.Fatalf("bad word line %q in %q", line, block)
			}
		}
	}
}

// TestCoNLLUGolden pins the CoNLL-U of a small sourcebook page.
func TestCoNLLUGolden(t *testing.T) {
	out := conllu(t,
		document.Block{Type: document.Heading, Text: "Fireball"},
		document.Block{Type: document.Paragraph, Text: "The ancient wizard cast a powerful spell. The ancient dragon breathed deadly fire!\nIt doesn't want to go to the city, and they're not sure that it will."},
		document.Block{Type: document.Table, Text: "Item | Cost\nPotion of healing | 50 gp"},
		document.Block{Type: document.Paragraph, Text: "THE PEOPLE ARE GOOD."},
	)
	checkCoNLLU(t, out)
	golden.CheckString(t, "testdata/conllu.golden", out)
}

// TestCoNLLUFantasy checks the tags that the 1.0 tool's tests asked for.
func TestCoNLLUFantasy(t *testing.T) {
	for _, tt := range []struct {
		text string
		want map[string]string // form -> UPOS
	}{
		{"The ancient wizard cast a powerful spell.", map[string]string{"ancient": "ADJ", "wizard": "NOUN", "cast": "VERB", "powerful": "ADJ", "spell": "NOUN"}},
		{"The ancient dragon breathed deadly fire.", map[string]string{"ancient": "ADJ", "dragon": "NOUN", "breathed": "VERB", "deadly": "ADJ", "fire": "NOUN"}},
		{"The wizard cast fireball at the orcs.", map[string]string{"cast": "VERB", "orcs": "NOUN"}},
		{"She cast the spell before dawn.", map[string]string{"cast": "VERB", "before": "ADP"}},
		{"The elves have not seen the dragon, but they do know it is there.", map[string]string{"have": "AUX", "not": "PART", "seen": "VERB", "do": "AUX", "know": "VERB", "is": "AUX"}},
		{"They have a sword and want to go to the city.", map[string]string{"have": "VERB", "to": "PART", "city": "NOUN"}},
	} {
		out := conllu(t, para(tt.text))
		checkCoNLLU(t, out)
		got := map[string]string{}
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Split(line, "\t"); len(f) == 10 {
				if _, seen := got[f[1]]; !seen {
					got[f[1]] = f[3]
				}
			}
		}
		for form, want := range tt.want {
			if got[form] != want {
				t.Errorf("%q: %s is %s, want %s", tt.text, form, got[form], want)
			}
		}
	}
}

// FuzzCoNLLU runs arbitrary text through WriteCoNLLU: no panic, valid
// CoNLL-U.
func FuzzCoNLLU(f *testing.F) {
	for _, s := range []string{
		"Mordenkainen's Sword (2d6+3) strikes the yuan-ti.\nArmor Class 15",
		"Item | Cost\nRing of Protection | 3,500 gp",
		"’s ' 's s' A. B. e.g.\n\n| |",
		"\xff\xfeÆ\u0301 Ring  of\tFire",
		"I can't, won't and shan't.",
	} {
		f.Add(s, "text")
	}
	f.Add("Sending\nTrue Seeing", "list")
	f.Fuzz(func(t *testing.T, s, bt string) {
		var buf bytes.Buffer
		doc := &document.Output{Content: []document.Block{{Type: document.BlockType(bt), Text: s}}}
		if err := WriteCoNLLU(context.Background(), &buf, doc); err != nil {
			t.Fatal(err)
		}
		checkCoNLLU(t, buf.String())
	})
}
