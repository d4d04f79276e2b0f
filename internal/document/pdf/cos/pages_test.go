package cos

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestPageTree(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	// Root: resources R1, MediaBox reversed, Rotate -90.
	w.obj(2, "<</Type /Pages /Kids [3 0 R 10 0 R 2 0 R 3 0 R] /Count 5 /Resources 20 0 R /MediaBox [612 792 0 0] /Rotate -90>>")
	// An intermediate node overriding the crop box and rotation.
	w.obj(3, "<</Type /Pages /Kids [4 0 R 5 0 R 2 0 R] /CropBox [-10 100 300 2000] /Rotate 450>>")
	w.obj(4, "<</Type /Page /Contents 30 0 R>>")
	w.obj(5, "<</Type /Page /Resources <</Font <</F2 31 0 R>>>> /MediaBox [0 0 200 200] /Rotate 45>>")
	w.obj(10, "<</Contents 30 0 R /Parent 2 0 R>>") // a leaf without /Type
	w.obj(20, "<</Font <</F1 31 0 R>>>>")
	w.obj(30, "<<>>")
	w.obj(31, "<</Type /Font>>")
	f := mustOpen(t, w.classic("/Root 1 0 R"))
	pages, err := f.Pages()
	if err != nil {
		t.Fatal(err)
	}
	var refs []int32
	for _, p := range pages {
		refs = append(refs, p.Ref.Num)
	}
	// 3 is listed twice and 2 is its own kid: each is visited once.
	if !reflect.DeepEqual(refs, []int32{4, 5, 10}) {
		t.Fatalf("pages %v", refs)
	}
	p4, p5, p10 := pages[0], pages[1], pages[2]
	if p4.MediaBox != [4]float64{0, 0, 612, 792} {
		t.Errorf("p4 MediaBox %v", p4.MediaBox)
	}
	if p4.CropBox != [4]float64{0, 100, 300, 792} {
		t.Errorf("p4 CropBox %v", p4.CropBox)
	}
	if p4.Rotate != 90 || p5.Rotate != 0 || p10.Rotate != 270 {
		t.Errorf("rotate %d %d %d", p4.Rotate, p5.Rotate, p10.Rotate)
	}
	if p4.Resources["Font"] == nil || p10.Resources["Font"] == nil {
		t.Error("resources not inherited")
	}
	if _, ok := f.Dict(p5.Resources["Font"])["F2"]; !ok {
		t.Error("own resources not used")
	}
	if p5.MediaBox != [4]float64{0, 0, 200, 200} || p5.CropBox != [4]float64{0, 100, 200, 200} {
		t.Errorf("p5 boxes %v %v", p5.MediaBox, p5.CropBox)
	}
	if p10.CropBox != p10.MediaBox {
		t.Errorf("p10 CropBox %v", p10.CropBox)
	}
}

