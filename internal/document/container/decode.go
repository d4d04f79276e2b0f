package container

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// DecodeText returns data as valid UTF-8: a UTF-8 byte-order mark is
// dropped, UTF-16 with a byte-order mark is decoded, and every byte that is
// not part of valid UTF-8 is read as Windows-1252 (a superset of Latin-1 for
// printable text), except bytes that are junk in every encoding, which are
// dropped. That repairs the stray invalid byte in a UTF-8 chapter and
// decodes a whole Latin-1 file alike, without guessing.
func DecodeText(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		return decodeUTF16(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return decodeUTF16(data[2:], binary.BigEndian)
	}
	if order := UTF16Order(data); order != nil {
		return decodeUTF16(data, order)
	}
	if utf8.Valid(data) {
		return data
	}
	out := make([]byte, 0, len(data)+len(data)/8)
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			b := data[0]
			data = data[1:]
			if junkByte(b) {
				continue
			}
			out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(b))
			continue
		}
		out = utf8.AppendRune(out, r)
		data = data[size:]
	}
	return out
}

// junkByte reports bytes that are no text in any single-byte encoding a
// document might be in: 0xFE and 0xFF (stray byte-order-mark halves, fill
// bytes) and the holes of Windows-1252.
func junkByte(b byte) bool {
	switch b {
	case 0xFE, 0xFF, 0x81, 0x8D, 0x8F, 0x90, 0x9D:
		return true
	}
	return false
}

// UTF16Order recognises UTF-16 text without a byte-order mark (Windows
// tools write it): in most code units of the first few kilobytes one byte is
// zero and the other is not, on the same side. It returns nil for anything
// else.
func UTF16Order(data []byte) binary.ByteOrder {
	head := data[:min(len(data), 4096)&^1]
	pairs := len(head) / 2
	if pairs < 4 || bytes.IndexByte(head, 0) < 0 {
		return nil
	}
	le, be := 0, 0
	for i := 0; i+1 < len(head); i += 2 {
		switch {
		case head[i] != 0 && head[i+1] == 0:
			le++
		case head[i] == 0 && head[i+1] != 0:
			be++
		}
	}
	switch {
	case le*10 >= pairs*7:
		return binary.LittleEndian
	case be*10 >= pairs*7:
		return binary.BigEndian
	}
	return nil
}

func decodeUTF16(b []byte, order binary.ByteOrder) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	out := make([]byte, 0, len(b))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// TruncateText cuts s to at most n bytes without splitting a rune, at the
// last space when one is near the cut, so a text limit never leaves half a
// word or invalid UTF-8 behind.
func TruncateText(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := bytes.LastIndexAny([]byte(s[:cut]), " \n"); sp >= 0 && cut-sp < 64 {
		cut = sp
	}
	return s[:cut]
}

// FieldRunes is the most runes a metadata field or a table-of-contents
// title keeps; Field cuts longer ones.
const FieldRunes = 1000

// Field cuts a one-line metadata value or title to FieldRunes runes, the
// last of them "…", at a rune boundary (at a space when one is near). It is
// idempotent: a cut field comes back unchanged.
func Field(s string) string {
	if len(s) <= FieldRunes || utf8.RuneCountInString(s) <= FieldRunes {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == FieldRunes-1 {
			cut = i
			break
		}
		n++
	}
	s = s[:cut]
	if sp := strings.LastIndexByte(s, ' '); sp > 0 && cut-sp < 32 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ") + "…"
}
