#!/usr/bin/env bash
# Regenerates tools/*/go.mod and go.sum from tools/versions.env.
# k8s.io/kubernetes can not be required as is: its go.mod points every staging
# module (k8s.io/api, k8s.io/client-go, ...) at ./staging. We read that list out
# of the downloaded go.mod and replace each with its published v0.Y.Z twin, so a
# new release never needs a hand-edited list.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$here/versions.env"
export GOFLAGS=-mod=mod

pin_kubernetes() {
  local dir=$here/kubernetes v=$KUBERNETES_VERSION staging_v
  staging_v="v0.${v#v1.}"
  local modfile
  modfile=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  {
    echo "module sdm.local/tools/kubernetes"
    echo
    echo "go 1.26"
    echo
    echo "require k8s.io/kubernetes $v"
    echo
    echo "tool ("
    for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do echo "	k8s.io/kubernetes/cmd/$c"; done
    echo ")"
    echo
    echo "replace ("
    grep -E '^\s*k8s\.io/[^ ]+ => \./staging/' "$modfile" | awk -v sv="$staging_v" '{print "\t" $1 " => " $1 " " sv}'
    echo ")"
  } >"$dir/go.mod"
  (cd "$dir" && go mod tidy)
}

pin_simple() { # dir module version main-package...
  local name=$1 dir=$here/$1 mod=$2 v=$3; shift 3
  {
    echo "module sdm.local/tools/$name"
    echo
    echo "go 1.26"
    echo
    echo "require $mod $v"
    echo
    echo "tool ("
    for p in "$@"; do echo "	$p"; done
    echo ")"
  } >"$dir/go.mod"
  (cd "$dir" && go mod tidy)
}

mkdir -p "$here/kubernetes" "$here/etcd" "$here/kwok" "$here/helm"
case "${1:-all}" in
  kubernetes|all) pin_kubernetes ;;&
  etcd|all) pin_simple etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 ;;&
  kwok|all) pin_simple kwok sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok ;;&
  helm|all) pin_simple helm helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm ;;
esac
