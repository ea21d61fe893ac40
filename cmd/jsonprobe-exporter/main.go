// Command jsonprobe-exporter is `jsonprobe serve`: the Prometheus exporter,
// a binary of its own so that the plugin, started thousands of times a day,
// does not pay for the Prometheus client's start-up (jsonprobe serve runs
// it). Flags become serve.Options, the server answers until SIGTERM or
// SIGINT, and SIGHUP reloads the checks files.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/exporter-toolkit/web"
	"github.com/urfave/cli/v2"

	"github.com/jsonprobe/jsonprobe/notify"
	"github.com/jsonprobe/jsonprobe/serve"
	"github.com/jsonprobe/jsonprobe/sink"
)

// buildVersion is set at build time with -ldflags "-X main.buildVersion=…".
var buildVersion = "dev"

// defaultAddress is the exporter's port when --web.listen-address is not
// given (not yet in Prometheus's list of default ports).
const defaultAddress = ":9844"

// docs, set in a build with the gendocs tag (make man: gendocs.go), writes
// the man page or a shell completion instead of serving; nil in the
// binary that ships.
var docs func(args []string) bool

func main() {
	if docs != nil && docs(os.Args) {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	os.Exit(run(ctx, os.Args, os.Stdout, os.Stderr, os.Getenv, hup))
}

// run is the whole command, testable in process: it returns the exit code
// (0 after a clean shutdown, 1 when the exporter cannot start).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, hup <-chan os.Signal) int {
	app := newApp(stdout, stderr, func(c *cli.Context) error {
		var level slog.Level
		if err := level.UnmarshalText([]byte(c.String("log.level"))); err != nil {
			return fmt.Errorf("--log.level %q: want debug, info, warn or error", c.String("log.level"))
		}
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
		return serveUntilDone(c.Context, c, logger, getenv, hup)
	})
	if err := app.RunContext(ctx, args); err != nil {
		fmt.Fprintf(stderr, "jsonprobe serve: %v\n", err)
		return 1
	}
	return 0
}

// newApp is the command's definition: its flags, help and action (also
// what its man page and completions are made from).
func newApp(stdout, stderr io.Writer, action cli.ActionFunc) *cli.App {
	return &cli.App{
		Name:      "jsonprobe serve",
		HelpName:  "jsonprobe serve",
		Usage:     "a Prometheus exporter: each checks file is a module, probed on /probe?module=M&target=URL",
		ArgsUsage: "CHECKS.yaml...",
		Version:   buildVersion,
		Writer:    stdout,
		ErrWriter: stderr,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "web.listen-address", Value: defaultAddress, Usage: "`ADDRESS` to listen on"},
			&cli.StringFlag{Name: "web.config.file", Usage: "TLS and basic auth configuration `FILE` (Prometheus's web configuration format)"},
			&cli.DurationFlag{Name: "timeout-offset", Value: 500 * time.Millisecond, Usage: "taken off a scrape's timeout, so that the answer is in time"},
			&cli.StringFlag{Name: "log.level", Value: "info", Usage: "`LEVEL`: debug, info, warn or error"},
		},
		HideHelpCommand: true,
		ExitErrHandler:  func(*cli.Context, error) {},
		Action:          action,
	}
}

// serveUntilDone loads the modules, listens, and answers until ctx ends;
// each value on hup reloads the checks files.
func serveUntilDone(ctx context.Context, c *cli.Context, logger *slog.Logger, getenv func(string) string, hup <-chan os.Signal) error {
	webConfig := c.String("web.config.file")
	if webConfig != "" {
		if err := web.Validate(webConfig); err != nil {
			return fmt.Errorf("--web.config.file %q: %w", webConfig, err)
		}
	}
	// The exporter sends no notification and no push: the cron probe
	// that shares a checks file does.
	ignore := append(notify.Keys(), (&sink.Kuma{}).Keys()...)
	s, err := serve.New(serve.Options{Files: c.Args().Slice(), Getenv: getenv, Logger: logger, TimeoutOffset: c.Duration("timeout-offset"), IgnoreKeys: ignore, IgnoreCheckKeys: notify.CheckKeys()})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", c.String("web.listen-address"))
	if err != nil {
		return err
	}
	logger.Info("listening", "address", l.Addr().String(), "modules", c.NArg(), "version", buildVersion)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				_ = s.Reload() // logged by Reload
			}
		}
	}()
	return s.Serve(ctx, l, webConfig)
}
