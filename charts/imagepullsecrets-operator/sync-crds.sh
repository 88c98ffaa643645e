#!/usr/bin/env bash
# Helm installs a chart's crds/ first and can only read files inside the
# chart, so the generated CRDs (charts/crds/, from src/apis) are copied here.
# Run after `node src/apis/generate.ts`; test/unit/imagepullsecrets/chart.test.ts
# fails when a copy is stale.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for group in images.banzaicloud.io images.cisco.com; do
  cp "$here/../crds/imagepullsecrets.$group.yaml" "$here/crds/"
done
