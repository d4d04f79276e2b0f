package ipreview

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// NamesDir is the folder, beside this file, of the name lists the default
// blocklist is generated from (go generate ./internal/ipreview).
const NamesDir = "names"

// NameList is one names/*.txt file: the names of one franchise, with where
// they come from.
//
// A list starts with header lines, "# key: value": franchise (the
// blocklist's key), owner, source (where the names come from; required),
// and context (words that confirm the franchise's use, given to every
// shared name of the list). Other lines starting with "#" are comments.
// Every other line is one name, optionally followed by options separated
// by " | ":
//
//	Golarion
//	Absalom | shared | open: David, Bible, biblical
//	Warp | shared | whole | needs context | context: Chaos, daemon
//	Shai'tan | shared | literal
//	Sith | shared | except: baobhan sith, cat sith
//	Bigby's Hand | alt: Arcane Hand
//
// A name with no kind is coined. Options: coined, shared, whole (the whole
// term only), proper (written with capitals), literal (this spelling
// only), needs context, context: words, open: words (the open sense's
// context), except: longer open names, alt: open alternative, note: text.
type NameList struct {
	File      string
	Franchise string
	Owner     string
	Source    string
	Entries   []Entry
}

// ParseNameList reads one name list.
func ParseNameList(file string, data []byte) (*NameList, error) {
	l := &NameList{File: file}
	var defContext []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			k, v, ok := strings.Cut(strings.TrimSpace(line[1:]), ":")
			if !ok {
				continue
			}
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "franchise":
				l.Franchise = v
			case "owner":
				l.Owner = v
			case "source":
				l.Source = v
			case "context":
				defContext = splitList(v)
			}
			continue
		}
		parts := strings.Split(line, "|")
		e := Entry{Term: strings.Join(strings.Fields(parts[0]), " "), Kind: Coined, Owner: l.Owner}
		for _, p := range parts[1:] {
			p = strings.TrimSpace(p)
			k, v, _ := strings.Cut(p, ":")
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "coined":
				e.Kind = Coined
			case "shared":
				e.Kind = Shared
			case "whole":
				e.WholeName = true
			case "proper":
				e.Proper = true
			case "literal":
				e.Literal = true
			case "needs context":
				e.NeedsContext = true
			case "context":
				e.Context = append(e.Context, splitList(v)...)
			case "open":
				e.OpenContext = append(e.OpenContext, splitList(v)...)
			case "except":
				e.Except = append(e.Except, splitList(v)...)
			case "alt":
				e.Alternative = v
			case "note":
				e.Note = v
			default:
				return nil, fmt.Errorf("%s:%d: unknown option %q", file, n, p)
			}
		}
		if e.Kind == Shared || e.NeedsContext {
			for _, c := range defContext {
				if !slices.Contains(e.Context, c) {
					e.Context = append(e.Context, c)
				}
			}
		}
		if err := checkEntry(e, nil); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, n, err)
		}
		l.Entries = append(l.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	switch {
	case l.Franchise == "":
		return nil, fmt.Errorf("%s: no \"# franchise:\" line", file)
	case l.Owner == "":
		return nil, fmt.Errorf("%s: no \"# owner:\" line", file)
	case l.Source == "":
		return nil, fmt.Errorf("%s: no \"# source:\" line saying where the names come from", file)
	}
	return l, nil
}

func splitList(s string) []string {
	var out []string
	for _, w := range strings.Split(s, ",") {
		if w = strings.Join(strings.Fields(w), " "); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// ReadNameLists reads every *.txt list in dir of fsys, in file name order.
func ReadNameLists(fsys fs.FS, dir string) ([]*NameList, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var out []*NameList
	seen := map[string]string{}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		l, err := ParseNameList(path.Base(f), data)
		if err != nil {
			return nil, err
		}
		if other, dup := seen[l.Franchise]; dup {
			return nil, fmt.Errorf("%s: franchise %q is also %s's", l.File, l.Franchise, other)
		}
		seen[l.Franchise] = l.File
		out = append(out, l)
	}
	return out, nil
}

// CompileNameLists writes the default blocklist file from the name lists:
// the 1.0 shape (franchise -> entries) with every entry an object, one a
// line, in the lists' order.
func CompileNameLists(lists []*NameList) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n  \"schema_version\": \"2.0\"")
	for _, l := range lists {
		k, _ := json.Marshal(l.Franchise)
		fmt.Fprintf(&b, ",\n  %s: [", k)
		for i, e := range l.Entries {
			if i > 0 {
				b.WriteByte(',')
			}
			var v bytes.Buffer
			enc := json.NewEncoder(&v)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(e); err != nil {
				return nil, err
			}
			b.WriteString("\n    ")
			b.Write(bytes.TrimSpace(v.Bytes()))
		}
		b.WriteString("\n  ]")
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}
