// Package eval measures the vocabulary corpora emits for a folder of books
// against gold lists: how many gold names are found (recall), how many of
// them get the gold category (with the confusion matrix), and how much of
// the output is generic (plain English and fragments the filter drops, and
// hand judgements when a folder of them is given).
//
// Gold lists live in a folder. A book's own list is <stem>.json, a JSON
// array of {"name", "category", "aliases"}, where the stem is the book's
// file name without extensions and without a ".plain" layout mark
// (dw_magic.plain.md and dw_magic.epub both use dw_magic.json). Without one,
// every .json list and every category list of the folder (spells.txt,
// monsters.txt, creatures.txt, magic_items.txt, items.txt: one name a line)
// apply, restricted to the names the book's text contains. Judgements are
// <stem>.tsv files of "term<TAB>good|plain|junk" lines.
package eval
