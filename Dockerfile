# The sdm image: every controller (`sdm operator --controllers=...`) and the CLI.
# helm is built from the same pinned module as the tests use (tools/helm), since
# the installer renders charts with `helm template`.
FROM golang:1.26 AS helm
WORKDIR /src
COPY tools/versions.env ./
COPY tools/helm/ ./helm/
RUN . ./versions.env && cd helm && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" -o /out/helm helm.sh/helm/v3/cmd/helm

# The operator and the CLI bundled by esbuild (tools/bundle.ts; `make bundle`
# runs the same script): a few files instead of ~900 source modules.
FROM node:24-slim AS bundle
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src/ ./src/
COPY tools/bundle.ts ./tools/
RUN node --disable-warning=ExperimentalWarning tools/bundle.ts

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production SDM_HELM=/usr/local/bin/helm
COPY --from=helm /out/helm /usr/local/bin/helm
# Production node_modules: what the bundle requires at run time rather than
# holding (@platformatic/kafka, @peculiar/x509 and reflect-metadata, loaded
# by the controllers that use them); dist/ finds them from /app/dist, and
# charts/ under /app, the directory of sdm's package.json.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=bundle /src/dist/ ./dist/
COPY charts/ ./charts/
# Bundled modules compiled once here: the operator starts from the cache
# (loading every controller's code, `sdm operator --list`: 0.14 CPU-s with it
# against 0.18 without, median of 5).
ENV NODE_COMPILE_CACHE=/app/.node-compile-cache
RUN node dist/sdm.js operator --list > /dev/null
USER node
# Sized for a long-running controller that mostly waits, not for throughput
# (bench/memory/operator.ts, bundled, --controllers=clusterregistry, single runs
# on a shared 2-core machine, same run for each pair):
# - 4 MiB semi-spaces (instead of up to 32) and memory-lean GC heuristics:
#   RSS after a 1,000-object sync and 30 s of changes 98-102 MiB against 126.
# - MALLOC_ARENA_MAX=2: glibc otherwise gives each GC/libuv thread its own
#   malloc arena; idle 81 MiB against 85.
# - --lite-mode (no optimizing compiler): idle 72-73 against 81-82 MiB, loaded
#   78-84 against 90-96, and start-up unchanged (0.21 CPU-s), but CPU-bound work
#   is about 1.5x slower (2,000 objects synced in 7.6-10.8 s against 5.0-7.0).
#   Within 2x of the Go cluster-registry-controller's RSS (38 idle / 66 loaded)
#   and still several times faster than it (49 s per 1,000 objects). For
#   throughput instead, run the container with
#   command: ["node", "/app/dist/sdm.js"] (the flags below are dropped).
# dist/sdm.js runs dist/operator-main.js for `operator` (only the operator's
# code) and dist/main.js for any other command, as bin/sdm does from source.
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["node", "--disable-warning=ExperimentalWarning", "--max-semi-space-size=4", "--optimize-for-size", "--lite-mode", "/app/dist/sdm.js"]
CMD ["operator"]
