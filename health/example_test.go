package health_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"time"

	"github.com/jsonprobe/jsonprobe/health"
)

func ExampleHandler() {
	mux := http.NewServeMux()
	mux.Handle(health.Path, health.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := http.Get(srv.URL + health.Path)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var doc health.Document
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println("status:", doc.Status)
	fmt.Println("goroutines counted:", doc.Goroutines > 0)
	// Output:
	// 200 application/json
	// status: ok
	// goroutines counted: true
}

func ExampleWithStatus() {
	db := errors.New("database: connection refused") // what a ping would return
	h := health.Handler(health.WithStatus(func(ctx context.Context) error { return db }))
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var doc health.Document
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, doc.Status)
	// Output:
	// 503 database: connection refused
}

func ExampleRegister() {
	mux := http.NewServeMux()
	health.Register(mux,
		health.WithAllowedNetworks(netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")),
		health.WithBearerToken("s3cret"), // in a service: os.Getenv("HEALTH_TOKEN")
	)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, tc := range []struct{ path, token string }{
		{health.Path, ""},
		{health.Path, "s3cret"},
		{health.GoroutinePath + "?debug=1", "s3cret"},
	} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
		if err != nil {
			panic(err)
		}
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		says := resp.Header.Get("Content-Type")
		if resp.StatusCode == http.StatusUnauthorized {
			says = "WWW-Authenticate: " + resp.Header.Get("WWW-Authenticate")
		}
		fmt.Printf("%s (token %q): %d, %s\n", tc.path, tc.token, resp.StatusCode, says)
	}
	// Output:
	// /api/monitor/health (token ""): 401, WWW-Authenticate: Bearer realm="health"
	// /api/monitor/health (token "s3cret"): 200, application/json
	// /debug/pprof/goroutine?debug=1 (token "s3cret"): 200, text/plain; charset=utf-8
}

func ExampleLog() {
	// In a service, beside its server:
	//
	//	go health.Log(ctx, slog.Default(), 30*time.Second)
	//
	// Here the context is done already, so Log writes its first record and
	// returns; the time is fixed and the live figures are written N, so that
	// the output is the same on every run.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug, // a count of at most 2000 is logged at Debug
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			switch {
			case a.Key == slog.TimeKey && len(groups) == 0:
				return slog.Time(a.Key, time.Date(2025, 10, 27, 10, 30, 0, 0, time.UTC))
			case a.Value.Kind() == slog.KindInt64 || a.Value.Kind() == slog.KindUint64:
				return slog.String(a.Key, "N")
			}
			return a
		},
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	health.Log(ctx, logger, 30*time.Second)
	health.Log(ctx, logger, 30*time.Second, health.WithThresholds(0, 1_000_000))
	health.Log(ctx, logger, 30*time.Second, health.WithThresholds(0, 0))
	// Output:
	// time=2025-10-27T10:30:00.000Z level=DEBUG msg="goroutine count" goroutines=N memory.alloc_mb=N memory.total_alloc_mb=N memory.sys_mb=N memory.num_gc=N
	// time=2025-10-27T10:30:00.000Z level=WARN msg="goroutine count elevated" goroutines=N memory.alloc_mb=N memory.total_alloc_mb=N memory.sys_mb=N memory.num_gc=N
	// time=2025-10-27T10:30:00.000Z level=ERROR msg="high goroutine count" goroutines=N memory.alloc_mb=N memory.total_alloc_mb=N memory.sys_mb=N memory.num_gc=N
}
