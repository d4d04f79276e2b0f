// Package batch runs the whole corpora pipeline over a folder of documents:
// discovery, then parse, extract, classify, IP check and vocab write per
// document in a worker pool, then consolidation into the master vocabulary.
//
// A run is resumable after any interruption. The manifest
// (OUT/.corpora-manifest.json) records, after each finished document, its
// content hash and the pipeline fingerprint it was made with; a later run skips
// every document whose hash and fingerprint still match and whose vocab file
// still exists. Every file is written through internal/atomicfile, so neither
// a cancelled context nor kill -9 leaves a half-written file behind.
//
// The package prints nothing: the caller watches a run through the
// OnDocumentComplete and OnEvent callbacks and the returned Summary.
package batch
