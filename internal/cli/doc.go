// Package cli is corpora's command line: one file per command with its flags,
// wiring and terminal output, and the mapping of errors to the exit codes of
// SPEC section 2. All logic lives in the stage packages; commands only wire.
package cli
