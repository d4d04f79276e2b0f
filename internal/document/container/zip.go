package container

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"net/url"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/corpora-tools/corpora/internal/document"
)

// ratioFloor is the entry size below which the compression ratio is not
// checked: small, highly repetitive entries (an empty table row repeated, a
// run of spaces) are legitimately compressible and cannot exhaust memory.
const ratioFloor = 1 << 20

// Archive is a zip package opened under limits. It is not safe for
// concurrent use: the decompressed-bytes budget is shared by all reads.
type Archive struct {
	lim     document.Limits
	byName  map[string]*entry
	byLower map[string]*entry
	names   []string
	used    int64 // bytes decompressed so far
	// Recovered is set when the central directory was unreadable (a
	// truncated download, say) and the entries were found by scanning the
	// local headers instead; the last entry may then be cut short.
	Recovered bool
}

// entry is one member of the archive, from the central directory or, for a
// damaged archive, from its local header.
type entry struct {
	name       string
	zf         *zip.File
	data       []byte // recovered entries: the compressed bytes to the end of the file
	method     uint16
	compressed int64
	// raw and off locate a central-directory entry's compressed bytes in
	// the file (off is -1 when its local header is unreadable), so they can
	// be inflated while counting the input consumed.
	raw []byte
	off int64
}

// OpenZip opens data as a zip package. A broken or truncated archive gives an
// error wrapping document.ErrMalformed; too many entries, document.ErrLimit.
func OpenZip(data []byte, lim document.Limits) (*Archive, error) {
	lim = lim.WithDefaults()
	a := &Archive{lim: lim, byName: map[string]*entry{}, byLower: map[string]*entry{}}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) || zr == nil {
		if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
			return nil, fmt.Errorf("%w: %s", document.ErrMalformed, zipReason(err))
		}
		if err := a.recover(data); err != nil {
			return nil, err
		}
	} else {
		if len(zr.File) > lim.MaxZipEntries {
			return nil, fmt.Errorf("%w: %d zip entries (limit %d)", document.ErrLimit, len(zr.File), lim.MaxZipEntries)
		}
		var spans []span
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, "/") {
				continue
			}
			e := &entry{name: f.Name, zf: f, compressed: int64(f.CompressedSize64), off: -1}
			if off, err := f.DataOffset(); err == nil && off >= 0 && f.CompressedSize64 <= uint64(len(data)) && off <= int64(len(data))-int64(f.CompressedSize64) {
				e.off = off
				e.raw = data
			}
			if a.add(e) && e.off >= 0 && f.CompressedSize64 > 0 {
				spans = append(spans, span{e.off, e.off + int64(f.CompressedSize64), f.Name})
			}
		}
		if err := overlapping(spans); err != nil {
			return nil, err
		}
	}
	if len(a.names) == 0 {
		return nil, fmt.Errorf("%w: empty zip archive", document.ErrMalformed)
	}
	sort.Strings(a.names)
	return a, nil
}

// add files e under its name and reports whether it was kept (a duplicate
// name or an empty one is not).
func (a *Archive) add(e *entry) bool {
	name := CleanName(e.name)
	if name == "" {
		return false
	}
	if _, dup := a.byName[name]; dup {
		return false // the first entry of a name wins, as in most readers
	}
	a.names = append(a.names, name)
	a.alias(name, e)
	if !utf8.ValidString(e.name) {
		// Zip tools without the UTF-8 flag wrote the DOS code page (the
		// zip standard's default) or the Windows one; the manifest names the
		// file in UTF-8, so answer to both readings.
		for _, cm := range []*charmap.Charmap{charmap.CodePage437, charmap.Windows1252} {
			if dec, err := cm.NewDecoder().String(e.name); err == nil {
				a.alias(CleanName(dec), e)
			}
		}
	}
	return true
}

// span is the compressed data of one kept entry, [start, end) in the file.
type span struct {
	start, end int64
	name       string
}

// overlapping refuses an archive whose entries share compressed bytes: no
// zip tool writes that, and it is how a small file decompresses to
// gigabytes without any single entry looking like a bomb (many central
// directory entries pointing at one local entry).
func overlapping(spans []span) error {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return fmt.Errorf("%w: overlapping zip entries (%s and %s share their data; a zip bomb?)", document.ErrMalformed, spans[i-1].name, spans[i].name)
		}
	}
	return nil
}

// zipReason words an archive/zip error for a user.
func zipReason(err error) string {
	switch {
	case err == nil:
		return "not a valid zip container"
	case errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "not a valid zip container (truncated or damaged)"
	case errors.Is(err, zip.ErrAlgorithm):
		return "zip entry uses an unsupported compression method"
	case errors.Is(err, zip.ErrChecksum):
		return "zip entry fails its checksum (damaged)"
	}
	return "not a valid zip container (" + strings.TrimPrefix(err.Error(), "zip: ") + ")"
}

