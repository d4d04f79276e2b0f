package cos

import (
	"bytes"
	"compress/flate"
	"compress/lzw"
	"encoding/ascii85"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"
)

// testFile is a File for decoding streams built in tests.
func testFile(lim Limits) *File {
	return &File{lim: lim.withDefaults(), cache: map[int32]cached{}, objstms: map[int32]*objStream{}}
}

func sample() []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	words := []string{"fireball ", "lich ", "dragon ", "BT ", "(text) Tj ", "\n", "1 0 0 1 72 720 Tm "}
	for b.Len() < 20000 {
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.Bytes()
}

// pngUp encodes rows with the PNG predictors in turn (None, Sub, Up,
// Average, Paeth) so that decoding exercises each.
func pngEncode(data []byte, columns, bpp int) []byte {
	var out []byte
	prev := make([]byte, columns)
	for r, row := 0, 0; r < len(data); r, row = r+columns, row+1 {
		cur := make([]byte, columns)
		copy(cur, data[r:min(r+columns, len(data))])
		ft := byte(row % 5)
		out = append(out, ft)
		for i := range cur {
			var a, c byte
			if i >= bpp {
				a, c = cur[i-bpp], prev[i-bpp]
			}
			b := prev[i]
			var p byte
			switch ft {
			case 1:
				p = a
			case 2:
				p = b
			case 3:
				p = byte((int(a) + int(b)) / 2)
			case 4:
				p = paeth(a, b, c)
			}
			out = append(out, cur[i]-p)
		}
		prev = cur
	}
	return out
}

// lzwBytes encodes b as PDF LZW: MSB first, 8-bit literals, the code
// width growing one code early when early is set (EarlyChange 1).
func lzwBytes(b []byte, early bool) []byte {
	if !early {
		var out bytes.Buffer
		w := lzw.NewWriter(&out, lzw.MSB, 8)
		w.Write(b)
		w.Close()
		return out.Bytes()
	}
	var out []byte
	var acc uint64
	var nbits uint
	width := uint(9)
	put := func(code int) {
		acc = acc<<width | uint64(code)
		nbits += width
		for nbits >= 8 {
			out = append(out, byte(acc>>(nbits-8)))
			nbits -= 8
		}
	}
	var dict map[string]int
	var hi, overflow int
	reset := func() {
		dict = make(map[string]int)
		width, hi, overflow = 9, 257, 512
	}
	incHi := func() {
		hi++
		if hi == overflow-1 {
			width++
			overflow <<= 1
		}
	}
	reset()
	put(256)
	cur := string(b[:1])
	for _, c := range b[1:] {
		next := cur + string(c)
		if _, ok := dict[next]; ok || len(next) == 1 {
			cur = next
			continue
		}
		code := int(cur[0])
		if len(cur) > 1 {
			code = dict[cur]
		}
		put(code)
		incHi()
		dict[next] = hi
		cur = string(c)
		if hi >= 4000 {
			put(256)
			reset()
		}
	}
	code := int(cur[0])
	if len(cur) > 1 {
		code = dict[cur]
	}
	put(code)
	incHi()
	put(257)
	if nbits > 0 {
		out = append(out, byte(acc<<(8-nbits)))
	}
	return out
}

func rle(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && j-i < 128 && b[j] == b[i] {
			j++
		}
		if j-i >= 2 {
			out = append(out, byte(257-(j-i)), b[i])
			i = j
			continue
		}
		n := min(128, len(b)-i)
		out = append(out, byte(n-1))
		out = append(out, b[i:i+n]...)
		i += n
	}
	return append(out, 128)
}

