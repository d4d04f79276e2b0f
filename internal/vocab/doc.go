// Package vocab writes and reads vocabulary files (<book>.vocab.json and
// master.vocab.json) and consolidates per-document files into the master.
//
// Consolidation merges entries whose canonical forms share an
// termkey.Key, re-flags them with the blocklist, applies the human's
// review decisions, and regenerates the review queue. It is incremental:
// a small state file next to the master records each vocab file's hash
// and a cache keeps its entries, so only new or changed files are read.
package vocab
