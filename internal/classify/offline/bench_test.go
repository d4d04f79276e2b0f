package offline

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

// benchTerms is a mix like an extracted book: common words with a sentence,
// phrases, and names with their stat block or header as block.
func benchTerms() []extract.Candidate {
	prose := "The party follows the river north until the old watchtower comes into view; a cold wind carries the smell of smoke and iron from the ruined village beyond."
	stat := strings.Repeat(grimwalker.Block+"\n", 3)
	var out []extract.Candidate
	words := []string{"fire", "wolves", "sword", "castle", "shadow", "healing", "chain", "portal", "destiny", "courage", "iron", "wizard", "river", "smoke", "village"}
	for _, w := range words {
		out = append(out, extract.Candidate{Text: w, Lemma: w, POS: extract.Noun, Context: prose, Block: prose + " " + prose})
	}
	for _, p := range []string{"ancient red dragon", "Wand of Fireballs", "Ring of Protection", "Mordenkainen's Sword", "cold wind"} {
		out = append(out, extract.Candidate{Text: p, Lemma: strings.ToLower(p), POS: extract.Phrase, Context: prose, Block: prose})
	}
	for _, c := range []extract.Candidate{glimmerfang, shardveil, cindersong, grimwalker, frostbrand, veilstep, varnhold} {
		c.Block += "\n" + stat
		out = append(out, c)
	}
	return out
}

// BenchmarkClassify measures terms per second on one core (run with -cpu 1).
func BenchmarkClassify(b *testing.B) {
	c := New()
	terms := benchTerms()
	req := classify.Request{Source: "bench.pdf", Terms: terms}
	if _, err := c.Classify(context.Background(), req); err != nil { // load the knowledge
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Classify(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(b.N * len(terms))
	b.ReportMetric(n/b.Elapsed().Seconds(), "terms/s")
	// On a shared machine wall time overstates the cost; CPU time (all
	// threads, GC included) is the fairer measure of one core's work.
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(n/cpu, "terms/cpu-s")
	}
}

// cpuSeconds is the process's user+system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// BenchmarkLoad measures parsing the embedded knowledge, paid once per process.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := loadKnowledge(); err != nil {
			b.Fatal(err)
		}
	}
}
