package serve

import (
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// Summary is /api/summary and the overview page's figures.
type Summary struct {
	Dir        string       `json:"dir"`
	LoadedAt   string       `json:"loaded_at"`
	HasMaster  bool         `json:"has_master"`
	Terms      int          `json:"terms"`
	Classified int          `json:"classified"`
	Flagged    int          `json:"flagged"`
	Queue      int          `json:"queue"`   // items in flagged.json
	Pending    int          `json:"pending"` // of them, without a decision
	Decided    int          `json:"decided"`
	Books      []bookInfo   `json:"books"`
	Categories []valueCount `json:"categories"`
	Intents    []valueCount `json:"intents"`
	Moods      []valueCount `json:"moods"`
	Energies   []valueCount `json:"energies"`
	Axes       []AxisStats  `json:"axes"`
	Problems   []string     `json:"problems,omitempty"`
}

// HistogramBins is how many equal bins an axis's distribution has.
const HistogramBins = 10

// AxisStats describes one axis over the vocabulary.
type AxisStats struct {
	Axis    string  `json:"axis"`
	NonZero int     `json:"nonzero"` // terms with a score above 0
	Mean    float64 `json:"mean"`    // over the non-zero scores
	// Histogram counts the non-zero scores in HistogramBins equal bins
	// of (0, 1].
	Histogram [HistogramBins]int `json:"histogram"`
}

func (s *Server) summary(snap *snapshot) Summary {
	sum := Summary{Dir: s.opts.Dir, LoadedAt: vocab.Timestamp(snap.loadedAt), HasMaster: snap.master != nil, Books: snap.books, Problems: snap.problems}
	if sum.Books == nil {
		sum.Books = []bookInfo{}
	}
	ix := snap.index
	all := ix.search(Query{Page: 1, PerPage: 1}, true)
	sum.Terms = all.total
	sum.Categories = orEmpty(ix.facetCounts(all, facetCategory))
	sum.Intents = orEmpty(ix.facetCounts(all, facetIntent))
	sum.Moods = orEmpty(ix.facetCounts(all, facetMood))
	sum.Energies = orEmpty(ix.facetCounts(all, facetEnergy))
	stats := make([]AxisStats, classify.AxisCount)
	for a := range stats {
		stats[a].Axis = classify.AxisNames[a]
	}
	for i := range ix.entries {
		e := &ix.entries[i]
		if e.IPFlag != nil {
			sum.Flagged++
		}
		if float64(e.Confidence) > vocab.ClassifiedAbove {
			sum.Classified++
		}
		for a, v := range e.Axes {
			if v <= 0 {
				continue
			}
			st := &stats[a]
			st.NonZero++
			st.Mean += v
			st.Histogram[binOf(v)]++
		}
	}
	for a := range stats {
		if stats[a].NonZero > 0 {
			stats[a].Mean /= float64(stats[a].NonZero)
		}
	}
	sum.Axes = stats
	items, pending := snap.reviewItems()
	sum.Queue, sum.Pending, sum.Decided = len(items), pending, len(items)-pending
	return sum
}

// binOf is the histogram bin of a score in (0, 1].
func binOf(v float64) int {
	b := int(v * HistogramBins)
	if b >= HistogramBins {
		b = HistogramBins - 1
	}
	if b < 0 {
		b = 0
	}
	return b
}

func orEmpty(v []valueCount) []valueCount {
	if v == nil {
		return []valueCount{}
	}
	return v
}
