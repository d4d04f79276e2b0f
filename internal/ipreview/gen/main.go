// Command gen writes default_blocklist.json from the name lists in
// names/: run it with go generate ./internal/ipreview.
package main

import (
	"fmt"
	"os"

	"github.com/corpora-tools/corpora/internal/ipreview"
)

func main() {
	lists, err := ipreview.ReadNameLists(os.DirFS("."), ipreview.NamesDir)
	if err == nil {
		var data []byte
		if data, err = ipreview.CompileNameLists(lists); err == nil {
			err = os.WriteFile("default_blocklist.json", data, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
