# sdm: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
NODE_FLAGS := --disable-warning=ExperimentalWarning

.PHONY: help deps tools generate check lint typecheck test test-unit test-integration demo bench bundle clean

help:
	@echo "make demo   build what is missing, start a local control plane, run the platform on it"
	@echo "make test   install everything from nothing and run every test"
	@echo "make tools  build the pinned Kubernetes, etcd, kwok and helm binaries into .tools/bin"
	@echo "make bench  run the benchmarks (ratios against a floor measured in the same run)"
	@echo "make generate  rewrite generated files (CRDs from src/apis, their copies in charts)"
	@echo "make bundle the operator and the CLI bundled into dist/ (what the image runs: node dist/sdm.js)"
	@echo "make clean  stop local control planes, remove build output (keeps Go caches)"

# node_modules is refreshed when the lock file changes; it brings Node 24 too
# (the registry's `node` package). `npm ci` installs exactly the lock file and
# never rewrites it, so a fresh clone stays clean; the lock lists every
# platform's variant of biome's optional native package, which `npm ci` needs.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@
deps: node_modules/.installed

tools:
	@bash tools/build.sh

# Everything generated from source: CRD YAML from src/apis and the copies
# charts carry. Unit tests fail when the committed files are stale.
generate: deps
	node $(NODE_FLAGS) src/apis/generate.ts

typecheck: deps
	tsc -p tsconfig.json

lint: deps
	biome check src test bench tools

check: typecheck lint

test-unit: deps
	node $(NODE_FLAGS) --test --test-concurrency=2 'test/unit/**/*.test.ts'

test-integration: deps tools
	node $(NODE_FLAGS) --test --test-concurrency=2 --test-timeout=900000 'test/integration/**/*.test.ts'

test: deps tools check test-unit test-integration

demo: deps tools
	bin/sdm demo

# The operator and the CLI as a few bundled files (tools/bundle.ts), what the
# image runs: a third to a half of the start-up CPU and about three quarters of
# the RSS of running from source (bench/memory/operator.ts with
# SDM_BENCH_ENTRY=operator-main,bundle).
bundle: deps
	node $(NODE_FLAGS) tools/bundle.ts

bench: deps tools
	node $(NODE_FLAGS) bench/run.ts

clean:
	-bin/sdm dev-cluster down --all
	rm -rf .tools dist .sdm
