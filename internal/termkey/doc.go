// Package termkey says when two terms are the same term: Fold (the
// comparison form of a text), Singular (one word made singular), Tokens
// and Words (the comparison words of a text) and Key (a term's identity
// across documents).
//
// Vocab merges entries on Key, the review queue finds a term's decision by
// it, the CLI searches with it, and the IP blocklist matches on Words. It
// lives in its own package, below all of them, so that none of them has to
// import another only to know what "the same term" means.
package termkey
