package ipreview

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestAudit(t *testing.T) {
	b := Default()
	for _, f := range strings.Split(os.Getenv("AUDIT"), ",") {
		data, _ := os.ReadFile(f)
		for _, w := range strings.Split(string(data), "\n") {
			if w == "" {
				continue
			}
			for _, m := range b.Match(w) {
				fmt.Printf("%s\t%s\t%s\t%s\n", w, m.Franchise, m.Term, m.Why)
			}
		}
	}
}
