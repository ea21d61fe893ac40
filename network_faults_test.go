package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestNetworkFaults: the target cannot be reached, or its connection
// fails before or while the body arrives.
func TestNetworkFaults(t *testing.T) {
	runFaults(t, slices.Concat(connectionRows(), midBodyRows()))
}

// rawServer accepts TCP connections on loopback and runs script on each,
// for faults below HTTP. done closes when the test ends; every connection
// is closed then too. It returns host:port.
func rawServer(t *testing.T, script func(c *net.TCPConn, done <-chan struct{})) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				script(c.(*net.TCPConn), done)
			}()
		}
	}()
	t.Cleanup(func() {
		close(done)
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// readHead reads the request line and headers.
func readHead(c net.Conn) *bufio.Reader {
	r := bufio.NewReader(c)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" {
			break
		}
	}
	_ = c.SetReadDeadline(time.Time{})
	return r
}

// rawURL serves script and returns its http URL.
func rawURL(t *testing.T, script func(c *net.TCPConn, done <-chan struct{})) string {
	return "http://" + rawServer(t, script) + "/health"
}

// silent reads whatever comes and never writes.
func silent(c *net.TCPConn, _ <-chan struct{}) { _, _ = io.Copy(io.Discard, c) }

// connectionRows: no answer, or no HTTP answer, at all.
func connectionRows() []faultRow {
	return []faultRow{
		{name: "connection refused", args: func(t *testing.T) []string {
			return withLevels(closedPort(t))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: connection refused" + errPerf},

		{name: "DNS failure", args: func(t *testing.T) []string {
			return withLevels("http://nosuch.invalid/health", "-t", "3")
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - GET http://nosuch.invalid/health: cannot resolve host "nosuch.invalid"` + errPerf},

		{name: "accept then close", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) { readHead(c) }), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: connection closed by the server without a response" + errPerf},

		{name: "accept then silence", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, silent), "-t", "1")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: timed out after 1s" + errPerf},

		// The banner after the request: before it, whether net/http reads it
		// as the answer or drops it as unsolicited depends on timing (that
		// case: TestTransportReasonBanner).
		{name: "not HTTP (an SSH banner)", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) {
				readHead(c)
				_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n")
			}), "-t", "2")
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: malformed HTTP response "SSH-2.0-OpenSSH_9.6"` + errPerf},
	}
}

// midBodyRows: the connection fails after the headers, while the body
// arrives.
func midBodyRows() []faultRow {
	rawHead := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	return []faultRow{
		{name: "body drips one byte a second past the deadline", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, done <-chan struct{}) {
				readHead(c)
				if _, err := io.WriteString(c, rawHead+"Content-Length: 112\r\n\r\n"); err != nil {
					return
				}
				doc := fmt.Sprintf(healthDoc, 1234)
				for i := 0; i < len(doc); i++ {
					if _, err := c.Write([]byte{doc[i]}); err != nil {
						return
					}
					select {
					case <-done:
						return
					case <-time.After(time.Second):
					}
				}
			}), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: reading body: timed out after 2s" + errPerf},

		{name: "connection reset mid-body", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) {
				readHead(c)
				_, _ = io.WriteString(c, rawHead+"Content-Length: 1000\r\n\r\n"+`{"status":`)
				_ = c.SetLinger(0) // close sends RST
				_ = c.Close()
			}), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: reading body: connection reset by peer" + errPerf},

		{name: "chunked body cut short", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) {
				readHead(c)
				_, _ = io.WriteString(c, rawHead+"Transfer-Encoding: chunked\r\n\r\n"+"a\r\n"+`{"status":`+"\r\n")
			}), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: reading body: unexpected EOF" + errPerf},
	}
}
