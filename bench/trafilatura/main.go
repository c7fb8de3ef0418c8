// Command trafilatura extracts pages with go-trafilatura as its users
// build it, for dossier's extraction benchmark (BenchmarkAEBCPU in
// internal/extract): dossier's own build replaces two of go-trafilatura's
// dependencies (see dossier's README, "Dependencies"), so the program it
// is compared with is built here, as a module of its own without them.
//
// It reads pages from standard input, each as a 4-byte big-endian length
// and the page, extracts each as go-trafilatura's README calls it, and
// answers with a line holding the CPU time the extraction took in
// nanoseconds (the process's user and system time, so that its garbage
// collection counts as dossier's does).
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"syscall"

	trafilatura "github.com/markusmobius/go-trafilatura"
)

func cpu() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	out.Flush()
	var n [4]byte
	for {
		if _, err := io.ReadFull(in, n[:]); err != nil {
			if err == io.EOF {
				return
			}
			fmt.Fprintln(os.Stderr, "trafilatura:", err)
			os.Exit(1)
		}
		page := make([]byte, binary.BigEndian.Uint32(n[:]))
		if _, err := io.ReadFull(in, page); err != nil {
			fmt.Fprintln(os.Stderr, "trafilatura:", err)
			os.Exit(1)
		}
		t0 := cpu()
		trafilatura.Extract(bytes.NewReader(page), trafilatura.Options{ExcludeComments: true})
		fmt.Fprintln(out, cpu()-t0)
		out.Flush()
	}
}
