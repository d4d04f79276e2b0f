package content

import (
	"fmt"
	"math"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// Forms without text (page backgrounds, borders, logos, figures) are often
// drawn on every page, and decoding and reading them is most of the work of
// such pages. The first time such a form is read, what it does that the page
// can see is recorded in the document's FontCache: its operator count, its
// nesting depth and the images it draws (relative to the form's own space).
// Later draws replay that record instead of reading the form again, which
// gives the same Page as reading it.
//
// A form is recorded when it shows no text (no Tj, TJ, ', "), draws no
// inline image (their data would need reading), draws XObjects only through
// resource dictionaries of its own or of the forms it draws, skips no
// recursive draw, and is read without error.

// maxRecordedImages bounds the images one form record holds.
const maxRecordedImages = 256

// formFacts is the record of a form without text.
type formFacts struct {
	m      matrix   // the form's /Matrix
	ops    int      // operator budget its reading costs
	depth  int      // form nesting below it
	images []matrix // each image's CTM relative to the form's space
}

// recorder records one form being read.
type recorder struct {
	ref   cos.Ref
	level int    // index of the form in formStack
	inv   matrix // inverse of the CTM at the form's start
	facts formFacts
	ops0  int
	ok    bool
}

// inks reports the operators that make a form unrecordable.
func inks(kw []byte) bool {
	switch string(kw) {
	case "Tj", "TJ", "'", "\"", "BI":
		return true
	}
	return false
}

func (in *interp) failRecorders() {
	for _, r := range in.recorders {
		r.ok = false
	}
}

// recordDo notes a Do: a recorder fails unless the resources it goes
// through belong to its form or a form inside it.
func (in *interp) recordDo() {
	owner := len(in.formOwnRes) - 1
	for owner >= 0 && !in.formOwnRes[owner] {
		owner--
	}
	for _, r := range in.recorders {
		if owner < r.level {
			r.ok = false
		}
	}
}

// startRecording starts recording the form just pushed, when it has a
// reference; nil otherwise. charge is what the form's bytes cost the budget.
func (in *interp) startRecording(ref cos.Ref, fm *form, charge int) *recorder {
	for _, o := range in.recorders {
		o.facts.depth = max(o.facts.depth, len(in.formStack)-1-o.level)
	}
	if ref == (cos.Ref{}) {
		return nil
	}
	inv, ok := invert(in.gs.ctm)
	if !ok {
		return nil
	}
	r := &recorder{ref: ref, level: len(in.formStack) - 1, inv: inv, ops0: in.ops - charge, ok: true}
	r.facts.m = fm.m
	in.recorders = append(in.recorders, r)
	return r
}

// stopRecording ends r (the innermost recorder) and stores its record.
func (in *interp) stopRecording(r *recorder, err error) {
	if r == nil {
		return
	}
	in.recorders = in.recorders[:len(in.recorders)-1]
	if !r.ok || err != nil {
		return
	}
	r.facts.ops = in.ops - r.ops0
	in.fonts.storeFormFacts(r.ref, &r.facts)
}

// image records an image drawn with the CTM c.
func (r *recorder) image(c matrix) {
	if len(r.facts.images) >= maxRecordedImages {
		r.ok = false
		return
	}
	r.facts.images = append(r.facts.images, c.mul(r.inv))
}

// replayForm draws a recorded form: its budget, its depth and its images.
func (in *interp) replayForm(f *formFacts) error {
	if len(in.formStack)+1+f.depth > in.lim.MaxFormDepth {
		return fmt.Errorf("%w: forms nested deeper than %d", ErrLimit, in.lim.MaxFormDepth)
	}
	in.ops += f.ops
	if in.ops > in.lim.MaxOps {
		return fmt.Errorf("%w: more than %d operators", ErrLimit, in.lim.MaxOps)
	}
	ctm := f.m.mul(in.gs.ctm)
	for _, m := range f.images {
		c := m.mul(ctm)
		for _, r := range in.recorders {
			r.image(c)
		}
		in.imageAt(c)
	}
	for _, r := range in.recorders {
		r.facts.depth = max(r.facts.depth, len(in.formStack)+1+f.depth-1-r.level)
	}
	return nil
}

// invert returns the inverse of m.
func invert(m matrix) (matrix, bool) {
	det := m[0]*m[3] - m[1]*m[2]
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return matrix{}, false
	}
	a, b, c, d := m[3]/det, -m[1]/det, -m[2]/det, m[0]/det
	return matrix{a, b, c, d, -(m[4]*a + m[5]*c), -(m[4]*b + m[5]*d)}, true
}

// formFacts returns the record of the form ref, or nil.
func (c *FontCache) formFacts(ref cos.Ref) *formFacts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.forms[ref]
}

// maxFormRecords bounds the form records one document keeps.
const maxFormRecords = 4096

func (c *FontCache) storeFormFacts(ref cos.Ref, f *formFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forms == nil {
		c.forms = make(map[cos.Ref]*formFacts)
	}
	if len(c.forms) < maxFormRecords {
		c.forms[ref] = f
	}
}
