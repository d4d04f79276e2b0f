package docs

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/ipreview"
)

func TestSchemasCompile(t *testing.T) {
	files, err := Schemas()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("only %d schema files", len(files))
	}
	for name, data := range files {
		var s struct {
			Schema string `json:"$schema"`
			ID     string `json:"$id"`
			Title  string `json:"title"`
		}
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.ID != SchemaBase+name || s.Title == "" {
			t.Errorf("%s: $schema %q, $id %q, title %q", name, s.Schema, s.ID, s.Title)
		}
	}
	if _, err := compiled(); err != nil {
		t.Fatal(err)
	}
}

// enumOf returns the enum at a JSON pointer-ish path of a schema file.
func enumOf(t *testing.T, file string, path ...string) []string {
	t.Helper()
	files, _ := Schemas()
	var v any
	if err := json.Unmarshal(files[file], &v); err != nil {
		t.Fatal(err)
	}
	for _, p := range path {
		v = v.(map[string]any)[p]
	}
	var out []string
	for _, x := range v.(map[string]any)["enum"].([]any) {
		if x != nil {
			out = append(out, x.(string))
		}
	}
	return out
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// The enumerations in the schemas are the code's, in the code's order.
func TestEnumerationsMatchTheCode(t *testing.T) {
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"intent", enumOf(t, "term.schema.json", "$defs", "intent"), strs(classify.Intents)},
		{"category", enumOf(t, "term.schema.json", "$defs", "category"), strs(classify.Categories)},
		{"mood", enumOf(t, "term.schema.json", "$defs", "mood"), strs(classify.Moods)},
		{"energy", enumOf(t, "term.schema.json", "$defs", "energy"), append([]string{""}, classify.Energies...)},
		{"pos", enumOf(t, "term.schema.json", "$defs", "pos"), strs([]extract.POS{extract.Noun, extract.Verb, extract.Adjective, extract.ProperNoun, extract.Phrase})},
		{"stage", enumOf(t, "event.schema.json", "$defs", "stage"), strs([]batch.Stage{batch.StageQueued, batch.StageHash, batch.StageParse, batch.StageExtract, batch.StageClassify, batch.StageFlag, batch.StageWrite, batch.StageManifest})},
		{"status", enumOf(t, "event.schema.json", "$defs", "document", "properties", "status"), strs([]batch.Status{batch.StatusSuccess, batch.StatusSkipped, batch.StatusFailed, batch.StatusInterrupted})},
		{"format", enumOf(t, "document.schema.json", "properties", "format"), strs([]document.Format{document.PDF, document.EPUB, document.DOCX, document.Text, document.Markdown, document.HTML})},
		{"decision", enumOf(t, "decisions.schema.json", "$defs", "decision", "properties", "decision"), strs([]ipreview.Action{ipreview.Keep, ipreview.Remove, ipreview.Rename})},
		{"match kind", enumOf(t, "flagged.schema.json", "$defs", "match", "properties", "kind"), strs([]ipreview.Kind{ipreview.Coined, ipreview.Shared})},
	}
	for _, tc := range tests {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: schema %q, code %q", tc.name, tc.got, tc.want)
		}
	}
	files, _ := Schemas()
	var term struct {
		Defs struct {
			Axes struct {
				Required []string `json:"required"`
			} `json:"axes"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(files["term.schema.json"], &term); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(term.Defs.Axes.Required, classify.AxisNames[:]) {
		t.Errorf("axes: schema %q, code %q", term.Defs.Axes.Required, classify.AxisNames)
	}
}

// The embedded blocklist is a valid -b file.
func TestDefaultBlocklistValidates(t *testing.T) {
	data, err := os.ReadFile("../internal/ipreview/default_blocklist.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate("blocklist.schema.json", data); err != nil {
		t.Fatal(err)
	}
}

// A term that breaks the format is refused, with the field named: the
// schemas are not so loose that anything passes.
func TestSchemasRefuse(t *testing.T) {
	good := classify.Term{ID: "b-fireball", Text: "Fireball", Source: "b.md", Genre: "fantasy", Intent: classify.Offensive, POS: extract.Noun,
		Tags: []string{}, Category: classify.Spell, Canonical: "fireball", Mood: classify.Arcane, Energy: "fire", Confidence: 0.9,
		SecondaryIntents: []classify.Intent{}, Count: 1, Pages: []int{}, Classifier: "offline/x"}
	enc := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if err := Validate("term.schema.json", enc(good)); err != nil {
		t.Fatalf("a good term: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(m map[string]any)
		field string
	}{
		{"energy out of enum", func(m map[string]any) { m["energy"] = "x/day" }, "energy"},
		{"category out of enum", func(m map[string]any) { m["category"] = "monster" }, "category"},
		{"axis above 1", func(m map[string]any) { m["axes"].(map[string]any)["fire"] = 1.5 }, "fire"},
		{"unknown axis", func(m map[string]any) { m["axes"].(map[string]any)["frost"] = 0.5 }, "frost"},
		{"missing axis", func(m map[string]any) { delete(m["axes"].(map[string]any), "fate") }, "fate"},
		{"undocumented field", func(m map[string]any) { m["rarity"] = "rare" }, "rarity"},
		{"ip_flag not a flag", func(m map[string]any) { m["ip_flag"] = "yes" }, "ip_flag"},
		{"missing id", func(m map[string]any) { delete(m, "id") }, "id"},
	}
	for _, tc := range tests {
		var m map[string]any
		if err := json.Unmarshal(enc(good), &m); err != nil {
			t.Fatal(err)
		}
		tc.edit(m)
		err := Validate("term.schema.json", enc(m))
		if err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: err = %v, want one naming %q", tc.name, err, tc.field)
		}
	}
}
