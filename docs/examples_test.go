package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var jsonBlock = regexp.MustCompile("(?s)```json\n(.*?)```")

// Every JSON example in the Markdown files validates against its schema,
// so the examples cannot drift from the format.
func TestMarkdownExamplesValidate(t *testing.T) {
	// The documents of the formats this package's schemas describe.
	files := []string{"files.md", "events.md", "vocabulary.md", filepath.Join("..", "README.md")}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range jsonBlock.FindAllStringSubmatch(string(data), -1) {
			block := m[1]
			var err error
			switch {
			case strings.Contains(block, `"schema":"corpora.event/1"`):
				err = ValidateLines("event.schema.json", []byte(block))
			case strings.Contains(block, `"decisions"`):
				err = Validate("decisions.schema.json", []byte(block))
			case strings.Contains(block, `"stage":`) && strings.Contains(block, `"attempt":`):
				err = ValidateLines("batch-error.schema.json", []byte(block))
			case strings.Contains(block, `"id": "master-`):
				// One master entry: checked inside a minimal master file.
				file := `{"metadata":{"schema_version":"2.0","source_path":".","source_hash":"` + strings.Repeat("0", 64) +
					`","extracted_at":"2026-12-06T17:02:54Z","term_count":1,"classified_count":1,"flagged_count":0,"pipeline":"p","documents":2},"entries":[` + block + `]}`
				err = Validate("vocab.schema.json", []byte(file))
			case strings.HasPrefix(strings.TrimSpace(block), "{\n  \"") && strings.Contains(block, `"exclude"`):
				err = Validate("blocklist.schema.json", []byte(block))
			default:
				t.Errorf("%s: JSON example %d has no schema to check it against:\n%s", f, i+1, block)
				continue
			}
			checked++
			if err != nil {
				t.Errorf("%s: JSON example %d: %v", f, i+1, err)
			}
		}
	}
	if checked < 5 {
		t.Errorf("only %d examples checked", checked)
	}
}
