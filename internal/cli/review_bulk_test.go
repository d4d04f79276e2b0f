package cli

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/ipreview"
)

func TestParseDecisionRows(t *testing.T) {
	tests := []struct {
		name, in string
		want     []decisionRow
		wantErr  bool
	}{
		{"csv from review list", "term,decision,new_text,note,franchise\nbeholder,remove,,,WotC\nBigby's Hand,rename,Arcane Hand,SRD,WotC\nSigil,,,,WotC\n",
			[]decisionRow{{"beholder", "remove", "", ""}, {"Bigby's Hand", "rename", "Arcane Hand", "SRD"}}, false},
		{"csv columns in any order", "decision,term\nKEEP,Tasha\npending,Melf\n", []decisionRow{{"Tasha", "keep", "", ""}}, false},
		{"csv without the columns", "name,action\nx,keep\n", nil, true},
		{"json array", `[{"term":"beholder","decision":"remove"},{"canonical":"Sigil","action":"keep"},{"term":"Melf","decision":null}]`,
			[]decisionRow{{"beholder", "remove", "", ""}, {"Sigil", "keep", "", ""}}, false},
		{"review list --json", `{"schema_version":"1","items":[{"term":"beholder","decision":"pending"},{"term":"Bigby","decision":"remove","new_text":""}]}`,
			[]decisionRow{{"Bigby", "remove", "", ""}}, false},
		{"decisions file", `{"decisions":{"Bigby's Hand":{"decision":"rename","new_text":"Arcane Hand"}}}`,
			[]decisionRow{{"Bigby's Hand", "rename", "Arcane Hand", ""}}, false},
		{"empty", "  ", nil, true},
		{"bad json", "[{", nil, true},
	}
	for _, tc := range tests {
		got, err := parseDecisionRows([]byte(tc.in))
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: err %v", tc.name, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: row %d %+v, want %+v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}

func FuzzParseDecisionRows(f *testing.F) {
	for _, s := range []string{"term,decision\nx,keep\n", `[{"term":"x","decision":"remove"}]`, `{"items":[]}`, `{"x":"keep"}`, "\ufeffterm,decision\n\"a,b\",rename\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := parseDecisionRows(data)
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.Term == "" || r.Decision == "" || r.Decision == "pending" {
				t.Fatalf("row kept without a term or a decision: %+v", r)
			}
		}
	})
}

func TestSelectItemsByFranchiseAndReason(t *testing.T) {
	items := []ipreview.QueueItem{
		{Canonical: "Bigby", IPFlag: "blocklist:greyhawk", Matches: []ipreview.Match{{Franchise: "Greyhawk (Wizards of the Coast)", Owner: "Wizards of the Coast", Kind: ipreview.Coined}}},
		{Canonical: "Nazgûl", IPFlag: "blocklist:middle-earth", Matches: []ipreview.Match{{Franchise: "Middle-earth (Tolkien Estate)", Kind: ipreview.Coined}}},
		{Canonical: "Sigil", IPFlag: "blocklist:planescape", Decision: &ipreview.Decision{Action: ipreview.Keep}, Matches: []ipreview.Match{{Franchise: "Planescape (Wizards of the Coast)", Kind: ipreview.Shared}}},
	}
	tests := []struct {
		sel  selector
		want []string
	}{
		{selector{Franchise: "greyhawk"}, []string{"Bigby"}},
		{selector{Franchise: "dnd"}, []string{"Bigby", "Sigil"}},
		{selector{Franchise: "D&D", PendingOnly: true}, []string{"Bigby"}},
		{selector{Franchise: "lotr"}, []string{"Nazgûl"}},
		{selector{Franchise: "wizard"}, nil}, // whole words only
		{selector{Reason: "blocklist:middle-earth"}, []string{"Nazgûl"}},
		{selector{Reason: "middle-earth"}, []string{"Nazgûl"}},
		{selector{Reason: "shared"}, []string{"Sigil"}},
	}
	for _, tc := range tests {
		got, _ := selectItems(items, tc.sel)
		var names []string
		for _, it := range got {
			names = append(names, it.Canonical)
		}
		if len(names) != len(tc.want) || (len(names) > 0 && names[0] != tc.want[0]) {
			t.Errorf("%+v: %v, want %v", tc.sel, names, tc.want)
		}
	}
}

func TestRenderTableFitsTheWidth(t *testing.T) {
	rows := []listRow{
		{Term: "Tasha's Hideous Laughter", Decision: "pending", Franchise: "Greyhawk (Wizards of the Coast); Wizards of the Coast Product Identity", Alternative: "Hideous Laughter", Sources: []string{"tidewrought-almanac.epub"}, Page: 3, Context: "A long sentence that names Tasha's Hideous Laughter and goes on and on past any terminal."},
	}
	for _, w := range []int{40, 60, 80, 120} {
		out := renderTable(rows, w, true)
		for _, l := range splitLines(out) {
			if n := len([]rune(l)); n > w {
				t.Errorf("width %d: line of %d: %q", w, n, l)
			}
		}
	}
	if out := renderTable(rows, 0, false); len(splitLines(out)) != 2 {
		t.Errorf("no width: %q", out)
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
