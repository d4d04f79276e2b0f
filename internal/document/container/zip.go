package container

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
}

// OpenZip opens data as a zip package. A broken or truncated archive gives an
// error wrapping document.ErrMalformed; too many entries, document.ErrLimit.
func OpenZip(data []byte, lim document.Limits) (*Archive, error) {
	lim = lim.WithDefaults()
	a := &Archive{lim: lim, byName: map[string]*entry{}, byLower: map[string]*entry{}}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) || zr == nil {
		if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
			return nil, fmt.Errorf("%w: not a readable zip archive (%v)", document.ErrMalformed, err)
		}
		if err := a.recover(data); err != nil {
			return nil, err
		}
	} else {
		if len(zr.File) > lim.MaxZipEntries {
			return nil, fmt.Errorf("%w: %d zip entries (limit %d)", document.ErrLimit, len(zr.File), lim.MaxZipEntries)
		}
		for _, f := range zr.File {
			if !strings.HasSuffix(f.Name, "/") {
				a.add(&entry{name: f.Name, zf: f, compressed: int64(f.CompressedSize64)})
			}
		}
	}
	if len(a.names) == 0 {
		return nil, fmt.Errorf("%w: empty zip archive", document.ErrMalformed)
	}
	sort.Strings(a.names)
	return a, nil
}

func (a *Archive) add(e *entry) {
	name := CleanName(e.name)
	if name == "" {
		return
	}
	if _, dup := a.byName[name]; dup {
		return // the first entry of a name wins, as in most readers
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
		if len(a.names) >= a.lim.MaxZipEntries {
			return fmt.Errorf("%w: more than %d zip entries", document.ErrLimit, a.lim.MaxZipEntries)
		}
		a.add(&entry{name: string(h[30 : 30+nameLen]), data: body, method: method, compressed: int64(len(body))})
		off += i + start
	}
	return nil
}

func (e *entry) open() (io.ReadCloser, error) {
	if e.zf != nil {
		return e.zf.Open()
	}
	if e.method == zip.Store {
		return io.NopCloser(bytes.NewReader(e.data)), nil
	}
	return flate.NewReader(bytes.NewReader(e.data)), nil
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

// ReadFile decompresses the entry name, counting bytes as they come: it
// stops with document.ErrLimit as soon as the entry, the whole archive or the
// entry's compression ratio goes over its limit, whatever the headers claim.
func (a *Archive) ReadFile(name string) ([]byte, error) {
	f := a.lookup(name)
	if f == nil {
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	rc, err := f.open()
	if err != nil {
		return nil, fmt.Errorf("%w: zip entry %s: %v", document.ErrMalformed, name, err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	if f.zf != nil {
		// The header's size is only a hint, and a lying one must not reserve
		// memory: never more than the compressed bytes could plausibly give.
		if n := f.zf.UncompressedSize64; n > 0 {
			buf.Grow(int(min(n, 4<<20, uint64(max(f.compressed, 1))*16)))
		}
	}
	chunk := make([]byte, 32<<10)
	var read int64
	for {
		n, rerr := rc.Read(chunk)
		if n > 0 {
			read += int64(n)
			a.used += int64(n)
			if err := a.check(name, read, f.compressed); err != nil {
				return nil, err
			}
			buf.Write(chunk[:n])
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil && f.zf == nil && buf.Len() > 0 {
			break // a recovered entry cut short: keep what decompressed
		}
		if rerr != nil {
			return nil, fmt.Errorf("%w: zip entry %s: %v", document.ErrMalformed, name, rerr)
		}
	}
	return buf.Bytes(), nil
}

func (a *Archive) check(name string, read, compressed int64) error {
	switch {
	case read > a.lim.MaxEntryBytes:
		return fmt.Errorf("%w: zip entry %s decompresses to more than %d bytes", document.ErrLimit, name, a.lim.MaxEntryBytes)
	case a.used > a.lim.MaxDecompressed:
		return fmt.Errorf("%w: archive decompresses to more than %d bytes", document.ErrLimit, a.lim.MaxDecompressed)
	case read > ratioFloor && read > max(compressed, 1)*a.lim.MaxCompressRatio:
		return fmt.Errorf("%w: zip entry %s compression ratio above %d:1 (zip bomb?)", document.ErrLimit, name, a.lim.MaxCompressRatio)
	}
	return nil
}
