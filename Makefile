# sdm: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
NODE_FLAGS := --disable-warning=ExperimentalWarning

.PHONY: help deps tools check lint typecheck test test-unit test-integration demo bench clean

help:
	@echo "make demo   build what is missing, start a local control plane, run the platform on it"
	@echo "make test   install everything from nothing and run every test"
	@echo "make tools  build the pinned Kubernetes, etcd, kwok and helm binaries into .tools/bin"
	@echo "make bench  run the benchmarks (ratios against a floor measured in the same run)"
	@echo "make clean  stop local control planes, remove build output (keeps Go caches)"

# node_modules is refreshed when the lock file changes; it brings Node 24 too
# (the registry's `node` package). `npm install` rather than `npm ci`: npm
# 11.19's `ci` rejects the lock file it wrote itself, because it records only
# this platform's variant of biome's optional native packages. With the lock
# present, `npm install` installs exactly the locked versions.
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@
deps: node_modules/.installed

tools:
	@bash tools/build.sh

typecheck: deps
	tsc -p tsconfig.json

lint: deps
	biome check src test bench

check: typecheck lint

test-unit: deps
	node $(NODE_FLAGS) --test --test-concurrency=2 'test/unit/**/*.test.ts'

test-integration: deps tools
	node $(NODE_FLAGS) --test --test-concurrency=2 --test-timeout=900000 'test/integration/**/*.test.ts'

test: deps tools check test-unit test-integration

demo: deps tools
	bin/sdm demo

bench: deps tools
	node $(NODE_FLAGS) bench/run.ts

clean:
	-bin/sdm dev-cluster down --all
	rm -rf .tools dist .sdm
