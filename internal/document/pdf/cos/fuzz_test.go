package cos

import (
	"bytes"
	"os"
	"testing"
)

func FuzzOpen(f *testing.F) {
	f.Add(simplePDF())
	f.Add(objStreamPDF(false))
	f.Add(objStreamPDF(true))
	f.Add(outlinePDF())
	// Files without an xref are read by scanning: mutations that move
	// offsets still reach the object parser.
	for _, b := range [][]byte{simplePDF(), outlinePDF(), objStreamPDF(false)} {
		i := bytes.LastIndex(b, []byte("startxref"))
		f.Add(b[:i])
	}
	if dir := os.Getenv("CORPORA_TEST_CORPUS"); dir != "" {
		for _, name := range []string{
			"pdf/pdfjs__helloworld-bad.pdf",
			"pdf/pdfjs__operator_list_cycle.pdf",
			"pdf/pdfcpu__empty.pdf",
			"pdf/qpdf__issue-117.pdf",
		} {
			if b, err := os.ReadFile(dir + "/" + name); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Open(data, Limits{MaxStreamBytes: 1 << 20, MaxPages: 1000})
		if err != nil {
			return
		}
		_ = file.Info()
		_ = file.Outline(100)
		pages, _ := file.Pages()
		for _, p := range pages {
			for _, s := range contents(file, p) {
				_, _ = file.Decode(s)
			}
			_ = file.TextString(p.Dict["Title"])
		}
		for n := range int32(20) {
			_, _ = file.Get(Ref{Num: n})
		}
	})
}

func FuzzDecode(f *testing.F) {
	src := []byte("BT /F1 12 Tf (Hello) Tj ET 0 0 1 rg 10 10 100 100 re f")
	f.Add(zlibBytes(src), uint8(0), uint8(0), uint8(1), uint8(1))
	f.Add(zlibBytes(pngEncode(src[:48], 4, 1)), uint8(0), uint8(12), uint8(4), uint8(1))
	f.Add(lzwBytes(src, true), uint8(1), uint8(0), uint8(1), uint8(1))
	f.Add([]byte("48656c6c6f>"), uint8(2), uint8(0), uint8(1), uint8(1))
	f.Add([]byte("87cURD]i,\"Ebo80~>"), uint8(3), uint8(0), uint8(1), uint8(1))
	f.Add(rle(src), uint8(4), uint8(2), uint8(3), uint8(3))
	names := []Name{"FlateDecode", "LZWDecode", "ASCIIHexDecode", "ASCII85Decode", "RunLengthDecode", "DCTDecode"}
	const limit = 1 << 16
	file := testFile(Limits{MaxStreamBytes: limit})
	f.Fuzz(func(t *testing.T, data []byte, filter, predictor, columns, colors uint8) {
		parms := Dict{
			"Predictor": int64(predictor), "Columns": int64(columns), "Colors": int64(colors % 8),
			"BitsPerComponent": int64(1 << (colors % 5)), "EarlyChange": int64(filter / 8 % 2),
		}
		s := &Stream{Dict: Dict{"Filter": Array{names[int(filter)%len(names)], names[int(filter/16)%len(names)]}, "DecodeParms": Array{parms, parms}}, Raw: data}
		out, err := file.Decode(s)
		if err == nil && len(out) > limit {
			t.Fatalf("%d bytes decoded, over the %d cap", len(out), limit)
		}
	})
}