func (a *Archive) alias(name string, e *entry) {
	if _, dup := a.byName[name]; !dup {
		a.byName[name] = e
	}
	if l := strings.ToLower(name); a.byLower[l] == nil {
		a.byLower[l] = e
	}
}

// recover finds the entries of an archive without a usable central
// directory by scanning for local file headers.
func (a *Archive) recover(data []byte) error {
	a.Recovered = true
	sig := []byte("PK\x03\x04")
	for off := 0; off+30 <= len(data); {
		i := bytes.Index(data[off:], sig)
		if i < 0 {
			break
		}
		h := data[off+i:]
		if len(h) < 30 {
			break
		}
		flags := binary.LittleEndian.Uint16(h[6:])
		method := binary.LittleEndian.Uint16(h[8:])
		csize := int64(binary.LittleEndian.Uint32(h[18:]))
		nameLen := int(binary.LittleEndian.Uint16(h[26:]))
		extraLen := int(binary.LittleEndian.Uint16(h[28:]))
		start := 30 + nameLen + extraLen
		if start > len(h) || (method != zip.Store && method != zip.Deflate) || flags&1 != 0 {
			off += i + 4
			continue
		}
		body := h[start:]
		if flags&8 == 0 && csize <= int64(len(body)) {
			body = body[:csize]
		}
		if flags&8 != 0 && method == zip.Store {
			// Size unknown: the entry ends at the next local header, not at
			// the end of the file (every later entry would read it all again).
			if j := bytes.Index(body, sig); j >= 0 {
				body = body[:j]
			}
		}
		if len(a.names) >= a.lim.MaxZipEntries {
			return fmt.Errorf("%w: more than %d zip entries", document.ErrLimit, a.lim.MaxZipEntries)
		}
		a.add(&entry{name: string(h[30 : 30+nameLen]), data: body, method: method, compressed: int64(len(body)), off: -1})
		off += i + start
		if flags&8 == 0 && csize == int64(len(body)) {
			off += len(body) // the next header follows the data, not inside it
		}
	}
	return nil
}

// inReader reads compressed bytes and counts them: it is an io.ByteReader,
// so compress/flate reads no further ahead than it needs and n is exactly
// the input consumed.
type inReader struct {
	b []byte
	n int
}

func (r *inReader) Read(p []byte) (int, error) {
	if r.n >= len(r.b) {
		return 0, io.EOF
	}
	k := copy(p, r.b[r.n:])
	r.n += k
	return k, nil
}

func (r *inReader) ReadByte() (byte, error) {
	if r.n >= len(r.b) {
		return 0, io.EOF
	}
	r.n++
	return r.b[r.n-1], nil
}

// open returns the entry's decompressed stream and, when the compressed
// bytes are in hand, the counter of how many the stream has consumed.
func (e *entry) open() (io.ReadCloser, *inReader, error) {
	switch {
	case e.zf != nil && e.off >= 0:
		in := &inReader{b: e.raw[e.off : e.off+e.compressed]}
		switch e.zf.Method {
		case zip.Store:
			return io.NopCloser(in), in, nil
		case zip.Deflate:
			return flate.NewReader(in), in, nil
		}
		return nil, nil, fmt.Errorf("unsupported compression method %d", e.zf.Method)
	case e.zf != nil:
		rc, err := e.zf.Open()
		if err != nil {
			return nil, nil, errors.New(zipReason(err))
		}
		return rc, nil, nil
	case e.method == zip.Store:
		return io.NopCloser(bytes.NewReader(e.data)), nil, nil
	}
	return flate.NewReader(bytes.NewReader(e.data)), nil, nil
}

// CleanName turns a zip entry name into the slash-separated, rooted-nowhere
// form the package references use. Names that are not UTF-8 (old zip tools
// wrote the OEM code page) are repaired so they can still be looked up.
func CleanName(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "\uFFFD")
	}
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Clean("/" + name)
	return strings.TrimPrefix(name, "/")
}

// Names returns the entry names, sorted.
func (a *Archive) Names() []string { return a.names }

// Has reports whether the archive holds name (see Lookup for the matching).
func (a *Archive) Has(name string) bool { return a.lookup(name) != nil }

// Lookup returns the stored name matching name: exactly, then
// percent-decoded, then case-insensitively (packages made on Windows disagree
// with their own manifests about case). ok is false when nothing matches.
func (a *Archive) Lookup(name string) (string, bool) {
	f := a.lookup(name)
	if f == nil {
		return "", false
	}
	return CleanName(f.name), true
}

func (a *Archive) lookup(name string) *entry {
	name = CleanName(name)
	if f := a.byName[name]; f != nil {
		return f
	}
	if u, err := url.PathUnescape(name); err == nil && u != name {
		if f := a.byName[CleanName(u)]; f != nil {
			return f
		}
		name = CleanName(u)
	}
	return a.byLower[strings.ToLower(name)]
}

// ErrNotFound is returned by ReadFile for a name the archive does not hold.
var ErrNotFound = errors.New("not in the archive")

