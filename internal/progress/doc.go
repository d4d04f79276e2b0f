// Package progress draws a live progress display on a terminal: a bar with
// items done out of the total and an ETA, and below it one line per active
// item with its current stage. Lines that must stay (a finished item, an
// error) are printed above the live area, which is redrawn in place with ANSI
// cursor movement. It knows nothing of corpora's pipeline: items and stages
// are strings.
package progress
