package ud

import (
	"bufio"
	"strings"
	"testing"
)

func TestMap(t *testing.T) {
	for _, tt := range []struct{ tagged, want string }{
		{"The/DT wizard/NN cast/VBD a/DT spell/NN ./.", "DET NOUN VERB DET NOUN PUNCT"},
		{"She/PRP has/VBZ not/RB seen/VBN it/PRP", "PRON AUX PART VERB PRON"},
		{"She/PRP has/VBZ a/DT sword/NN", "PRON VERB DET NOUN"},
		{"Do/VBP you/PRP know/VB ?/.", "AUX PRON VERB PUNCT"},
		{"I/PRP did/VBD it/PRP", "PRON VERB PRON"},
		{"want/VBP to/TO go/VB to/TO town/NN", "VERB PART VERB ADP NOUN"},
		{"There/EX is/VBZ a/DT way/NN", "PRON VERB DET NOUN"},
		{"It/PRP 's/VBZ the/DT dragon/NN 's/POS lair/NN", "PRON AUX DET NOUN PART NOUN"},
		{"the/DT book/NN that/WDT I/PRP read/VBD", "DET NOUN PRON PRON VERB"},
		{"I/PRP know/VBP that/IN he/PRP can/MD", "PRON VERB SCONJ PRON AUX"},
		{"I/PRP like/VBP that/DT ./.", "PRON VERB PRON PUNCT"},
		{"that/DT sword/NN and/CC his/PRP$ 3/CD coins/NNS", "DET NOUN CCONJ PRON NUM NOUN"},
		{"before/IN dawn/NN before/IN you/PRP go/VBP", "ADP NOUN SCONJ PRON VERB"},
		{"Oh/UH ,/, 50/CD %/NN &/CC $/$", "INTJ PUNCT NUM SYM CCONJ SYM"},
		{"Waterdeep/NNP gives/VBZ up/RP", "PROPN VERB ADP"},
		{"i/NN think/VBP something/NN is/NN wrong/JJ", "PRON VERB PRON AUX ADJ"},
		{"07:17/CD AM/VBP ,/, I/PRP am/VBP here/RB", "NUM NOUN PUNCT PRON AUX ADV"},
		{"there/EX have/VBP been/VBN tensions/NNS", "PRON AUX VERB NOUN"},
		{"they/PRP have/VBP been/VBN here/RB", "PRON AUX AUX ADV"},
	} {
		var forms, penn []string
		for _, wt := range strings.Fields(tt.tagged) {
			i := strings.LastIndexByte(wt, '/')
			forms, penn = append(forms, wt[:i]), append(penn, wt[i+1:])
		}
		var got []string
		for _, u := range Map(forms, penn, nil) {
			got = append(got, string(u))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.tagged, g, tt.want)
		}
	}
}

func TestWrite(t *testing.T) {
	var sb strings.Builder
	w := bufio.NewWriter(&sb)
	if err := Write(w, Sentence{ID: "1", Text: "A\tline\nbroken", Tokens: []Token{{"A", "a", DET}, {"line", "", NOUN}}}); err != nil {
		t.Fatal(err)
	}
	if err := Write(w, Sentence{ID: "2"}); err != nil { // no words: nothing
		t.Fatal(err)
	}
	w.Flush()
	want := "# sent_id = 1\n# text = A line broken\n1\tA\ta\tDET\t_\t_\t_\t_\t_\t_\n2\tline\t_\tNOUN\t_\t_\t_\t_\t_\t_\n\n"
	if sb.String() != want {
		t.Errorf("got %q\nwant %q", sb.String(), want)
	}
}
