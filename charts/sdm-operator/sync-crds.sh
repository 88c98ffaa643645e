#!/usr/bin/env bash
# Helm installs a chart's crds/ first and can only read files inside the
# chart, so the generated CRD (charts/crds/, from src/apis) is copied here.
# Run after `node src/apis/generate.ts`; test/unit/installer/chart.test.ts
# fails when the copy is stale.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cp "$here/../crds/applicationmanifests.supertubes.banzaicloud.io.yaml" "$here/crds/"
