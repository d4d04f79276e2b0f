package serve

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// writeVocabJSON writes the entries as a vocabulary file, the master's
// metadata with the counts of the selection, so other corpora commands
// and 1.0 readers take it as they take a master.
func writeVocabJSON(w io.Writer, master *vocab.File, es []vocab.Entry) error {
	f := &vocab.File{Entries: es}
	if master != nil {
		f.Metadata = master.Metadata
	} else {
		f.Metadata.SchemaVersion = vocab.SchemaVersion
	}
	f.Metadata.TermCount, f.Metadata.ClassifiedCount, f.Metadata.FlaggedCount = len(es), 0, 0
	for _, e := range es {
		if float64(e.Confidence) > vocab.ClassifiedAbove {
			f.Metadata.ClassifiedCount++
		}
		if e.IPFlag != nil {
			f.Metadata.FlaggedCount++
		}
	}
	data, err := vocab.Marshal(f)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// writeJSONLines writes one entry per line.
func writeJSONLines(w io.Writer, es []vocab.Entry) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range es {
		if err := enc.Encode(&es[i]); err != nil {
			return err
		}
	}
	return nil
}

// csvHeader is the CSV download's first row.
func csvHeader() []string {
	h := []string{"id", "text", "canonical", "category", "intent", "mood", "energy", "confidence", "count", "ip_flag", "sources", "variants", "tags", "pages", "classifier", "context"}
	return append(h, classify.AxisNames[:]...)
}

// writeCSV writes the entries as CSV. Every text cell is made safe for
// spreadsheets: one starting with = + - @, a tab or a carriage return
// is prefixed with ' so that it is never read as a formula.
func writeCSV(w io.Writer, es []vocab.Entry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return err
	}
	rec := make([]string, 0, 32)
	for i := range es {
		e := &es[i]
		flag := ""
		if e.IPFlag != nil {
			flag = *e.IPFlag
		}
		pages := make([]string, len(e.Pages))
		for j, p := range e.Pages {
			pages[j] = strconv.Itoa(p)
		}
		rec = append(rec[:0],
			cell(e.ID), cell(e.Text), cell(e.Canonical), cell(string(e.Category)), cell(string(e.Intent)),
			cell(string(e.Mood)), cell(e.Energy), strconv.FormatFloat(float64(e.Confidence), 'g', -1, 64),
			strconv.Itoa(e.Count), cell(flag), cell(strings.Join(entrySources(e), "; ")),
			cell(strings.Join(e.Variants, "; ")), cell(strings.Join(e.Tags, "; ")), strings.Join(pages, " "),
			cell(e.Classifier), cell(e.Context))
		for _, v := range e.Axes {
			rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell neutralises a spreadsheet formula (CSV injection).
func cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
