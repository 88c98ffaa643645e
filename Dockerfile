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
# V8 sized for a long-running controller, not for throughput: a small young
# generation (4 MiB semi-spaces instead of up to 32) and memory-lean GC
# heuristics. bench/memory/operator.ts, bundled, --controllers=clusterregistry
# (single runs on a shared 2-core machine): RSS after a 1,000-object sync and
# 30 s of 50 changes/s 98-102 MiB with these flags against 126 without, idle
# 87 against 90, sync no slower; 1 MiB semi-spaces gave 101 / 85, within the
# noise, so 4 stays (fewer scavenges under load). With these flags, the same
# run from source: start-up 1.12 CPU-s, idle 114, loaded 124 MiB; bundled:
# 0.39 CPU-s, 87, 98 (all controllers: 1.41 / 124 / 132 against 0.74 / 92 / 106).
# dist/sdm.js runs dist/operator-main.js for `operator` (only the operator's
# code) and dist/main.js for any other command, as bin/sdm does from source.
ENTRYPOINT ["node", "--disable-warning=ExperimentalWarning", "--max-semi-space-size=4", "--optimize-for-size", "/app/dist/sdm.js"]
CMD ["operator"]
