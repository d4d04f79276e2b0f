// Command corpora-eval measures corpora's offline vocabulary on a folder of
// books with gold lists (see package internal/eval for the layout):
// recall, category accuracy with its confusion matrix, and the share of
// generic terms.
//
//	go run ./cmd/corpora-eval -books $CORPORA_TEST_CORPUS/systems/dungeon-world
//	go run ./cmd/corpora-eval -books $CORPORA_TEST_CORPUS/srd/markdown -gold $CORPORA_TEST_CORPUS/srd/gold
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/corpora-tools/corpora/internal/classify/offline"
	"github.com/corpora-tools/corpora/internal/eval"
	"github.com/corpora-tools/corpora/internal/parse"
)

func main() {
	var cfg eval.Config
	flag.StringVar(&cfg.Books, "books", "", "folder of books (required)")
	flag.StringVar(&cfg.Gold, "gold", "", "folder of gold lists (default BOOKS/gold)")
	flag.StringVar(&cfg.Judged, "judged", "", "folder of hand judgements <stem>.tsv (term<TAB>good|plain|junk)")
	flag.BoolVar(&cfg.KeepGeneric, "keep-generic", false, "measure without the generic-term filter")
	verbose := flag.Bool("v", false, "list the gold names given a wrong category")
	flag.Parse()
	if cfg.Books == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(64)
	}
	if err := run(cfg, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "corpora-eval:", err)
		os.Exit(1)
	}
}

func run(cfg eval.Config, verbose bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p, err := parse.New(parse.Config{})
	if err != nil {
		return err
	}
	defer p.Close()
	cfg.Parser, cfg.Classifier = p, offline.New()
	rep, err := eval.Run(ctx, cfg)
	if err != nil {
		return err
	}
	rep.Write(os.Stdout, verbose)
	return nil
}
