package document

import "strings"

// CellSeparator joins the cells of a table row on its one line.
const CellSeparator = " | "

// TableRow joins a row's cells with CellSeparator, dropping trailing empty
// cells; a row with no text at all gives "". Every parser writes table rows
// this way, so extraction sees the same row shape from every format.
func TableRow(cells []string) string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	if len(cells) == 0 {
		return ""
	}
	return strings.Join(cells, CellSeparator)
}
