// Command serve serves the files of a folder on a random port of 127.0.0.1
// for bench/compare.sh, and prints its base URL.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: serve DIR")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	_ = os.Stdout.Sync()
	if err := http.Serve(ln, http.FileServer(http.Dir(os.Args[1]))); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
