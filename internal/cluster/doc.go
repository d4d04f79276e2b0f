// Package cluster spreads one batch over many machines on NATS JetStream.
//
// The coordinator (corpora batch --nats) plans the run as a local batch does,
// puts each document's bytes once into an object store keyed by content hash,
// publishes one job per document on a work-queue stream, and turns the
// results workers leave in a second object store into the same vocab files,
// manifest and master a local run writes (it is a batch.Remote: flagging,
// writing and recording stay in package batch). Workers (corpora worker
// --nats) pull jobs, parse, extract and classify with their own credentials,
// keep the job alive with progress acknowledgements, and put the result.
//
// A job's id is the hash of the document's content and the pipeline
// fingerprint, so a result is valid for any output folder and a restarted
// coordinator finds what was finished while it was away. docs/cluster.md
// describes the subjects, streams and buckets.
package cluster
