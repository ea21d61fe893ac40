# jsonprobe — run `make help` for the targets.
GO        ?= go
FUZZTIME  ?= 1m
BENCHTIME ?= 1s

.PHONY: help build test lint fuzz bench demo integration clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: ## build ./jsonprobe
	$(GO) build -o jsonprobe .

test: ## run every test (unit, golden, testscript, examples)
	$(GO) test -count=1 ./...

lint: ## gofmt check, go vet, staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags integration ./integration/
	$(GO) tool staticcheck ./...
	$(GO) tool staticcheck -tags integration ./integration/

fuzz: ## run every fuzz target for FUZZTIME each (default 1m)
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME); \
	  done; \
	done

bench: ## run the benchmarks with allocation counts
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

demo: ## probe a built-in sample health endpoint
	$(GO) run . demo

integration: ## run jsonprobe under real Nagios 4 and Icinga 2 (installs them with apt-get when missing)
	@if ! command -v nagios4 >/dev/null || ! command -v icinga2 >/dev/null; then \
	  echo "installing nagios4-core and icinga2-bin with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nagios4-core icinga2-bin; \
	fi
	$(GO) test -tags integration -count=1 ./integration/

clean: ## remove build output
	rm -f jsonprobe
