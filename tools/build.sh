#!/usr/bin/env bash
# Builds the pinned tools into .tools/bin (never committed). Idempotent: a
# binary whose version stamp matches tools/versions.env is not rebuilt.
# Go's module and build caches stay in their default places, so a second
# build on the same machine takes seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=$root/.tools/bin
# shellcheck source=/dev/null
. "$here/versions.env"
mkdir -p "$bin"
export GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0
start=$(date +%s)
built=()

up_to_date() { # name version
  [ -x "$bin/$1" ] && [ "$(cat "$bin/.$1.version" 2>/dev/null)" = "$2" ]
}
stamp() { echo "$2" >"$bin/.$1.version"; built+=("$1"); }

build() { # module-dir name version package [ldflags]
  local dir=$1 name=$2 version=$3 pkg=$4 ldflags=${5:-}
  if up_to_date "$name" "$version"; then return; fi
  echo "building $name $version" >&2
  (cd "$here/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$bin/$name.tmp" "$pkg")
  mv "$bin/$name.tmp" "$bin/$name"
  stamp "$name" "$version"
}

kv=$KUBERNETES_VERSION
minor=${kv#v1.}; minor=${minor%%.*}
kube_ldflags="-X k8s.io/component-base/version.gitVersion=$kv -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=$kv -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"

build etcd etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3
build kwok kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok "-X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION"
build helm helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  build kubernetes "$c" "$kv" "k8s.io/kubernetes/cmd/$c" "$kube_ldflags"
done

elapsed=$(( $(date +%s) - start ))
if [ ${#built[@]} -eq 0 ]; then
  echo "tools: all pinned binaries present in .tools/bin (${elapsed}s)"
else
  echo "tools: built ${built[*]} in ${elapsed}s"
fi
