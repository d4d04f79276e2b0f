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

func TestPlainEnglish(t *testing.T) {
	e := PlainEnglish()
	if len(e.plain) < 20000 {
		t.Fatalf("plain English has %d words; plain.txt.gz is broken", len(e.plain))
	}
	for _, w := range []string{"afternoon", "arrives", "various", "abrasive"} {
		if !e.Plain(w) {
			t.Errorf("Plain(%q) = false", w)
		}
	}
	// Words with a game sense: concrete (WordNet creature, item, person),
	// rare, or invented.
	for _, w := range []string{"horse", "rope", "merchant", "halberd", "ankheg"} {
		if e.Plain(w) {
			t.Errorf("Plain(%q) = true", w)
		}
	}
	for _, w := range []string{"fire", "shadow", "ward", "bind", "light", "damage"} {
		if !e.Keep(w) {
			t.Errorf("Keep(%q) = false", w)
		}
	}
	if !e.StockPhrase("vice versa") || !e.Credit("authors") || !e.Unit("fahrenheit") || !e.TagWord("ongoing") {
		t.Error("fragment lists are missing entries")
	}
}
