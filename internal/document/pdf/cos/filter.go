package cos

import (
	"bytes"
	"compress/flate"
	"compress/lzw"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	tifflzw "golang.org/x/image/tiff/lzw"
)

// Decode returns the decoded bytes of s: its /Filter chain applied in
// order with its /DecodeParms. A stream without filters returns its Raw
// bytes themselves (not a copy). Image codecs give ErrUnsupportedFilter; a
// result larger than MaxStreamBytes gives an error wrapping ErrLimit.
func (f *File) Decode(s *Stream) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("%w: internal error: %v", ErrDamaged, p)
		}
	}()
	if s == nil {
		return nil, nil
	}
	if _, ok := s.Dict["F"]; ok {
		// The data lives in an external file (/F, /FFilter): not ours.
		return nil, fmt.Errorf("%w: external stream data", ErrUnsupportedFilter)
	}
	return f.decode(s, 0)
}

// DecodeImage decodes an image stream up to its image codec: the filters
// before a final DCTDecode, JPXDecode, JBIG2Decode or CCITTFaxDecode are
// applied and the codec's name and parameters returned with the bytes it
// must decode (codec "" when the chain holds no codec: the bytes are the
// samples). limit bounds the decoded bytes (ErrLimit), in place of
// MaxStreamBytes, which is sized for content streams. A codec anywhere but
// last gives ErrUnsupportedFilter.
func (f *File) DecodeImage(s *Stream, limit int64) (data []byte, codec Name, parms Dict, err error) {
	defer func() {
		if p := recover(); p != nil {
			data, codec, parms, err = nil, "", nil, fmt.Errorf("%w: internal error: %v", ErrDamaged, p)
		}
	}()
	if s == nil {
		return nil, "", nil, nil
	}
	if _, ok := s.Dict["F"]; ok {
		return nil, "", nil, fmt.Errorf("%w: external stream data", ErrUnsupportedFilter)
	}
	return f.decodeChain(s, 0, limit, true)
}

// imageCodecs are the filters DecodeImage leaves to its caller, by their
// full names.
var imageCodecs = map[Name]Name{
	"DCTDecode": "DCTDecode", "DCT": "DCTDecode",
	"JPXDecode":      "JPXDecode",
	"JBIG2Decode":    "JBIG2Decode",
	"CCITTFaxDecode": "CCITTFaxDecode", "CCF": "CCITTFaxDecode",
}

func (f *File) decode(s *Stream, depth int) ([]byte, error) {
	data, _, _, err := f.decodeChain(s, depth, f.lim.MaxStreamBytes, false)
	return data, err
}

// decodeChain applies s's filters with a decoded-size limit; with
// codecLast, a final image codec is left undone and returned with its
// parameters.
func (f *File) decodeChain(s *Stream, depth int, limit int64, codecLast bool) ([]byte, Name, Dict, error) {
	filt, err := f.resolve(s.Dict["Filter"], depth+1)
	if err != nil {
		return nil, "", nil, err
	}
	parms, err := f.resolve(s.Dict["DecodeParms"], depth+1)
	if err != nil {
		return nil, "", nil, err
	}
	if parms == nil {
		parms, _ = f.resolve(s.Dict["DP"], depth+1)
	}
	var names Array
	var plist Array
	switch v := filt.(type) {
	case nil:
		return s.Raw, "", nil, nil
	case Name:
		names = Array{v}
		plist = Array{parms}
	case Array:
		names = v
		switch pv := parms.(type) {
		case Array:
			plist = pv
		case Dict:
			plist = Array{pv} // one dictionary for a one-filter array
		}
	default:
		return nil, "", nil, fmt.Errorf("%w: /Filter is not a name", ErrDamaged)
	}
	if len(names) > 16 {
		return nil, "", nil, fmt.Errorf("%w: %d filters", ErrUnsupportedFilter, len(names))
	}
	data := s.Raw
	for i, n := range names {
		no, err := f.resolve(n, depth+1)
		if err != nil {
			return nil, "", nil, err
		}
		name, ok := no.(Name)
		if !ok {
			return nil, "", nil, fmt.Errorf("%w: filter is not a name", ErrDamaged)
		}
		var p Dict
		if i < len(plist) {
			po, err := f.resolve(plist[i], depth+1)
			if err != nil {
				return nil, "", nil, err
			}
			p, _ = po.(Dict)
		}
		if full, ok := imageCodecs[name]; ok && codecLast && i == len(names)-1 {
			return data, full, p, nil
		}
		if data, err = f.applyFilter(name, p, data, depth, limit); err != nil {
			return nil, "", nil, err
		}
	}
	return data, "", nil, nil
}

