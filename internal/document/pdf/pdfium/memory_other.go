//go:build !unix

package pdfium

import "github.com/tetratelabs/wazero/experimental"

// memoryAllocator is nil off Unix: wazero backs guest memory with Go slices.
func memoryAllocator() experimental.MemoryAllocator { return nil }
