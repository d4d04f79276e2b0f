package textnorm

import "testing"

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mind\u00a0Flayer", "Mind Flayer"},
		{"3rd-\u00adlevel", "3rd-level"},
		{"Bigby\u02bcs Hand", "Bigby's Hand"},
		{"Bigby\u2019s", "Bigby's"},
		{"yuan\u2011ti", "yuan-ti"},
		{"half\u2010orc", "half-orc"},
		{"\ufb01re\ufb02y", "firefly"},
		{"fire\tand\r\nice", "fire and\nice"},
		{"a\u2003\u2009 b  c ", "a b c"},
		{"zero\u200bwidth", "zerowidth"},
		{"\u201cquoted\u201d", "\"quoted\""},
		{"\uff26\uff29\uff32\uff25", "FIRE"},
		{"priv\ue001ate", "private"},
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJoinLines(t *testing.T) {
	keep := func(l, r string) bool { return l == "half" || l == "yuan" }
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"The dragon flew swift-", "ly over the hills."}, "The dragon flew swiftly over the hills."},
		{[]string{"A half-", "orc warrior"}, "A half-orc warrior"},
		{[]string{"the yuan-", "ti pureblood"}, "the yuan-ti pureblood"},
		{[]string{"Jean-", "Luc"}, "Jean-Luc"},
		{[]string{"one", "", "two"}, "one two"},
		{[]string{"range 1-", "5 feet"}, "range 1- 5 feet"},
	}
	for _, tt := range tests {
		if got := JoinLines(tt.lines, keep); got != tt.want {
			t.Errorf("JoinLines(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}

func TestGarbageRatio(t *testing.T) {
	if r := GarbageRatio("\ufffd\ufffd\ufffdab"); r < 0.5 {
		t.Fatalf("ratio %v", r)
	}
	if r := GarbageRatio("plain words"); r != 0 {
		t.Fatalf("ratio %v", r)
	}
}

func FuzzString(f *testing.F) {
	f.Add("Mind\u00a0Flayer\r\n3rd-\u00adlevel")
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		if String(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, String(out))
		}
	})
}