func (f *File) applyFilter(name Name, p Dict, in []byte, depth int, limit int64) ([]byte, error) {
	ints := func(key Name, def int64) int64 {
		o, err := f.resolve(p[key], depth+1)
		if err != nil {
			return def
		}
		if v, ok := Int(o); ok {
			return v
		}
		return def
	}
	switch name {
	case "FlateDecode", "Fl":
		out, err := inflate(in, limit)
		if err != nil {
			return nil, err
		}
		return predict(out, ints("Predictor", 1), ints("Colors", 1), ints("BitsPerComponent", 8), ints("Columns", 1))
	case "LZWDecode", "LZW":
		out, err := unlzw(in, ints("EarlyChange", 1) != 0, limit)
		if err != nil {
			return nil, err
		}
		return predict(out, ints("Predictor", 1), ints("Colors", 1), ints("BitsPerComponent", 8), ints("Columns", 1))
	case "ASCIIHexDecode", "AHx":
		return decodeAHx(in)
	case "ASCII85Decode", "A85":
		return decodeA85(in)
	case "RunLengthDecode", "RL":
		return decodeRL(in, limit)
	case "DCTDecode", "DCT", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode", "CCF", "Crypt":
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedFilter, name)
	}
	return nil, fmt.Errorf("%w: unknown filter %s", ErrUnsupportedFilter, name)
}

var flatePool sync.Pool

// inflate decodes zlib data, or raw deflate data without the zlib header.
// The Adler-32 checksum is not checked, and truncated data gives what was
// decoded, as readers do.
func inflate(in []byte, limit int64) ([]byte, error) {
	if len(bytes.TrimSpace(in)) == 0 {
		return []byte{}, nil // an empty stream, as some writers emit for a blank page
	}
	body := in
	if len(in) >= 2 && in[0]&0x0f == 8 && (uint16(in[0])<<8|uint16(in[1]))%31 == 0 {
		body = in[2:]
		if in[1]&0x20 != 0 { // a preset dictionary id: PDF has none, skip it
			body = in[min(len(in), 6):]
		}
	}
	br := bytes.NewReader(body)
	var r io.ReadCloser
	if v := flatePool.Get(); v != nil {
		r = v.(io.ReadCloser)
		_ = r.(flate.Resetter).Reset(br, nil)
	} else {
		r = flate.NewReader(br)
	}
	out, err := readCapped(r, limit, 4*len(in)+64)
	flatePool.Put(r)
	if err != nil && len(out) == 0 && !errors.Is(err, ErrLimit) && len(body) != len(in) {
		// Perhaps a header look-alike on raw deflate data: try it raw.
		br.Reset(in)
		r2 := flate.NewReader(br)
		out, err = readCapped(r2, limit, 4*len(in)+64)
	}
	if err != nil {
		if errors.Is(err, ErrLimit) || len(out) == 0 {
			return nil, fmt.Errorf("FlateDecode: %w", err)
		}
		return out, nil // truncated or corrupt tail: keep what was decoded
	}
	return out, nil
}

// readCapped reads r to its end, at most limit bytes: more is an error
// wrapping ErrLimit.
func readCapped(r io.Reader, limit int64, sizeHint int) ([]byte, error) {
	buf := make([]byte, 0, max(min(int64(sizeHint), limit+1, 64<<20), 512))
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(max(min(int64(cap(buf)), limit+1-int64(len(buf)), 64<<20), 512)))
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%w: stream decodes to more than %d bytes", ErrLimit, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if k == 0 {
			return buf, io.ErrNoProgress
		}
	}
}

func unlzw(in []byte, early bool, limit int64) ([]byte, error) {
	if len(bytes.TrimSpace(in)) == 0 {
		return []byte{}, nil
	}
	var r io.ReadCloser
	if early {
		r = tifflzw.NewReader(bytes.NewReader(in), tifflzw.MSB, 8)
	} else {
		r = lzw.NewReader(bytes.NewReader(in), lzw.MSB, 8)
	}
	defer r.Close()
	out, err := readCapped(r, limit, 4*len(in)+64)
	if err != nil {
		if errors.Is(err, ErrLimit) || len(out) == 0 {
			return nil, fmt.Errorf("LZWDecode: %w", err)
		}
		return out, nil
	}
	return out, nil
}

