//go:build unix

package probe

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock) on path, creating it,
// and waits for it until ctx is done (its deadline, or a cancel: a scrape
// that gave up, a SIGTERM); waiters are served in turn by the kernel. The lock goes with the process, so a run killed while holding it
// does not leave it held.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", shortFileError(err))
	}
	release := func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		return release, nil
	}
	var mu sync.Mutex
	gaveUp := false
	done := make(chan error, 1)
	go func() {
		err := flockWait(f)
		mu.Lock()
		defer mu.Unlock()
		if gaveUp {
			// The caller went on without history: let the next run in.
			if err == nil {
				release()
			} else {
				_ = f.Close()
			}
			return
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("lock: %w", err)
		}
		return release, nil
	case <-ctx.Done():
		mu.Lock()
		defer mu.Unlock()
		select {
		case err := <-done: // got it just now
			if err == nil {
				return release, nil
			}
			_ = f.Close()
			return nil, fmt.Errorf("lock: %w", err)
		default:
		}
		gaveUp = true
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, errors.New("lock: still held by another run at the deadline")
		}
		return nil, fmt.Errorf("lock: still held by another run when the probe was cancelled (%v)", context.Cause(ctx))
	}
}

// flockWait takes f's lock, waiting for it, through interrupted calls.
func flockWait(f *os.File) error {
	for {
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
