package ipreview

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/corpora-tools/corpora/internal/termkey"
)

// Limits on a blocklist file: it is user input.
const (
	maxBlocklistBytes = 16 << 20
	maxEntryChars     = 200
	maxEntryTokens    = 12
)

// ErrBlocklist marks a blocklist file that cannot be used.
var ErrBlocklist = errors.New("invalid blocklist")

//go:embed default_blocklist.json
var defaultJSON []byte

// Blocklist is the set of protected names by franchise. It is immutable
// once loaded and safe for concurrent use.
type Blocklist struct {
	franchises map[string][]Entry
	hash       string

	// index maps the concatenated singular tokens of a name ("mindflayer")
	// to the names with that key; hyphens and spaces both vanish, so
	// "yuan-ti", "yuan ti" and "Yuanti" share one key.
	index     map[string][]*ref
	maxTokens int // most tokens a key can span in a term
	maxKeyLen int // longest key, in bytes

	slugs map[string]bool // flagSlug of every franchise: the flags it sets
	user  map[string]bool // franchises of the -b file, whose matches come first
}

// ref is one indexed name: its entry and what matching it needs.
type ref struct {
	franchise    string
	entry        Entry
	kind         Kind
	words        []string   // the name's words, folded and singular
	lits         []string   // the same with their apostrophes, for Literal
	bounds       []int      // byte offsets in the key where the name has a word break
	caps         []bool     // which of the name's words it writes with a capital
	except       [][]string // the longer open names, as words
	context      [][]string // franchise context words, as words
	contextNames []string   // the same as the entry writes them
	open         [][]string // open-sense context words, as words
}

// blocklistFile is the -b file: the 1.0 shape, franchise -> terms, where a
// term is a string or an Entry object; plus two optional top-level keys
// whose values are not lists: "replace": true (use the file instead of the
// default list, not in addition to it) and "schema_version". A key
// "exclude" holding a list of names removes those names from every
// franchise of the default list.
type blocklistFile struct {
	Replace    bool
	Exclude    []string
	Franchises map[string][]Entry
}

// parseBlocklistFile reads a blocklist file's bytes.
func parseBlocklistFile(data []byte) (*blocklistFile, error) {
	if len(data) > maxBlocklistBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrBlocklist, maxBlocklistBytes)
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBlocklist, err)
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: not a JSON object of franchise -> terms", ErrBlocklist)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing data after the object", ErrBlocklist)
	}
	f := &blocklistFile{Franchises: map[string][]Entry{}}
	checked := map[string]bool{}
	for k, v := range raw {
		switch k {
		case "replace":
			if err := json.Unmarshal(v, &f.Replace); err != nil {
				return nil, fmt.Errorf("%w: \"replace\" must be true or false", ErrBlocklist)
			}
			continue
		case "schema_version":
			continue
		case "exclude":
			if err := json.Unmarshal(v, &f.Exclude); err != nil {
				return nil, fmt.Errorf("%w: \"exclude\" must be a list of names", ErrBlocklist)
			}
			continue
		}
		franchise := strings.Join(strings.Fields(k), " ")
		if franchise == "" || len(franchise) > maxEntryChars {
			return nil, fmt.Errorf("%w: franchise name %q", ErrBlocklist, k)
		}
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, fmt.Errorf("%w: franchise %q: want a list of terms", ErrBlocklist, k)
		}
		for i, it := range items {
			var e Entry
			if len(it) > 0 && it[0] == '"' {
				if err := json.Unmarshal(it, &e.Term); err != nil {
					return nil, fmt.Errorf("%w: franchise %q item %d: %v", ErrBlocklist, k, i+1, err)
				}
			} else if err := json.Unmarshal(it, &e); err != nil {
				return nil, fmt.Errorf("%w: franchise %q item %d: want a string or {\"term\": ...}", ErrBlocklist, k, i+1)
			}
			e.Term = strings.Join(strings.Fields(e.Term), " ")
			if err := checkEntry(e, checked); err != nil {
				return nil, fmt.Errorf("%w: franchise %q item %d: %v", ErrBlocklist, k, i+1, err)
			}
			f.Franchises[franchise] = append(f.Franchises[franchise], e)
		}
	}
	return f, nil
}

var defaultOnce = sync.OnceValues(func() (*Blocklist, error) {
	f, err := parseBlocklistFile(defaultJSON)
	if err != nil {
		return nil, fmt.Errorf("embedded blocklist: %w", err)
	}
	return build(f.Franchises), nil
})

// Default returns the embedded default blocklist.
func Default() *Blocklist {
	b, err := defaultOnce()
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return b
}

