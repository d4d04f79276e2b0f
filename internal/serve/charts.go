package serve

import (
	"fmt"
	"math"
	"net/url"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
)

// The charts are drawn on the server as inline SVG by the templates: no
// chart library, no script, and every label goes through html/template's
// escaping like any other text. This file computes their geometry.

// barChart is a horizontal bar chart of counts.
type barChart struct {
	Title         string
	Width, Height float64
	LabelW        float64
	Bars          []barGeom
	More          int // values left out
}

type barGeom struct {
	Label string
	Full  string // the whole label, for the tooltip
	Count int
	Y, W  float64
	Href  string
}

const (
	barRow    = 22.0
	barArea   = 320.0
	barLabelW = 180.0
	maxBars   = 30
)

// newBarChart draws vs (most frequent first); link gives each bar's href.
func newBarChart(title string, vs []valueCount, link func(string) string) barChart {
	c := barChart{Title: title, LabelW: barLabelW}
	if len(vs) > maxBars {
		c.More = len(vs) - maxBars
		vs = vs[:maxBars]
	}
	top := 1
	for _, v := range vs {
		top = max(top, v.Count)
	}
	for i, v := range vs {
		label := v.Value
		if label == "" {
			label = "(none)"
		}
		c.Bars = append(c.Bars, barGeom{
			Label: shorten(label, 26),
			Full:  label,
			Count: v.Count,
			Y:     float64(i) * barRow,
			W:     math.Max(1, barArea*float64(v.Count)/float64(top)),
			Href:  link(v.Value),
		})
	}
	c.Width = barLabelW + barArea + 70
	c.Height = math.Max(barRow, float64(len(vs))*barRow)
	return c
}

// shorten keeps a label within n characters by cutting out its middle, so
// that both a book's name and its extension stay readable ("08_spellca…
// 1col-indent.pdf"); the chart's tooltip has the whole label.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// histogram is one axis's distribution of non-zero scores.
type histogram struct {
	Axis    string
	NonZero int
	Mean    string
	Bins    []binGeom
	Width   float64
	Height  float64
}

type binGeom struct {
	X, Y, W, H float64
	Count      int
	Range      string
	Href       string
}

const (
	histH    = 70.0
	histBinW = 17.0
)

func newHistogram(st AxisStats) histogram {
	h := histogram{Axis: st.Axis, NonZero: st.NonZero, Mean: fmt.Sprintf("%.2f", st.Mean), Width: histBinW * HistogramBins, Height: histH}
	top := 1
	for _, n := range st.Histogram {
		top = max(top, n)
	}
	for i, n := range st.Histogram {
		lo, hi := float64(i)/HistogramBins, float64(i+1)/HistogramBins
		height := 0.0
		if n > 0 {
			height = math.Max(1, histH*float64(n)/float64(top))
		}
		rng := fmt.Sprintf("%.1f-%.1f", lo, hi)
		h.Bins = append(h.Bins, binGeom{
			X: float64(i) * histBinW, Y: histH - height, W: histBinW - 2, H: height,
			Count: n, Range: rng,
			Href: "/terms?" + url.Values{"axis." + st.Axis: {rng}}.Encode(),
		})
	}
	return h
}

// radar is a term's 16 axes as a polygon on 16 spokes.
type radar struct {
	Size   float64
	Rings  []string // polygon points of the 0.25 ... 1 rings
	Spokes []spoke
	Points string // the term's polygon
}

type spoke struct {
	X2, Y2 float64 // spoke end
	LX, LY float64 // label position
	Anchor string
	Label  string
	Value  string
	DX, DY float64 // the term's point on the spoke
}

const (
	radarSize   = 360.0
	radarRadius = 120.0
)

func newRadar(a classify.Axes) radar {
	c := radarSize / 2
	r := radar{Size: radarSize}
	at := func(i int, frac float64) (float64, float64) {
		ang := -math.Pi/2 + 2*math.Pi*float64(i)/classify.AxisCount
		return round1(c + frac*radarRadius*math.Cos(ang)), round1(c + frac*radarRadius*math.Sin(ang))
	}
	for _, ring := range []float64{0.25, 0.5, 0.75, 1} {
		var pts []string
		for i := 0; i < classify.AxisCount; i++ {
			x, y := at(i, ring)
			pts = append(pts, fmt.Sprintf("%g,%g", x, y))
		}
		r.Rings = append(r.Rings, strings.Join(pts, " "))
	}
	var pts []string
	for i := 0; i < classify.AxisCount; i++ {
		v := math.Max(0, math.Min(1, a[i]))
		x2, y2 := at(i, 1)
		lx, ly := at(i, 1.18)
		dx, dy := at(i, v)
		anchor := "middle"
		switch {
		case lx < c-5:
			anchor = "end"
		case lx > c+5:
			anchor = "start"
		}
		r.Spokes = append(r.Spokes, spoke{X2: x2, Y2: y2, LX: lx, LY: ly + 4, Anchor: anchor, Label: classify.AxisNames[i], Value: fmt.Sprintf("%.2f", a[i]), DX: dx, DY: dy})
		pts = append(pts, fmt.Sprintf("%g,%g", dx, dy))
	}
	r.Points = strings.Join(pts, " ")
	return r
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
