package probe

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
)

// errTooLarge is readCapped's error for input over the cap.
var errTooLarge = errors.New("larger than the --max-body cap")

// tooLarge is errTooLarge with the size of what was refused: its declared
// length, or the bytes read before giving up.
type tooLarge struct{ size int64 }

func (e tooLarge) Error() string { return errTooLarge.Error() }
func (e tooLarge) Unwrap() error { return errTooLarge }

// tooLargeSize is the size a tooLarge error holds; 0 for another error.
func tooLargeSize(err error) int64 {
	var tl tooLarge
	if errors.As(err, &tl) {
		return tl.size
	}
	return 0
}

// regularSize is the size of r when it is a regular file (a file target,
// stdin redirected from one), to read it into one buffer; -1 otherwise.
func regularSize(r io.Reader) int64 {
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return -1
}

// firstRead is the buffer a body of unknown length starts with; it grows
// as the body comes.
const firstRead = 512

// readCapped reads r to its end, or fails with errTooLarge (a tooLarge)
// once more than limit bytes came, without reading more than limit+1, or
// at once when size, the declared length (-1 when unknown), is over limit.
//
// Memory follows what is read, not the cap. A body of a known length is
// read into one buffer of that length and one byte more (to see a body
// longer than declared). Otherwise the body is read into pieces that
// start at firstRead bytes and double, each kept as it is, and joined
// into one buffer at the end: a body that fits the first piece is that
// piece, and a longer one costs its pieces and the joined copy, about
// twice its size, where growing one buffer by copying would touch up to
// four times as much.
func readCapped(r io.Reader, limit, size int64) ([]byte, error) {
	if size > limit {
		return nil, tooLarge{size}
	}
	next := int64(firstRead)
	if size >= 0 {
		next = size + 1
	}
	var (
		pieces [][]byte
		total  int64
	)
	for {
		piece := make([]byte, min(next, limit+1-total))
		n, err := readFull(r, piece)
		total += int64(n)
		if n > 0 || len(pieces) == 0 {
			pieces = append(pieces, piece[:n:n])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if total > limit {
			return nil, tooLarge{total}
		}
		next = 2 * int64(len(piece))
	}
	if len(pieces) == 1 {
		return pieces[0], nil
	}
	body := make([]byte, 0, total)
	for _, p := range pieces {
		body = append(body, p...)
	}
	return body, nil
}

// readFull reads r into buf until buf is full (err nil) or r ends (err
// io.EOF, n the bytes read). Unlike io.ReadFull, an io.ErrUnexpectedEOF
// from r, such as a chunked body cut short, stays an error.
func readFull(r io.Reader, buf []byte) (n int, err error) {
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// badGzip is the error of a body that says it is gzip-encoded and is not.
type badGzip struct{ cause error }

func (e badGzip) Error() string { return "not valid gzip: " + e.cause.Error() }
func (e badGzip) Unwrap() error { return e.cause }

// reason words it for a status line, without the package prefixes.
func (e badGzip) reason() string {
	cause := e.cause.Error()
	for _, p := range []string{"gzip: ", "flate: "} {
		cause = strings.TrimPrefix(cause, p)
	}
	return "body is not valid gzip (Content-Encoding: gzip): " + cause
}

// decoder reads a gzip-encoded body. Its gzip state (a 32 KiB window and
// the Huffman tables) and its buffer are kept in a pool and reset for the
// next body: a probe that reads gzip does not pay for them each time.
type decoder struct {
	br *bufio.Reader
	zr *gzip.Reader
}

var decoders sync.Pool

// decodedBody is what to read of resp: its body as sent, or decoded when
// it is gzip-encoded (the transport asks for gzip and leaves the decoding
// here, where it goes through the cap); the declared length of what is
// read, or -1; and a release to call once the body is read. An encoding
// jsonprobe cannot read is an error that names it.
func decodedBody(resp *http.Response) (body io.Reader, size int64, release func(), err error) {
	noop := func() {}
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch {
	case enc == "" || enc == "identity" || resp.Uncompressed:
		return resp.Body, resp.ContentLength, noop, nil
	case enc != "gzip" && enc != "x-gzip":
		return nil, 0, noop, fmt.Errorf("Content-Encoding %q: jsonprobe reads gzip only", resp.Header.Get("Content-Encoding"))
	}
	d, _ := decoders.Get().(*decoder)
	if d == nil {
		d = &decoder{br: bufio.NewReader(resp.Body), zr: new(gzip.Reader)}
	} else {
		d.br.Reset(resp.Body)
	}
	release = func() {
		d.br.Reset(nil)
		decoders.Put(d)
	}
	switch err := d.zr.Reset(d.br); {
	case err == io.EOF:
		// No body at all (HEAD, 204): nothing to decode.
		return strings.NewReader(""), 0, release, nil
	case err != nil:
		release()
		return nil, 0, noop, badGzip{err}
	}
	return gzipErrors{d.zr}, -1, release, nil
}

// gzipErrors marks the errors of a gzip stream, so that a corrupt body is
// told apart from a broken connection.
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	var corrupt flate.CorruptInputError
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.As(err, &corrupt) {
		err = badGzip{err}
	}
	return n, err
}