// LoadBlocklist returns the embedded default blocklist, extended or
// overridden by the file at path when path is not empty.
func LoadBlocklist(path string) (*Blocklist, error) {
	if path == "" {
		return Default(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("blocklist %s: %w", path, err)
	}
	b, err := Extend(Default(), data)
	if err != nil {
		return nil, fmt.Errorf("blocklist %s: %w", path, err)
	}
	return b, nil
}

// Extend returns base extended by (or, with "replace": true, replaced by)
// the blocklist file data.
func Extend(base *Blocklist, data []byte) (*Blocklist, error) {
	f, err := parseBlocklistFile(data)
	if err != nil {
		return nil, err
	}
	all := map[string][]Entry{}
	if !f.Replace && base != nil {
		for k, v := range base.franchises {
			all[k] = slices.Clone(v)
		}
	}
	if len(f.Exclude) > 0 {
		drop := map[string]bool{}
		for _, x := range f.Exclude {
			drop[strings.Join(termkey.Tokens(x), " ")] = true
		}
		for k, v := range all {
			all[k] = slices.DeleteFunc(v, func(e Entry) bool { return drop[strings.Join(termkey.Tokens(e.Term), " ")] })
		}
	}
	for k, v := range f.Franchises {
		all[k] = append(all[k], v...)
	}
	b := build(all)
	for k := range f.Franchises {
		b.user[k] = true
	}
	return b, nil
}

// build indexes the franchises; duplicates within a franchise collapse.
func build(fr map[string][]Entry) *Blocklist {
	b := &Blocklist{franchises: map[string][]Entry{}, index: map[string][]*ref{}, slugs: map[string]bool{}, user: map[string]bool{}}
	words := map[string][]string{} // Tokens of the list words, which recur
	type keyed struct {
		e  Entry
		id string // the entry as JSON: its identity and its part of the hash
	}
	ids := map[string][]string{}
	for name, entries := range fr {
		seen := map[string]bool{}
		var kept []keyed
		for _, e := range entries {
			id, _ := json.Marshal(e)
			if !seen[string(id)] {
				seen[string(id)] = true
				kept = append(kept, keyed{e, string(id)})
			}
		}
		if len(kept) == 0 {
			continue
		}
		sort.Slice(kept, func(i, j int) bool {
			if kept[i].e.Term != kept[j].e.Term {
				return kept[i].e.Term < kept[j].e.Term
			}
			return kept[i].id < kept[j].id
		})
		b.slugs[flagSlug(name)] = true
		for _, k := range kept {
			b.franchises[name] = append(b.franchises[name], k.e)
			ids[name] = append(ids[name], k.id)
			r := newRef(name, k.e, words)
			key := strings.Join(r.words, "")
			b.index[key] = append(b.index[key], r)
			// A term may split a name further than the list does
			// ("Under-dark"), so allow a few extra tokens.
			b.maxTokens = max(b.maxTokens, len(r.words)+2)
			b.maxKeyLen = max(b.maxKeyLen, len(key))
		}
	}
	b.hash = hashOf(ids)
	return b
}

func newRef(franchise string, e Entry, memo map[string][]string) *ref {
	r := &ref{franchise: franchise, entry: e, kind: e.kind()}
	off := 0
	for i, t := range termkey.Words(e.Term) {
		if i > 0 {
			r.bounds = append(r.bounds, off)
		}
		off += len(t.Word)
		r.words = append(r.words, t.Word)
		r.lits = append(r.lits, t.Lit)
		r.caps = append(r.caps, t.Upper)
	}
	// A list's word that is the name itself says nothing about the
	// name's context ("Absalom" among Golarion's context words).
	words := func(list []string) ([][]string, []string) {
		var out [][]string
		var kept []string
		for _, s := range list {
			w, ok := memo[s]
			if !ok {
				w = termkey.Tokens(s)
				memo[s] = w
			}
			if len(w) > 0 && !slices.Equal(w, r.words) {
				out = append(out, w)
				kept = append(kept, s)
			}
		}
		return out, kept
	}
	r.except, _ = words(e.Except)
	r.context, r.contextNames = words(e.Context)
	r.open, _ = words(e.OpenContext)
	return r
}

// hashOf hashes the franchises' names and their entries as JSON, in order.
func hashOf(ids map[string][]string) string {
	names := make([]string, 0, len(ids))
	for n := range ids {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%q\n", n)
		for _, id := range ids[n] {
			fmt.Fprintf(h, "\t%s\n", id)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Franchises returns a copy of the list: franchise -> entries (sorted).
func (b *Blocklist) Franchises() map[string][]Entry {
	out := make(map[string][]Entry, len(b.franchises))
	for k, v := range b.franchises {
		out[k] = slices.Clone(v)
	}
	return out
}

// Len returns the number of names in the list.
func (b *Blocklist) Len() int {
	n := 0
	for _, v := range b.franchises {
		n += len(v)
	}
	return n
}

// Hash identifies the blocklist's content, for the pipeline fingerprint.
func (b *Blocklist) Hash() string {
	if b == nil || b.franchises == nil {
		return Default().Hash()
	}
	return b.hash
}