// predict undoes a TIFF (2) or PNG (10-15) predictor in place of a copy.
func predict(in []byte, pred, colors, bpc, columns int64) ([]byte, error) {
	if pred <= 1 {
		return in, nil
	}
	if colors < 1 || colors > 32 || columns < 1 || columns > 1<<20 {
		return nil, fmt.Errorf("%w: predictor parameters", ErrDamaged)
	}
	switch bpc {
	case 1, 2, 4, 8, 16:
	default:
		return nil, fmt.Errorf("%w: predictor BitsPerComponent %d", ErrDamaged, bpc)
	}
	bpp := int(max(1, colors*bpc/8))
	rowLen := int((colors*bpc*columns + 7) / 8)
	if pred == 2 {
		if bpc != 8 {
			return nil, fmt.Errorf("%w: TIFF predictor with %d bits", ErrUnsupportedFilter, bpc)
		}
		out := make([]byte, len(in))
		copy(out, in)
		for r := 0; r < len(out); r += rowLen {
			row := out[r:min(r+rowLen, len(out))]
			for i := bpp; i < len(row); i++ {
				row[i] += row[i-bpp]
			}
		}
		return out, nil
	}
	if pred < 10 {
		return nil, fmt.Errorf("%w: predictor %d", ErrUnsupportedFilter, pred)
	}
	rows := (len(in) + rowLen) / (rowLen + 1)
	out := make([]byte, 0, rows*rowLen)
	prev := make([]byte, min(rowLen, len(in)))
	for p := 0; p < len(in); p += rowLen + 1 {
		ft := in[p]
		src := in[p+1 : min(p+1+rowLen, len(in))]
		start := len(out)
		out = append(out, src...)
		row := out[start:]
		switch ft {
		case 0:
		case 1:
			for i := bpp; i < len(row); i++ {
				row[i] += row[i-bpp]
			}
		case 2:
			for i := range row {
				row[i] += prev[i]
			}
		case 3:
			for i := range row {
				var left byte
				if i >= bpp {
					left = row[i-bpp]
				}
				row[i] += byte((int(left) + int(prev[i])) / 2)
			}
		case 4:
			for i := range row {
				var a, c byte
				if i >= bpp {
					a = row[i-bpp]
					c = prev[i-bpp]
				}
				row[i] += paeth(a, prev[i], c)
			}
		default:
			return nil, fmt.Errorf("%w: PNG predictor row type %d", ErrDamaged, ft)
		}
		copy(prev, row)
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	if pa <= pb && pa <= pc {
		return a
	}
	if pb <= pc {
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func decodeAHx(in []byte) ([]byte, error) {
	out := make([]byte, 0, len(in)/2+1)
	var hi byte
	half := false
	for _, c := range in {
		if c == '>' {
			break
		}
		if isSpace(c) {
			continue
		}
		v, ok := unhex(c)
		if !ok {
			return nil, fmt.Errorf("%w: ASCIIHexDecode: bad byte %#x", ErrDamaged, c)
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return out, nil
}

func decodeA85(in []byte) ([]byte, error) {
	in = bytes.TrimLeft(in, " \t\r\n\f\x00")
	in = bytes.TrimPrefix(in, []byte("<~"))
	out := make([]byte, 0, len(in)*4/5+4)
	var group [5]byte
	n := 0
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c == '~' {
			break
		}
		if isSpace(c) {
			continue
		}
		if c == 'z' && n == 0 {
			out = append(out, 0, 0, 0, 0)
			continue
		}
		if c < '!' || c > 'u' {
			return nil, fmt.Errorf("%w: ASCII85Decode: bad byte %#x", ErrDamaged, c)
		}
		group[n] = c - '!'
		n++
		if n == 5 {
			v := uint64(0)
			for _, g := range group {
				v = v*85 + uint64(g)
			}
			if v > 0xffffffff {
				return nil, fmt.Errorf("%w: ASCII85Decode: group overflows", ErrDamaged)
			}
			out = append(out, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
			n = 0
		}
	}
	if n == 1 {
		return nil, fmt.Errorf("%w: ASCII85Decode: a lone final byte", ErrDamaged)
	}
	if n > 1 {
		for k := n; k < 5; k++ {
			group[k] = 84
		}
		v := uint64(0)
		for _, g := range group {
			v = v*85 + uint64(g)
		}
		if v > 0xffffffff {
			return nil, fmt.Errorf("%w: ASCII85Decode: group overflows", ErrDamaged)
		}
		b := [4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
		out = append(out, b[:n-1]...)
	}
	return out, nil
}

func decodeRL(in []byte, limit int64) ([]byte, error) {
	out := make([]byte, 0, min(int64(2*len(in)), limit))
	for i := 0; i < len(in); {
		n := int(in[i])
		i++
		switch {
		case n == 128:
			return out, nil
		case n < 128:
			end := min(i+n+1, len(in))
			out = append(out, in[i:end]...)
			i = end
		default:
			if i >= len(in) {
				return out, nil
			}
			for range 257 - n {
				out = append(out, in[i])
			}
			i++
		}
		if int64(len(out)) > limit {
			return nil, fmt.Errorf("%w: RunLengthDecode: more than %d bytes", ErrLimit, limit)
		}
	}
	return out, nil
}
