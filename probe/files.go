package probe

// Files named by options (a checks file, a TLS file, a body file, the state
// file): reading them, and their errors in a few words.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// WriteFileAtomic replaces the file at path with data so that a reader
// sees the old file or the new one, never a part: a temporary file beside
// it (path.tmp-*, which a crash may leave behind), synced, then renamed over
// path, and the folder synced. A new file gets perm; an existing one keeps
// its mode. beforeRename, when not nil, runs just before the rename (a
// test's hook). Errors are short (shortFileError); the caller names the file.
func WriteFileAtomic(path string, data []byte, perm os.FileMode, beforeRename func()) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, base+".tmp-*")
	if err != nil {
		return shortFileError(err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return shortFileError(err)
	}
	if info, err := os.Stat(path); err == nil {
		perm = info.Mode().Perm()
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return shortFileError(err)
	}
	if beforeRename != nil {
		beforeRename()
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return shortFileError(err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
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
