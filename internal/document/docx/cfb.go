package docx

import (
	"encoding/binary"
	"errors"
	"unicode/utf16"
)

// A minimal reader of OLE2 compound files (MS-CFB), enough to take the two
// streams of an encrypted OOXML package out: EncryptionInfo and
// EncryptedPackage. Every chain walk is bounded by the file's sector count,
// so a looping FAT cannot hang it.

const (
	cfbEndOfChain = 0xFFFFFFFE
	cfbFree       = 0xFFFFFFFF
)

var errCFB = errors.New("broken OLE2 container")

type cfb struct {
	data       []byte
	sectorSize int
	fat        []uint32
	miniFAT    []uint32
	miniStream []byte
	cutoff     uint64
	entries    map[string]cfbEntry
}

type cfbEntry struct {
	start uint32
	size  uint64
}

func openCFB(data []byte) (*cfb, error) {
	if len(data) < 512 {
		return nil, errCFB
	}
	le := binary.LittleEndian
	shift := le.Uint16(data[0x1E:])
	if shift != 9 && shift != 12 {
		return nil, errCFB
	}
	c := &cfb{data: data, sectorSize: 1 << shift, cutoff: uint64(le.Uint32(data[0x38:])), entries: map[string]cfbEntry{}}
	// The FAT sectors: 109 listed in the header, the rest in DIFAT sectors.
	var fatSectors []uint32
	for i := 0; i < 109; i++ {
		if s := le.Uint32(data[0x4C+4*i:]); s < cfbEndOfChain-2 {
			fatSectors = append(fatSectors, s)
		}
	}
	difat := le.Uint32(data[0x44:])
	for steps := 0; difat < cfbEndOfChain-2 && steps < c.sectors(); steps++ {
		sec := c.sector(difat)
		if len(sec) < c.sectorSize {
			return nil, errCFB
		}
		n := c.sectorSize/4 - 1
		for i := 0; i < n; i++ {
			if s := le.Uint32(sec[4*i:]); s < cfbEndOfChain-2 {
				fatSectors = append(fatSectors, s)
			}
		}
		difat = le.Uint32(sec[4*n:])
	}
	for _, s := range fatSectors {
		sec := c.sector(s)
		if sec == nil {
			return nil, errCFB
		}
		for i := 0; i+4 <= len(sec); i += 4 {
			c.fat = append(c.fat, le.Uint32(sec[i:]))
		}
	}
	if mf := c.chain(le.Uint32(data[0x3C:]), 0); mf != nil {
		for i := 0; i+4 <= len(mf); i += 4 {
			c.miniFAT = append(c.miniFAT, le.Uint32(mf[i:]))
		}
	}
	dir := c.chain(le.Uint32(data[0x30:]), 0)
	for i := 0; i+128 <= len(dir); i += 128 {
		e := dir[i : i+128]
		nameLen := int(le.Uint16(e[0x40:]))
		if nameLen < 2 || nameLen > 64 || e[0x42] == 0 {
			continue
		}
		u := make([]uint16, nameLen/2-1)
		for j := range u {
			u[j] = le.Uint16(e[2*j:])
		}
		entry := cfbEntry{start: le.Uint32(e[0x74:]), size: le.Uint64(e[0x78:])}
		if c.sectorSize == 512 {
			entry.size &= 0xFFFFFFFF
		}
		name := string(utf16.Decode(u))
		if e[0x42] == 5 { // the root entry holds the mini stream
			c.miniStream = c.chain(entry.start, entry.size)
			continue
		}
		c.entries[name] = entry
	}
	return c, nil
}

func (c *cfb) sectors() int { return len(c.data)/c.sectorSize + 1 }

func (c *cfb) sector(id uint32) []byte {
	off := (int64(id) + 1) * int64(c.sectorSize)
	if off+int64(c.sectorSize) > int64(len(c.data)) {
		if off < int64(len(c.data)) {
			return c.data[off:] // a short last sector
		}
		return nil
	}
	return c.data[off : off+int64(c.sectorSize)]
}

// chain reads a regular stream; size 0 reads to the chain's end.
func (c *cfb) chain(start uint32, size uint64) []byte {
	var out []byte
	for id, steps := start, 0; id < cfbEndOfChain-2 && int(id) < len(c.fat) && steps < c.sectors(); steps++ {
		sec := c.sector(id)
		if sec == nil {
			break
		}
		out = append(out, sec...)
		id = c.fat[id]
	}
	if size > 0 && uint64(len(out)) > size {
		out = out[:size]
	}
	return out
}

// stream returns the named stream's bytes.
func (c *cfb) stream(name string) ([]byte, bool) {
	e, ok := c.entries[name]
	if !ok {
		return nil, false
	}
	if e.size >= c.cutoff {
		b := c.chain(e.start, e.size)
		return b, uint64(len(b)) == e.size
	}
	var out []byte
	for id, steps := e.start, 0; id < cfbEndOfChain-2 && int(id) < len(c.miniFAT) && steps <= len(c.miniFAT); steps++ {
		off := int(id) * 64
		if off+64 > len(c.miniStream) {
			break
		}
		out = append(out, c.miniStream[off:off+64]...)
		id = c.miniFAT[id]
	}
	if uint64(len(out)) < e.size {
		return nil, false
	}
	return out[:e.size], true
}
