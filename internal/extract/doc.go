// Package extract turns a DocumentOutput into candidate terms: it tokenises,
// splits sentences, tags parts of speech, lemmatises, builds 1-4 word
// candidates, drops junk, ranks by fantasy relevance and records count, pages,
// a context sentence and the first span.
package extract
