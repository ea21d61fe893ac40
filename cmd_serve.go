// jsonprobe serve: the Prometheus exporter, run as jsonprobe-exporter.
package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/urfave/cli/v2"
)

// exporterBinary is the exporter's command, installed beside jsonprobe.
const exporterBinary = "jsonprobe-exporter"

// serve replaces the process with jsonprobe-exporter and the same
// arguments: the exporter links the Prometheus client, whose start-up a
// plugin that runs thousands of times a day should not pay. It is looked
// for beside this binary, then on PATH.
func (inv *invocation) serve(c *cli.Context) error {
	path, err := exporterPath()
	if err != nil {
		return usagef("serve: %s not found beside jsonprobe or on PATH (make build installs both; go install ./... too)", exporterBinary)
	}
	// The exporter handles SIGINT and SIGTERM itself. One that came before
	// the exec ends this run; from here, one kills the process as usual
	// until the exporter is in place.
	signal.Reset(os.Interrupt, syscall.SIGTERM)
	if err := c.Context.Err(); err != nil {
		return fmt.Errorf("serve: interrupted (%v)", context.Cause(c.Context))
	}
	argv := append([]string{path}, c.Args().Slice()...)
	return syscall.Exec(path, argv, os.Environ())
}

func exporterPath() (string, error) {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), exporterBinary)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return exec.LookPath(exporterBinary)
}
