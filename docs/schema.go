// Package docs holds corpora's user documentation (the Markdown files in
// this folder) and the JSON Schemas of every JSON file and event corpora
// writes (schema/). The schemas are embedded so that tests validate real
// output against them: a field added to a file without a line here fails
// those tests, which keeps the documentation true.
package docs

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schema/*.schema.json
var schemaFiles embed.FS

// SchemaBase is the URI every schema's $id starts with.
const SchemaBase = "https://github.com/corpora-tools/corpora/blob/main/docs/schema/"

// Schemas returns the schema files by name ("vocab.schema.json").
func Schemas() (map[string][]byte, error) {
	names, err := fs.Glob(schemaFiles, "schema/*.schema.json")
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(names))
	for _, n := range names {
		data, err := schemaFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[path.Base(n)] = data
	}
	return out, nil
}

var compiled = sync.OnceValues(compileAll)

func compileAll() (map[string]*jsonschema.Schema, error) {
	files, err := Schemas()
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	for name, data := range files {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := c.AddResource(SchemaBase+name, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	out := make(map[string]*jsonschema.Schema, len(files))
	for name := range files {
		s, err := c.Compile(SchemaBase + name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = s
	}
	return out, nil
}

// Validate checks the JSON document data against the named schema
// ("vocab.schema.json") and returns every violation in one error.
func Validate(schema string, data []byte) error {
	all, err := compiled()
	if err != nil {
		return err
	}
	s, ok := all[schema]
	if !ok {
		return fmt.Errorf("no schema %s", schema)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := s.Validate(doc); err != nil {
		return fmt.Errorf("%s: %s", schema, strings.TrimSpace(fmt.Sprintf("%v", err)))
	}
	return nil
}

// ValidateLines checks every line of a JSON-lines stream (batch --json,
// batch-errors.log) against the named schema.
func ValidateLines(schema string, data []byte) error {
	var errs []string
	for i, line := range bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !json.Valid(line) {
			errs = append(errs, fmt.Sprintf("line %d: not JSON: %q", i+1, line))
			continue
		}
		if err := Validate(schema, line); err != nil {
			errs = append(errs, fmt.Sprintf("line %d: %v", i+1, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}
