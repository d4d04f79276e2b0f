package epub

import (
	"bytes"
	"os"
)

// A tiny reader of the txtar format (golang.org/x/tools/txtar): a comment,
// then files, each starting with a "-- name --" line. The test books live
// in that form so their XML is reviewable in diffs.
type txtarFile struct {
	Name string
	Data []byte
}

type txtarArchive struct{ Files []txtarFile }

func txtarParse(data []byte) *txtarArchive {
	ar := &txtarArchive{}
	var cur *txtarFile
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		trim := bytes.TrimRight(line, "\r\n")
		if bytes.HasPrefix(trim, []byte("-- ")) && bytes.HasSuffix(trim, []byte(" --")) && len(trim) > 6 {
			ar.Files = append(ar.Files, txtarFile{Name: string(trim[3 : len(trim)-3])})
			cur = &ar.Files[len(ar.Files)-1]
			continue
		}
		if cur != nil {
			cur.Data = append(cur.Data, line...)
		}
	}
	return ar
}

func txtarParseFile(name string) (*txtarArchive, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return txtarParse(data), nil
}
