package lexicon

import "testing"

func TestLists(t *testing.T) {
	l := Default()
	for _, w := range []string{"the", "of", "would", "'s"} {
		if !l.Stop(w) {
			t.Errorf("Stop(%q) = false", w)
		}
	}
	for _, w := range []string{"armor class", "hit points", "str", "page"} {
		if !l.Label(w) {
			t.Errorf("Label(%q) = false", w)
		}
	}
	for _, w := range []string{"fire", "light", "shadow", "force", "mind", "death", "dragon"} {
		if !l.Fantasy(w) {
			t.Errorf("Fantasy(%q) = false", w)
		}
	}
	if l.Stop("dragon") || l.Fantasy("the") {
		t.Error("lists overlap wrongly")
	}
}
