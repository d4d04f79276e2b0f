package doctest

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// Entry is one entry of a zip file written by ZipOf.
type Entry struct {
	Name  string
	Data  []byte // the content (also what the CRC is computed over)
	Store bool   // method 0 rather than deflate
	// Raw, when set, is the already deflated content and Size its
	// decompressed length; data is then unused and the CRC is left 0.
	Raw  []byte
	Size uint64
	// Claim, when set, is the decompressed size the headers state instead
	// of the true one.
	Claim uint32
	// Method, when set, overrides the compression method in the headers.
	Method uint16
	// Alias, when > 0, makes this a central directory entry sharing the
	// local header and data of entry Alias-1 (overlapping entries).
	Alias int
}

// ZipOf writes a zip archive of ents by hand, so that every header can
// lie: sizes, methods and overlapping entries as the Entry says.
func ZipOf(ents ...Entry) []byte {
	var buf bytes.Buffer
	type rec struct {
		off    uint32
		crc    uint32
		csize  uint32
		usize  uint32
		method uint16
	}
	recs := make([]rec, len(ents))
	le := binary.LittleEndian
	for i, e := range ents {
		if e.Alias > 0 {
			continue
		}
		var comp []byte
		r := rec{off: uint32(buf.Len())}
		switch {
		case e.Raw != nil:
			comp, r.method, r.usize = e.Raw, 8, uint32(e.Size)
		case e.Store:
			comp, r.method, r.usize, r.crc = e.Data, 0, uint32(len(e.Data)), crc32.ChecksumIEEE(e.Data)
		default:
			var b bytes.Buffer
			w, _ := flate.NewWriter(&b, flate.DefaultCompression)
			w.Write(e.Data)
			w.Close()
			comp, r.method, r.usize, r.crc = b.Bytes(), 8, uint32(len(e.Data)), crc32.ChecksumIEEE(e.Data)
		}
		if e.Claim != 0 {
			r.usize = e.Claim
		}
		if e.Method != 0 {
			r.method = e.Method
		}
		r.csize = uint32(len(comp))
		recs[i] = r
		h := make([]byte, 30)
		le.PutUint32(h[0:], 0x04034b50)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], 0x800)
		le.PutUint16(h[8:], r.method)
		le.PutUint32(h[14:], r.crc)
		le.PutUint32(h[18:], r.csize)
		le.PutUint32(h[22:], r.usize)
		le.PutUint16(h[26:], uint16(len(e.Name)))
		buf.Write(h)
		buf.WriteString(e.Name)
		buf.Write(comp)
	}
	cd := buf.Len()
	for i, e := range ents {
		r := recs[i]
		if e.Alias > 0 {
			r = recs[e.Alias-1]
		}
		h := make([]byte, 46)
		le.PutUint32(h[0:], 0x02014b50)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], 20)
		le.PutUint16(h[8:], 0x800)
		le.PutUint16(h[10:], r.method)
		le.PutUint32(h[16:], r.crc)
		le.PutUint32(h[20:], r.csize)
		le.PutUint32(h[24:], r.usize)
		le.PutUint16(h[28:], uint16(len(e.Name)))
		le.PutUint32(h[42:], r.off)
		buf.Write(h)
		buf.WriteString(e.Name)
	}
	end := make([]byte, 22)
	le.PutUint32(end[0:], 0x06054b50)
	n := min(len(ents), 0xFFFF)
	le.PutUint16(end[8:], uint16(n))
	le.PutUint16(end[10:], uint16(n))
	le.PutUint32(end[12:], uint32(buf.Len()-cd))
	le.PutUint32(end[16:], uint32(cd))
	buf.Write(end)
	return buf.Bytes()
}

// DeflatedZeros returns a deflate stream of mb megabytes of zero bytes, about a
// thousand to one, built from one compressed megabyte repeated (compressing
// a gigabyte for real takes seconds).
func DeflatedZeros(mb int) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	meg := make([]byte, 1<<20)
	w.Write(meg)
	w.Flush()
	first := bytes.Clone(b.Bytes())
	b.Reset()
	w.Write(meg) // a megabyte that refers only to zeros already written
	w.Flush()
	again := bytes.Clone(b.Bytes())
	b.Reset()
	w.Close()
	tail := b.Bytes()
	out := make([]byte, 0, len(first)+len(again)*(mb-1)+len(tail))
	out = append(out, first...)
	for i := 1; i < mb; i++ {
		out = append(out, again...)
	}
	return append(out, tail...)
}
