// What the classifier did, for the terminal: claude-batch progress and the
// usage line.

package cli

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/claude"
)

// batchProgressPrinter prints claude-batch progress on stderr when the
// counts change, at most every few seconds.
func batchProgressPrinter(s *Streams) func(claude.BatchProgress) {
	var mu sync.Mutex
	var last string
	var lastAt time.Time
	return func(p claude.BatchProgress) {
		line := fmt.Sprintf("claude-batch: %s %s: %d/%d requests done (%d processing, %d errored, %d expired)",
			p.BatchID, p.Status, p.Succeeded+p.Errored+p.Expired+p.Canceled, p.Requests, p.Processing, p.Errored, p.Expired)
		if p.Resumed {
			line += ", resumed"
		}
		mu.Lock()
		defer mu.Unlock()
		if line == last || (time.Since(lastAt) < 5*time.Second && p.Status != "ended" && last != "") {
			return
		}
		last, lastAt = line, time.Now()
		fmt.Fprintln(s.Err, line)
	}
}

func sIfMany(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// usageSummary is the one-line account of a classification run.
func usageSummary(st *classifierSetup, terms int, u classify.Usage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "classified %d terms with %s/%s: %d cache hits", terms, st.Backend, st.Model, u.CacheHits)
	if u.Requests > 0 {
		fmt.Fprintf(&b, ", %d request%s (%.1f terms/request), tokens: %d in, %d cache write, %d cache read, %d out",
			u.Requests, sIfMany(u.Requests), float64(u.TermsSent)/float64(u.Requests), u.InputTokens, u.CacheWriteTokens, u.CacheReadTokens, u.OutputTokens)
		if u.TermsSent > 0 {
			tot := u.InputTokens + u.CacheWriteTokens + u.CacheReadTokens + u.OutputTokens
			fmt.Fprintf(&b, " (%.0f/term)", float64(tot)/float64(u.TermsSent))
		}
	}
	fmt.Fprintf(&b, ", $%.4f", u.CostUSD)
	if u.Fallbacks > 0 || u.DroppedFields > 0 {
		fmt.Fprintf(&b, "; %d term%s answered by the offline fallback, %d unreadable field%s dropped",
			u.Fallbacks, sIfMany(u.Fallbacks), u.DroppedFields, sIfMany(u.DroppedFields))
	}
	return b.String()
}
