// Command floor is the least a Go plugin can do for a check over HTTP: one
// net/http GET of the URL, the body read, one status line. bench/compare.sh
// times it beside jsonprobe and check_http on the health document: what it
// takes is the cost of Go's process start and of net/http on the machine,
// whatever a plugin then does with the document. (It is no floor for large
// documents: io.ReadAll grows its buffer by copying, where jsonprobe reads
// into one buffer of the announced size.)
//
//	floor URL
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: floor URL")
		os.Exit(3)
	}
	resp, err := http.Get(os.Args[1])
	if err != nil {
		fmt.Println("UNKNOWN -", err)
		os.Exit(3)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		fmt.Println("UNKNOWN -", err)
		os.Exit(3)
	}
	fmt.Printf("OK - HTTP %d, %d bytes\n", resp.StatusCode, len(body))
}