func TestDecode(t *testing.T) {
	src := sample()
	// Pad to whole rows for the predictor cases.
	rows := append([]byte(nil), src[:len(src)/12*12]...)
	raw := func() []byte {
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, 6)
		w.Write(src)
		w.Close()
		return b.Bytes()
	}()
	a85 := func(b []byte) []byte {
		out := make([]byte, ascii85.MaxEncodedLen(len(b)))
		n := ascii85.Encode(out, b)
		return append(out[:n], "~>"...)
	}
	tests := []struct {
		name string
		dict Dict
		raw  []byte
		want []byte
	}{
		{"none", Dict{}, src, src},
		{"flate", Dict{"Filter": Name("FlateDecode")}, zlibBytes(src), src},
		{"Fl abbreviation", Dict{"Filter": Name("Fl")}, zlibBytes(src), src},
		{"raw deflate", Dict{"Filter": Name("FlateDecode")}, raw, src},
		{"flate without checksum", Dict{"Filter": Name("FlateDecode")}, func() []byte { z := zlibBytes(src); return z[:len(z)-4] }(), src},
		{"flate png predictor", Dict{"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": int64(15), "Columns": int64(4), "Colors": int64(3)}},
			zlibBytes(pngEncode(rows, 12, 3)), rows},
		{"flate png predictor 16 bits", Dict{"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": int64(12), "Columns": int64(3), "BitsPerComponent": int64(16)}},
			zlibBytes(pngEncode(rows, 6, 2)), rows},
		{"flate tiff predictor", Dict{"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": int64(2), "Columns": int64(4)}},
			zlibBytes(func() []byte {
				b := append([]byte(nil), rows...)
				for r := 0; r < len(b); r += 4 {
					for i := r + 3; i > r; i-- {
						b[i] -= b[i-1]
					}
				}
				return b
			}()), rows},
		{"lzw", Dict{"Filter": Name("LZWDecode")}, lzwBytes(src, true), src},
		{"lzw spec example", Dict{"Filter": Name("LZWDecode")}, []byte{0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01}, []byte("-----A---B")},
		{"LZW early change 0", Dict{"Filter": Name("LZW"), "DecodeParms": Dict{"EarlyChange": int64(0)}}, lzwBytes(src, false), src},
		{"ahx", Dict{"Filter": Name("ASCIIHexDecode")}, []byte(hex.EncodeToString(src) + ">"), src},
		{"AHx odd", Dict{"Filter": Name("AHx")}, []byte("4 14>"), []byte("A@")},
		{"a85", Dict{"Filter": Name("ASCII85Decode")}, a85(src), src},
		{"A85 short tails", Dict{"Filter": Name("A85")}, a85([]byte("abcdefg")), []byte("abcdefg")},
		{"A85 z", Dict{"Filter": Name("A85")}, []byte("<~z~>"), []byte{0, 0, 0, 0}},
		{"rl", Dict{"Filter": Name("RunLengthDecode")}, rle(src), src},
		{"RL runs", Dict{"Filter": Name("RL")}, rle([]byte("aaaaaaaaaaaaaaaaaaaaaabcd")), []byte("aaaaaaaaaaaaaaaaaaaaaabcd")},
		{"empty flate", Dict{"Filter": Name("FlateDecode")}, []byte("\n"), []byte{}},
		{"empty lzw", Dict{"Filter": Name("LZWDecode")}, nil, []byte{}},
		{"chain", Dict{"Filter": Array{Name("A85"), Name("Fl")}, "DecodeParms": Array{nil, Dict{}}}, a85(zlibBytes(src)), src},
	}
	f := testFile(Limits{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.Decode(&Stream{Dict: tt.dict, Raw: tt.raw})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("got %d bytes %.40q, want %d bytes %.40q", len(got), got, len(tt.want), tt.want)
			}
		})
	}
}

func TestDecodeTruncatedFlate(t *testing.T) {
	src := sample()
	z := zlibBytes(src)
	got, err := testFile(Limits{}).Decode(&Stream{Dict: Dict{"Filter": Name("FlateDecode")}, Raw: z[:len(z)/2]})
	if err != nil || len(got) == 0 || !bytes.HasPrefix(src, got) {
		t.Errorf("truncated: %d bytes, %v", len(got), err)
	}
	if _, err := testFile(Limits{}).Decode(&Stream{Dict: Dict{"Filter": Name("FlateDecode")}, Raw: []byte("garbage!")}); err == nil {
		t.Error("garbage decoded without error")
	}
}

func TestDecodeErrors(t *testing.T) {
	src := bytes.Repeat([]byte("x"), 10000)
	small := testFile(Limits{MaxStreamBytes: 1000})
	for name, s := range map[string]*Stream{
		"flate": {Dict: Dict{"Filter": Name("FlateDecode")}, Raw: zlibBytes(src)},
		"lzw":   {Dict: Dict{"Filter": Name("LZWDecode")}, Raw: lzwBytes(src, true)},
		"rl":    {Dict: Dict{"Filter": Name("RunLengthDecode")}, Raw: rle(src)},
	} {
		if _, err := small.Decode(s); !errors.Is(err, ErrLimit) {
			t.Errorf("%s over the cap: %v, want ErrLimit", name, err)
		}
	}
	f := testFile(Limits{})
	for _, n := range []Name{"DCTDecode", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode", "Crypt", "Bogus"} {
		if _, err := f.Decode(&Stream{Dict: Dict{"Filter": n}, Raw: []byte("x")}); !errors.Is(err, ErrUnsupportedFilter) {
			t.Errorf("%s: %v, want ErrUnsupportedFilter", n, err)
		}
	}
	for name, s := range map[string]*Stream{
		"bad hex":       {Dict: Dict{"Filter": Name("AHx")}, Raw: []byte("4G>")},
		"bad a85":       {Dict: Dict{"Filter": Name("A85")}, Raw: []byte("abc{~>")},
		"bad predictor": {Dict: Dict{"Filter": Name("Fl"), "DecodeParms": Dict{"Predictor": int64(12), "Columns": int64(-1)}}, Raw: zlibBytes(src)},
		"bad png row":   {Dict: Dict{"Filter": Name("Fl"), "DecodeParms": Dict{"Predictor": int64(12)}}, Raw: zlibBytes([]byte{9, 1})},
		"filter number": {Dict: Dict{"Filter": int64(3)}, Raw: src},
		"external file": {Dict: Dict{"F": String("data.bin")}, Raw: src},
	} {
		if _, err := f.Decode(s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func BenchmarkInflate(b *testing.B) {
	z := zlibBytes(sample())
	f := testFile(Limits{})
	s := &Stream{Dict: Dict{"Filter": Name("FlateDecode")}, Raw: z}
	b.SetBytes(int64(len(sample())))
	for b.Loop() {
		if _, err := f.Decode(s); err != nil {
			b.Fatal(err)
		}
	}
}
