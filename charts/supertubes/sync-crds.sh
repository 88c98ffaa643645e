#!/usr/bin/env bash
# Helm installs a chart's crds/ first and can only read files inside the
# chart, so the generated CRDs (charts/crds/, from src/apis) are copied here.
# Run after `node src/apis/generate.ts`; test/unit/kafkatopic/chart.test.ts
# fails when a copy is stale.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for crd in kafkatopics.kafka.strimzi.io kafkaconnections.kafka.sdm.dev; do
  cp "$here/../crds/$crd.yaml" "$here/crds/"
done
