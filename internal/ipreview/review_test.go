package ipreview

import (
	"bytes"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecisionsRecordKeepsHistory(t *testing.T) {
	ds := NewDecisions()
	steps := []struct {
		term string
		d    Decision
	}{
		{"Mordenkainen's Sword", Decision{Action: Keep, DecidedAt: "2026-01-01T00:00:00Z"}},
		{"beholder", Decision{Action: Remove, Note: "closed creature", DecidedAt: "2026-01-01T00:00:01Z"}},
		{"mordenkainens swords", Decision{Action: Rename, NewText: "Arcane Sword", DecidedAt: "2026-01-01T00:00:02Z"}},
		{"Mordenkainen’s Sword", Decision{Action: Rename, NewText: "Wizard's Sword", Note: "better", DecidedAt: "2026-01-01T00:00:03Z"}},
	}
	for _, s := range steps {
		if err := ds.Record(s.term, s.d); err != nil {
			t.Fatal(err)
		}
	}
	if len(ds.Decisions) != 2 {
		t.Fatalf("decisions = %v", ds.Decisions)
	}
	d, ok := ds.Lookup("MORDENKAINEN'S SWORD")
	if !ok || d.NewText != "Wizard's Sword" || len(d.History) != 2 || d.History[0].Action != Keep || d.History[1].NewText != "Arcane Sword" {
		t.Errorf("decision = %+v", d)
	}
	if b, ok := ds.Lookup("Beholders"); !ok || b.Action != Remove {
		t.Errorf("another term's decision lost: %+v", b)
	}
	path := filepath.Join(t.TempDir(), DecisionsFile)
	if err := ds.Write(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	golden.Check(t, "testdata/decisions.golden.json", data)
	back, err := ReadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Write(path); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(path)
	if !bytes.Equal(data, again) {
		t.Error("decisions do not round-trip")
	}
	for _, bad := range []Decision{{Action: "delete"}, {Action: Rename}} {
		if err := ds.Record("x", bad); err == nil {
			t.Errorf("Record(%+v) accepted", bad)
		}
	}
}

func TestParseDecisionsShapes(t *testing.T) {
	tests := map[string]string{
		"2.0":         `{"schema_version": "2.0", "decisions": {"beholder": {"decision": "remove"}, "Tasha": {"decision": "rename", "new_text": "Tanya"}}}`,
		"1.0 map":     `{"beholder": {"decision": "remove"}, "Tasha": {"action": "rename", "new": "Tanya"}}`,
		"1.0 strings": `{"beholder": "remove", "Tasha": {"decision": "RENAME", "new_text": "Tanya"}}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			ds, err := ParseDecisions([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if d, _ := ds.Lookup("beholder"); d.Action != Remove {
				t.Errorf("beholder: %+v", d)
			}
			if d, _ := ds.Lookup("Tasha"); d.Action != Rename || d.NewText != "Tanya" {
				t.Errorf("Tasha: %+v", d)
			}
		})
	}
	for _, bad := range []string{`[]`, `{"x": "maybe"}`, `{"x": 3}`, `{"decisions": []}`} {
		if _, err := ParseDecisions([]byte(bad)); err == nil {
			t.Errorf("ParseDecisions(%s) accepted", bad)
		}
	}
	ds, err := ReadDecisions(filepath.Join(t.TempDir(), "none.json"))
	if err != nil || len(ds.Decisions) != 0 {
		t.Errorf("missing file: %v %v", ds, err)
	}
}

func TestQueueGolden(t *testing.T) {
	d := Decision{Action: Keep, Note: "ours", DecidedAt: "2026-01-01T00:00:00Z"}
	q := NewQueue("master.vocab.json", []QueueItem{
		{Canonical: "mind flayer", Text: "Mind Flayers", Sources: []string{"a.pdf", "b.pdf"}, Reason: "Wizards of the Coast Product Identity: mind flayer", Confidence: 0.9, Category: "creature"},
		{Canonical: "Bigby's Hand", Text: "Bigby's Hand", Reason: "Wizards of the Coast Product Identity: Bigby's Hand", Confidence: 0.7, Category: "spell", Decision: &d},
	}, "2026-01-02T03:04:05Z")
	q.Items[0].Explain(Default().Match("Bigby's Hand"))
	if q.Items[0].Alternative != "Arcane Hand" || len(q.Items[0].Matches) != 2 {
		t.Errorf("explained item %+v", q.Items[0])
	}
	if q.Total != 2 || q.Pending != 1 || q.Items[0].Canonical != "Bigby's Hand" {
		t.Errorf("queue %+v", q)
	}
	path := filepath.Join(t.TempDir(), QueueFile)
	if err := q.Write(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	golden.Check(t, "testdata/flagged.golden.json", data)
	back, err := ReadQueue(path)
	if err != nil || len(back.Items) != 2 || back.Items[0].Decision == nil || back.Items[0].Matches[1].Alternative != "Arcane Hand" {
		t.Fatalf("read back: %+v %v", back, err)
	}
	// 1.0: a bare array of items.
	old := filepath.Join(t.TempDir(), "old.json")
	os.WriteFile(old, []byte(`[{"canonical": "beholder", "text": "beholder", "reason": "x"}]`), 0o644)
	if q, err := ReadQueue(old); err != nil || q.Total != 1 {
		t.Errorf("1.0 queue: %+v %v", q, err)
	}
	if _, err := ReadQueue(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.Contains(err.Error(), "none.json") {
		t.Errorf("missing queue: %v", err)
	}
}