// ratioSlack is how far the output may run ahead of MaxCompressRatio times
// the compressed bytes consumed so far: the ratio is checked while inflating,
// so a bomb stops after a few megabytes, not at the ratio times its whole
// compressed size.
const ratioSlack = 4 << 20

// ReadFile decompresses the entry name, counting bytes as they come: it
// stops with document.ErrLimit as soon as the entry, the whole archive or the
// entry's compression ratio goes over its limit, whatever the headers claim.
func (a *Archive) ReadFile(name string) ([]byte, error) {
	f := a.lookup(name)
	if f == nil {
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	rc, in, err := f.open()
	if err != nil {
		return nil, fmt.Errorf("%w: zip entry %s: %v", document.ErrMalformed, name, err)
	}
	defer rc.Close()
	// The most the entry may give before a limit trips: the buffer never
	// grows past it (plus one chunk), whatever the headers claim.
	bound := min(a.lim.MaxEntryBytes, max(a.lim.MaxDecompressed-a.used, 0))
	if r := mulSat(max(f.compressed, 1), a.lim.MaxCompressRatio); r > ratioFloor {
		bound = min(bound, r)
	}
	var buf []byte
	if f.zf != nil {
		// The header's size is only a hint, and a lying one must not reserve
		// memory: never more than the compressed bytes could plausibly give.
		if n := f.zf.UncompressedSize64; n > 0 {
			// One byte more than claimed, so the read that finds the end
			// needs no second buffer.
			buf = make([]byte, 0, min(n+1, 4<<20, uint64(max(f.compressed, 1))*16, uint64(bound)+1))
		}
	}
	const chunk = 32 << 10
	var read int64
	crc := crc32.NewIEEE()
	for {
		if len(buf) == cap(buf) {
			// Grow by doubling, but never past the bound.
			c := min(max(2*cap(buf), 4<<10), int(bound)+chunk)
			if c <= len(buf) {
				c = len(buf) + chunk
			}
			grown := make([]byte, len(buf), c)
			copy(grown, buf)
			buf = grown
		}
		n, rerr := rc.Read(buf[len(buf):min(cap(buf), len(buf)+chunk)])
		if n > 0 {
			read += int64(n)
			a.used += int64(n)
			consumed := int64(-1)
			if in != nil {
				consumed = int64(in.n)
			}
			if err := a.check(name, read, f.compressed, consumed); err != nil {
				return nil, err
			}
			if in != nil && uint64(read) > f.zf.UncompressedSize64 {
				return nil, fmt.Errorf("%w: zip entry %s decompresses to more than the %d bytes its header gives (damaged)", document.ErrMalformed, name, f.zf.UncompressedSize64)
			}
			if in != nil {
				crc.Write(buf[len(buf) : len(buf)+n])
			}
			buf = buf[:len(buf)+n]
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil && f.zf == nil && len(buf) > 0 {
			break // a recovered entry cut short: keep what decompressed
		}
		if rerr != nil {
			return nil, fmt.Errorf("%w: zip entry %s: %s", document.ErrMalformed, name, streamReason(rerr))
		}
	}
	if in != nil {
		// What archive/zip checks: the size and checksum the headers give.
		switch {
		case uint64(read) != f.zf.UncompressedSize64:
			return nil, fmt.Errorf("%w: zip entry %s decompresses to %d bytes, not the %d its header gives (damaged)", document.ErrMalformed, name, read, f.zf.UncompressedSize64)
		case f.zf.CRC32 != 0 && crc.Sum32() != f.zf.CRC32:
			return nil, fmt.Errorf("%w: zip entry %s fails its checksum (damaged)", document.ErrMalformed, name)
		}
	}
	return buf, nil
}

// streamReason words a decompression error for a user.
func streamReason(err error) string {
	var ce flate.CorruptInputError
	switch {
	case errors.As(err, &ce):
		return fmt.Sprintf("corrupt compressed data at byte %d", int64(ce))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "compressed data cut short (truncated)"
	}
	return zipReason(err)
}

// mulSat is a*b, or the largest int64 when that overflows.
func mulSat(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

// check returns the limit error once read bytes of an entry of compressed
// bytes (consumed of them so far, or -1 when unknown) break a limit.
func (a *Archive) check(name string, read, compressed, consumed int64) error {
	ratio := a.lim.MaxCompressRatio
	switch {
	case read > a.lim.MaxEntryBytes:
		return fmt.Errorf("%w: zip entry %s decompresses to more than %d bytes", document.ErrLimit, name, a.lim.MaxEntryBytes)
	case a.used > a.lim.MaxDecompressed:
		return fmt.Errorf("%w: archive decompresses to more than %d bytes", document.ErrLimit, a.lim.MaxDecompressed)
	case read > ratioFloor && read > mulSat(max(compressed, 1), ratio),
		consumed >= 0 && read > ratioFloor && read > mulSat(max(consumed, 1), ratio)+ratioSlack:
		return fmt.Errorf("%w: zip entry %s compression ratio above %d:1 (zip bomb?)", document.ErrLimit, name, ratio)
	}
	return nil
}
