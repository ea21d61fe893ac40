//go:build !unix

package probe

import "context"

// lockFile is a no-op where flock is not available: runs that overlap may
// lose each other's samples, but the file is still replaced atomically.
func lockFile(context.Context, string) (func(), error) { return func() {}, nil }
