package probe

// Files named by options (a checks file, a TLS file, a body file, the state
// file): reading them, and their errors in a few words.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ReadFileArg reads a small file named by an option, naming the option in
// errors.
func ReadFileArg(what, path string) ([]byte, error) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s %q: %w", what, path, shortFileError(syscall.EISDIR))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", what, path, shortFileError(err))
	}
	return b, nil
}

// fileReason is the short reason of a file error, without the path that
// *fs.PathError repeats.
func fileReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.EISDIR):
		return "is a directory, not a file"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// reasonError carries a short reason and the error it stands for.
type reasonError struct {
	reason string
	err    error
}

func (e reasonError) Error() string { return e.reason }
func (e reasonError) Unwrap() error { return e.err }

// shortFileError is err with fileReason's short text, still matching err.
func shortFileError(err error) error { return reasonError{fileReason(err), err} }
