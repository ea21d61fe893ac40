# jsonprobe — run `make help` for the targets.
GO        ?= go
FUZZTIME  ?= 1m
BENCHTIME ?= 1s
# A plugin starts thousands of times a day, so the build leaves out what a
# probe does not use: urfave_cli_no_docs drops urfave/cli's man-page and
# markdown generators (and their init work); netgo and osusergo use Go's own
# DNS resolver and user lookup instead of the C library's, which makes a
# static binary that starts without the dynamic loader. See
# docs/performance.md, "Building", for what that saves.
TAGS      ?= urfave_cli_no_docs,netgo,osusergo
BIN       := jsonprobe
PKG       := .
# The version --version prints, the .deb's too: packaging/version.sh (from
# git describe: a tag, commits since, the commit; +dirty for a changed tree).
VERSION   ?= $(shell bash packaging/version.sh 2>/dev/null || echo dev)
LDFLAGS   := -X main.buildVersion=$(VERSION)
# The .deb's architectures.
DEB_ARCHES ?= amd64 arm64
# jsonprobe serve runs the exporter, a binary of its own beside jsonprobe:
# the plugin does not link (nor start up) the Prometheus client.
EXPORTER   = $(dir $(BIN))jsonprobe-exporter

.PHONY: help build test race lint fuzz bench profile demo integration man man-test deb deb-test clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: ## build ./jsonprobe and ./jsonprobe-exporter beside it (or BIN=path; PKG=./bench/floor builds another command alike)
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o "$(BIN)" $(PKG)
	@if [ "$(PKG)" = "." ]; then $(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o "$(EXPORTER)" ./cmd/jsonprobe-exporter; fi

test: ## run every test (unit, golden, testscript, examples)
	$(GO) test -tags $(TAGS) -count=1 -p 1 ./...

race: ## every package's tests under the race detector: the command, the engine its goroutines share, the front-ends (needs cgo: gcc)
	$(GO) test -race -tags $(TAGS) -count=1 ./...

lint: ## gofmt check, go vet, staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(GO) vet -tags integration,$(TAGS) ./integration/
	$(GO) tool staticcheck -tags $(TAGS) ./...
	$(GO) tool staticcheck -tags integration,$(TAGS) ./integration/
	$(GO) vet -tags gendocs,netgo,osusergo . ./cmd/jsonprobe-exporter/ ./internal/clidocs/
	$(GO) tool staticcheck -tags gendocs,netgo,osusergo . ./cmd/jsonprobe-exporter/ ./internal/clidocs/

fuzz: ## run every fuzz target for FUZZTIME each (default 1m)
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -tags $(TAGS) $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME); \
	  done; \
	done

bench: ## Go benchmarks, bench/compare.sh against curl|jq and check_http (BENCHMARKS.md), bench/exporter.sh against blackbox and json_exporter (BENCHMARKS-exporter.md)
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...
	bash bench/compare.sh
	bash bench/exporter.sh

profile: ## bench/profile.sh: where one health check's time goes, beside the Go floor and check_http (writes PROFILE.md)
	bash bench/profile.sh

demo: ## probe a built-in sample health endpoint
	$(GO) run -tags $(TAGS) . demo

integration: ## run jsonprobe under real Nagios 4, Icinga 2, Prometheus and tmux (installs them with apt-get when missing)
	@if ! command -v nagios4 >/dev/null || ! command -v icinga2 >/dev/null || ! command -v prometheus >/dev/null || ! command -v tmux >/dev/null; then \
	  echo "installing nagios4-core, icinga2-bin, prometheus and tmux with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nagios4-core icinga2-bin prometheus tmux; \
	fi
	$(GO) test -tags integration,$(TAGS) -count=1 ./integration/

man: ## the man pages and bash, zsh and fish completions, generated from the command definitions, in build/man
	GO=$(GO) bash packaging/man.sh

man-test: ## the man pages through man --warnings (every option named), the completions through bash and fish (installs man-db and fish with apt-get when missing)
	@if ! command -v man >/dev/null || ! command -v fish >/dev/null; then \
	  echo "installing man-db and fish with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends man-db fish; \
	fi
	$(GO) test -tags gendocs,netgo,osusergo -count=1 -run '^TestDocs' . ./cmd/jsonprobe-exporter/

deb: man ## build/jsonprobe_VERSION_ARCH.deb for DEB_ARCHES (amd64 arm64) with nfpm (go tool nfpm)
	GO=$(GO) TAGS=$(TAGS) VERSION=$(VERSION) bash packaging/deb.sh $(DEB_ARCHES)

deb-test: ## lintian on build/*.deb, then install this machine's, run make integration on the installed files, remove and purge it (root; apt-get)
	GO=$(GO) bash packaging/test.sh build/jsonprobe_*.deb

clean: ## remove build output
	rm -rf jsonprobe jsonprobe-exporter build
