package ipreview

import (
	"slices"
	"testing"
)

// FuzzBlocklistFile: any bytes as a -b file either fail cleanly or give a
// blocklist whose names all match themselves, deterministically.
func FuzzBlocklistFile(f *testing.F) {
	f.Add([]byte(`{"Mine": ["Zorblax", {"term": "Glow", "whole_name": true, "proper": true}]}`))
	f.Add([]byte(`{"replace": true, "exclude": ["beholder"], "A": ["x-y z's"]}`))
	f.Add([]byte(`{"A": [""]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"A": ["\u00e9\u0301&&'''"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Extend(nil, data)
		if err != nil {
			return
		}
		for name, es := range b.Franchises() {
			for _, e := range es {
				ms := b.Match(e.Term)
				if e.MatchesAlone() && !slices.ContainsFunc(ms, func(m Match) bool { return m.Franchise == name && m.Term == e.Term }) {
					t.Errorf("%q (%s) does not match itself: %v", e.Term, name, ms)
				}
				if r1, r2 := Reason(ms), Reason(b.Match(e.Term)); r1 != r2 {
					t.Errorf("not deterministic: %q vs %q", r1, r2)
				}
			}
		}
	})
}

// FuzzMatch: matching any text never panics, is deterministic, and gives
// the same answer for the text's folded forms. (termkey.FuzzKey checks Key.)
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"Mind Flayers", "Mordenkainen’s Sword", "d20 (trademark", "Nazgûl", "The Shire", "a)b(c", "\xff\xfe", "yuan-ti-ti", "'s's'"} {
		f.Add(s)
	}
	b := Default()
	f.Fuzz(func(t *testing.T, s string) {
		a := b.Match(s)
		if !slices.EqualFunc(a, b.Match(s), func(x, y Match) bool { return x == y }) {
			t.Fatal("not deterministic")
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	bl := Default()
	texts := []string{"Fireball", "Mordenkainen's Faithful Hound", "ancient red dragon", "Ring of Protection", "Mind Flayer Arcanist", "the Shire", "bag of holding"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		bl.Match(texts[i%len(texts)])
	}
}
