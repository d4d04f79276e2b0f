package classify

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/extract"
)

// BenchmarkCacheLookup1000 is the per-document cost of asking the cache
// about 1,000 terms (one read transaction, file opened and closed).
func BenchmarkCacheLookup1000(b *testing.B) {
	c, err := OpenCache(filepath.Join(b.TempDir(), CacheFileName), time.Second)
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]CacheKey, 1000)
	terms := make([]Term, 1000)
	for i := range keys {
		keys[i] = CacheKey{Backend: "claude", Model: "m", PromptVersion: "p", Lemma: fmt.Sprintf("term %d", i), POS: extract.Noun}
		terms[i] = testTerm(keys[i].Lemma)
	}
	if err := c.PutMany(keys, terms); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, found, err := c.GetMany(keys); err != nil || !found[999] {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutMany50 is the cost of storing one response's 50 terms
// (one write transaction with fsync).
func BenchmarkPutMany50(b *testing.B) {
	c, err := OpenCache(filepath.Join(b.TempDir(), CacheFileName), time.Second)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		keys := make([]CacheKey, 50)
		terms := make([]Term, 50)
		for i := range keys {
			n++
			keys[i] = CacheKey{Backend: "claude", Model: "m", PromptVersion: "p", Lemma: fmt.Sprintf("term %d", n), POS: extract.Noun}
			terms[i] = testTerm(keys[i].Lemma)
		}
		if err := c.PutMany(keys, terms); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeAnswer50(b *testing.B) {
	var items []json.RawMessage
	for i := range 50 {
		items = append(items, json.RawMessage(fmt.Sprintf(`{"key":"t%d","cat":"spell","intent":"offensive","mood":"arcane","energy":"fire","conf":0.9,"tags":["evocation"],"axes":{"fire":1,"force":0.5}}`, i)))
	}
	data, _ := json.Marshal(map[string]any{"results": items})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		rs, _ := ParseResults(data)
		for _, r := range rs {
			if _, _, _, err := DecodeItem(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}
