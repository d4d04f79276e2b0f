// Command corpora turns RPG sourcebooks into a classified fantasy vocabulary.
package main

import (
	"os"

	"github.com/corpora-tools/corpora/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.StdStreams()))
}
