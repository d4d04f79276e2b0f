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

// TestPhraseRules checks that every section of rules.txt is read, and the
// shapes of its entries.
func TestPhraseRules(t *testing.T) {
	r := PhraseRules()
	for name, m := range map[string]map[string]bool{
		"trait-words": r.TraitWords, "clause-titles": r.ClauseTitles, "subordinators": r.Subordinators,
		"colon-labels": r.ColonLabels, "stat-leads": r.StatLeads, "line-leads": r.LineLeads,
		"connectors": r.Connectors, "generic-heads": r.GenericHeads,
	} {
		if len(m) == 0 {
			t.Errorf("[%s] is empty", name)
		}
	}
	if !r.ColonLabels["casting time"] || !r.ColonLabels["range"] {
		t.Errorf("colon labels are one per line: %v", r.ColonLabels)
	}
	if got := r.Compounds["hit"]; len(got) != 4 || got[0] != "point" {
		t.Errorf("compounds[hit] = %q", got)
	}
	if !r.Connectors["of"] || r.Connectors["#"] {
		t.Errorf("connectors: %v", r.Connectors)
	}
}