func TestPageTreeDefaultsAndLimits(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	w.obj(2, "<</Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /MediaBox [0 0 300 400] /Rotate 90>>")
	// Present but malformed attributes replace the inherited ones.
	w.obj(3, "<</Type /Page /MediaBox [0 0 0 0] /Rotate (x)>>")
	w.obj(4, "<</Type /Page /MediaBox [0 0 a 1]>>")
	w.obj(5, "<</Type /Page /MediaBox 6 0 R /CropBox [1000 1000 2000 2000]>>")
	w.obj(6, "[0 7 0 R 100 100]")
	w.obj(7, "0")
	data := w.classic("/Root 1 0 R")
	f := mustOpen(t, data)
	pages, err := f.Pages()
	if err != nil || len(pages) != 3 {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
	if pages[0].MediaBox != letter || pages[1].MediaBox != letter {
		t.Errorf("defaults %v %v", pages[0].MediaBox, pages[1].MediaBox)
	}
	if pages[0].Rotate != 0 || pages[1].Rotate != 90 {
		t.Errorf("rotate %d %d", pages[0].Rotate, pages[1].Rotate)
	}
	if pages[2].MediaBox != [4]float64{0, 0, 100, 100} || pages[2].CropBox != pages[2].MediaBox {
		t.Errorf("indirect box %v %v", pages[2].MediaBox, pages[2].CropBox)
	}
	f, _ = Open(data, Limits{MaxPages: 2})
	if _, err := f.Pages(); !errors.Is(err, ErrLimit) {
		t.Errorf("MaxPages: %v", err)
	}
}

func TestDeepPageTree(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	n := 200
	for i := range n {
		w.obj(2+i, fmt.Sprintf("<</Type /Pages /Kids [%d 0 R]>>", 3+i))
	}
	w.obj(2+n, "<</Type /Page>>")
	f := mustOpen(t, w.classic("/Root 1 0 R"))
	if _, err := f.Pages(); err == nil {
		t.Error("a page 200 levels deep was found: the depth is not bounded")
	}
}

func outlinePDF() []byte {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R /Outlines 10 0 R /Names <</Dests 30 0 R>> /Dests 40 0 R>>")
	w.obj(2, "<</Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3>>")
	w.obj(3, "<</Type /Page>>")
	w.obj(4, "<</Type /Page>>")
	w.obj(5, "<</Type /Page>>")
	w.obj(10, "<</Type /Outlines /First 11 0 R /Last 13 0 R>>")
	w.obj(11, "<</Title (Chapter 1) /Dest [3 0 R /XYZ 0 0 0] /Next 12 0 R /First 14 0 R>>")
	w.obj(14, "<</Title <FEFF00530065006300740069006F006E00200031002E0031> /Dest (sec11) /Next 15 0 R>>")
	w.obj(15, "<</Title (Old style) /Dest /old>>")
	w.obj(12, "<</Title (Chapter 2) /A <</S /GoTo /D (ch2)>> /Next 13 0 R>>")
	w.obj(13, "<</Title (Caf\\351) /A <</S /URI /URI (http://x)>> /Next 16 0 R>>")
	w.obj(16, "<</Title (By number) /Dest [2 /Fit] /Next 11 0 R>>") // a cycle back to 11
	w.obj(30, "<</Kids [31 0 R 32 0 R]>>")
	w.obj(31, "<</Limits [(ch2) (ch2)] /Names [(ch2) 33 0 R]>>")
	w.obj(32, "<</Names [(sec11) <</D [5 0 R /Fit]>>] /Kids [30 0 R]>>")
	w.obj(33, "[4 0 R /Fit]")
	w.obj(40, "<</old [5 0 R /Fit]>>")
	return w.classic("/Root 1 0 R")
}

func TestOutline(t *testing.T) {
	f := mustOpen(t, outlinePDF())
	got := f.Outline(100)
	want := []OutlineItem{
		{"Chapter 1", 0, 1},
		{"Section 1.1", 1, 3},
		{"Old style", 1, 3},
		{"Chapter 2", 0, 2},
		{"Café", 0, 0},
		{"By number", 0, 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("outline\n got %v\nwant %v", got, want)
	}
	if got := f.Outline(2); len(got) != 2 {
		t.Errorf("Outline(2) gave %d items", len(got))
	}
	if got := mustOpen(t, simplePDF()).Outline(10); got != nil {
		t.Errorf("no outlines: %v", got)
	}
}

func TestDeepOutline(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R /Outlines 10 0 R>>")
	w.obj(2, "<</Type /Pages /Kids [3 0 R]>>")
	w.obj(3, "<</Type /Page>>")
	w.obj(10, "<</First 11 0 R>>")
	for i := range 100 {
		w.obj(11+i, fmt.Sprintf("<</Title (L%d) /First %d 0 R>>", i, 12+i))
	}
	f := mustOpen(t, w.classic("/Root 1 0 R"))
	got := f.Outline(1000)
	if len(got) != maxOutlineDepth || got[len(got)-1].Level != maxOutlineDepth-1 {
		t.Errorf("%d items", len(got))
	}
}

func TestTextString(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"plain", "plain"},
		{"\xfe\xff\x00A\x00\xe9\xd8\x3d\xde\x00", "Aé😀"},
		{"\xfe\xff\x00A\x00\x1bfr\x00\x1b\x00B", "AB"},
		{"\xef\xbb\xbfcaf\xc3\xa9", "café"},
		{"\xff\xfeA\x00\xe9\x00", "Aé"},
		{"\x80\x93 \xa0 \xe9", "•ﬁ € é"},
		{"\x18\x1f", "˘˜"},
	}
	for _, tt := range tests {
		if got := DecodeTextString([]byte(tt.in)); got != tt.want {
			t.Errorf("%q = %q, want %q", tt.in, got, tt.want)
		}
	}
	f := testFile(Limits{})
	if f.TextString(Name("N")) != "N" || f.TextString(int64(3)) != "" {
		t.Error("TextString of a name or a number")
	}
	if s := f.TextString(String(strings.Repeat("\xfe", 3))); s != "þþþ" {
		t.Errorf("%q", s)
	}
}
