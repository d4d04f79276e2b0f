//go:build unix

package pdfium

import (
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// mmapAllocator backs each instance's linear memory with one anonymous
// mapping of the memory cap, reserved up front and never moved: growing the
// guest memory is then free (no copy of the old buffer, no garbage), the
// memory lives outside the Go heap (so a hostile document's hundreds of MB do
// not inflate the heap or the GC's pacing), only the pages PDFium touches
// count as resident, and killing the instance gives everything back to the
// system at once.
type mmapAllocator struct{}

// Allocate implements experimental.MemoryAllocator; it returns nil (wazero
// then falls back to Go slices) when the mapping fails.
func (mmapAllocator) Allocate(_, max uint64) experimental.LinearMemory {
	if max == 0 || max > 1<<32 {
		return nil
	}
	b, err := syscall.Mmap(-1, 0, int(max), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON|mapNoReserve)
	if err != nil {
		return nil
	}
	return &mmapMemory{buf: b}
}

type mmapMemory struct{ buf []byte }

// Reallocate implements experimental.LinearMemory: the mapping already
// spans the cap, so growing only extends the slice.
func (m *mmapMemory) Reallocate(size uint64) []byte {
	if m.buf == nil || size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size:size]
}

// Free implements experimental.LinearMemory.
func (m *mmapMemory) Free() {
	if m.buf != nil {
		_ = syscall.Munmap(m.buf)
		m.buf = nil
	}
}

func memoryAllocator() experimental.MemoryAllocator { return mmapAllocator{} }
