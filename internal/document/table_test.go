package document

import "testing"

func TestTableRow(t *testing.T) {
	for _, tc := range []struct {
		cells []string
		want  string
	}{
		{[]string{"d6", "Encounter"}, "d6 | Encounter"},
		{[]string{"1", "Ashmaw Drake", "", ""}, "1 | Ashmaw Drake"},
		{[]string{"", "middle", ""}, " | middle"},
		{[]string{"", ""}, ""},
		{nil, ""},
	} {
		if got := TableRow(tc.cells); got != tc.want {
			t.Errorf("TableRow(%q) = %q, want %q", tc.cells, got, tc.want)
		}
	}
}
