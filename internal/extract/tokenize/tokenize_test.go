package tokenize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func texts(s string) []string {
	var out []string
	for _, t := range Tokens(nil, s) {
		out = append(out, t.Text(s))
	}
	return out
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want string // tokens joined by " ␣ "
	}{
		{"Mordenkainen's Sword", "Mordenkainen|'s|Sword"},
		{"the yuan-ti and a half-orc", "the|yuan-ti|and|a|half-orc"},
		{"Hit: 7 (2d6+3) damage", "Hit|:|7|(|2d6+3|)|damage"},
		{"a 1st-level spell and a 10-foot pole", "a|1st-level|spell|and|a|10-foot|pole"},
		{"roll a d20, or 1d4 - 1", "roll|a|d20|,|or|1d4|-|1"},
		{"DC 15 Wisdom saving throw", "DC|15|Wisdom|saving|throw"},
		{"tools (e.g., thieves' tools) cost 25 gp.", "tools|(|e.g.|,|thieves|'|tools|)|cost|25|gp."},
		{"Speed 30 ft., fly 60 ft.", "Speed|30|ft.|,|fly|60|ft."},
		{"Heroes' Feast", "Heroes|'|Feast"},
		{"don't, can't", "do|n't|,|ca|n't|"},
		{"Antipathy/Sympathy", "Antipathy/Sympathy"},
		{"Ball bearings (bag of 1,000) | 1 gp | 2 lb.", "Ball|bearings|(|bag|of|1,000|)|||1|gp|||2|lb."},
		{"STR 18 (+4) DEX 14 (+2)", "STR|18|(|+4|)|DEX|14|(|+2|)"},
		{"the U.S. army", "the|U.S.|army"},
		{"Mind\u00a0Flayer", "Mind|Flayer"},
		{"café naïve Ærin", "café|naïve|Ærin"},
		{"50% chance ... maybe -- or", "50%|chance|...|maybe|--|or"},
		{"they're elves' homes", "they|'re|elves|'|homes"},
		{"a Will-o'-Wisp glows", "a|Will-o'-Wisp|glows"},
	}
	for _, tt := range tests {
		got := strings.Join(texts(tt.in), "|")
		want := strings.TrimSuffix(tt.want, "|")
		if got != want {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, want)
		}
	}
}

func TestKinds(t *testing.T) {
	s := "Roll 2d6+3 on the 1st-level table | Mordenkainen's"
	want := []Kind{Word, Dice, Word, Word, Number, Word, Cell, Word, Clitic}
	toks := Tokens(nil, s)
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens, want %d", len(toks), len(want))
	}
	for i, tk := range toks {
		if tk.Kind != want[i] {
			t.Errorf("token %q kind %d, want %d", tk.Text(s), tk.Kind, want[i])
		}
	}
}

func sentences(s string) []string {
	toks := Tokens(nil, s)
	var out []string
	for _, se := range Sentences(nil, s, toks) {
		out = append(out, s[toks[se.From].Start:toks[se.To-1].End])
	}
	return out
}

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"The dragon roars. It breathes fire! Run?", []string{"The dragon roars.", "It breathes fire!", "Run?"}},
		{"Cast it (e.g., on a door). The door opens.", []string{"Cast it (e.g., on a door).", "The door opens."}},
		{"It has a range of 60 ft. The target must succeed.", []string{"It has a range of 60 ft.", "The target must succeed."}},
		{"Reach 5 ft., one target. Hit: 7 (1d8 + 3) piercing damage.", []string{"Reach 5 ft., one target.", "Hit: 7 (1d8 + 3) piercing damage."}},
		{"Armor Class 15 (natural armor)\nHit Points 45 (6d10 + 12)\nSpeed 30 ft.", []string{"Armor Class 15 (natural armor)", "Hit Points 45 (6d10 + 12)", "Speed 30 ft."}},
		{"Item | Cost | Weight\nAbacus | 2 gp | 2 lb.\nAcid (vial) | 25 gp | 1 lb.", []string{"Item | Cost | Weight", "Abacus | 2 gp | 2 lb.", "Acid (vial) | 25 gp | 1 lb."}},
		{"a wrapped line that goes\non after the break. Next one.", []string{"a wrapped line that goes\non after the break.", "Next one."}},
		{"He said \"Stop.\" Then he left.", []string{"He said \"Stop.\"", "Then he left."}},
		{"Fireball\nA bright streak flashes.", []string{"Fireball", "A bright streak flashes."}},
		{"Mr. Smith met St. Cuthbert.", []string{"Mr. Smith met St. Cuthbert."}},
		{"It costs 5 gp. and weighs 2 lb.", []string{"It costs 5 gp. and weighs 2 lb."}},
	}
	for _, tt := range tests {
		got := sentences(tt.in)
		if strings.Join(got, "\x00") != strings.Join(tt.want, "\x00") {
			t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Mordenkainen's Sword (2d6+3) 1st-level e.g. ft.", "a | b\nc. D", "'''", "1,.d%", "\xff\xfe's", "n't"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(nil, s)
		prev := 0
		for _, tk := range toks {
			if tk.Start < prev || tk.End <= tk.Start || tk.End > len(s) {
				t.Fatalf("bad token %+v after %d in %q", tk, prev, s)
			}
			if strings.TrimSpace(s[prev:tk.Start]) != "" && utf8.ValidString(s[prev:tk.Start]) {
				t.Fatalf("skipped text %q in %q", s[prev:tk.Start], s)
			}
			prev = tk.End
		}
		sents := Sentences(nil, s, toks)
		next := 0
		for _, se := range sents {
			if se.From != next || se.To <= se.From || se.To > len(toks) || se.To-se.From > MaxSentenceTokens {
				t.Fatalf("bad sentence %+v (want from %d) in %q", se, next, s)
			}
			next = se.To
		}
		if next != len(toks) {
			t.Fatalf("sentences cover %d of %d tokens in %q", next, len(toks), s)
		}
	})
}

func BenchmarkTokens(b *testing.B) {
	s := strings.Repeat("The ancient red dragon's breath deals 12d6 fire damage to each creature in a 60-foot cone (e.g., the wizard). ", 100)
	var toks []Token
	var sents []Sentence
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		toks = Tokens(toks[:0], s)
		sents = Sentences(sents[:0], s, toks)
	}
}
