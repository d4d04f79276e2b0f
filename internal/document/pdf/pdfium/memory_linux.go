package pdfium

import "syscall"

// mapNoReserve: the mapping needs no swap reservation up front.
const mapNoReserve = syscall.MAP_NORESERVE
