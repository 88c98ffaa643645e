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

# ---- Apache Kafka from Maven Central, for local brokers (src/devcluster/kafka*.ts) ----
# The broker jar and its runtime dependencies go to .tools/kafka/libs. Then one
# broker is started once with -XX:ArchiveClassesAtExit: the class-data-sharing
# archive it leaves (.tools/kafka/kafka.jsa) saves every later broker about a
# second of start-up. The JVM flags must match the launcher's (kafka-broker.ts).
kafka=$root/.tools/kafka
kafka_jvm=(-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "tools: $tool not found; local Kafka brokers need Java 17+ and Maven 3" >&2; exit 1; }
done
if [ ! -d "$kafka/libs" ] || [ "$(cat "$kafka/.version" 2>/dev/null)" != "$KAFKA_VERSION" ]; then
  echo "fetching kafka $KAFKA_VERSION from Maven Central" >&2
  mkdir -p "$kafka"
  rm -rf "$kafka/libs.tmp" "$kafka/kafka.jsa" "$kafka/.jsa.version"
  if ! (cd "$here/kafka" && mvn -q -B -Dstyle.color=never -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DoutputDirectory="$kafka/libs.tmp") >"$kafka/mvn.log" 2>&1; then
    cat "$kafka/mvn.log" >&2
    exit 1
  fi
  rm -rf "$kafka/libs"
  mv "$kafka/libs.tmp" "$kafka/libs"
  echo "$KAFKA_VERSION" >"$kafka/.version"
  built+=(kafka)
fi

free_port() { # a loopback port nothing listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
}

kafka_cds_archive() { # stamp
  local work p c log pid
  work=$(mktemp -d)
  p=$(free_port)
  c=$(free_port)
  while [ "$c" = "$p" ]; do c=$(free_port); done
  log=$work/broker.log
  printf '%s\n' \
    'process.roles=broker,controller' 'node.id=0' "controller.quorum.voters=0@127.0.0.1:$c" \
    "listeners=PLAINTEXT://127.0.0.1:$p,CONTROLLER://127.0.0.1:$c" 'controller.listener.names=CONTROLLER' \
    "log.dirs=$work/data" 'offsets.topic.replication.factor=1' 'transaction.state.log.replication.factor=1' \
    'transaction.state.log.min.isr=1' 'log.cleaner.dedupe.buffer.size=8388608' >"$work/server.properties"
  java "${kafka_jvm[@]}" -cp "$kafka/libs/*" kafka.tools.StorageTool format \
    -t "$(java -cp "$kafka/libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null)" \
    -c "$work/server.properties" >"$work/format.log" 2>&1
  java -XX:ArchiveClassesAtExit="$kafka/kafka.jsa.tmp" "${kafka_jvm[@]}" -cp "$kafka/libs/*" \
    kafka.Kafka "$work/server.properties" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q 'Kafka Server started' "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  if [ -s "$kafka/kafka.jsa.tmp" ]; then
    mv "$kafka/kafka.jsa.tmp" "$kafka/kafka.jsa"
    echo "$1" >"$kafka/.jsa.version"
    built+=(kafka.jsa)
    rm -rf "$work"
  else
    # Only start-up is slower without it: the launcher then runs without the archive.
    echo "kafka: no class-data archive written; last lines of $log:" >&2
    tail -5 "$log" >&2
    rm -f "$kafka/kafka.jsa.tmp"
  fi
}
jsa_stamp="$KAFKA_VERSION $(java -version 2>&1 | head -1)"
if [ ! -f "$kafka/kafka.jsa" ] || [ "$(cat "$kafka/.jsa.version" 2>/dev/null)" != "$jsa_stamp" ]; then
  echo "writing the kafka class-data archive" >&2
  kafka_cds_archive "$jsa_stamp"
fi

elapsed=$(( $(date +%s) - start ))
if [ ${#built[@]} -eq 0 ]; then
  echo "tools: all pinned binaries present in .tools/bin (${elapsed}s)"
else
  echo "tools: built ${built[*]} in ${elapsed}s"
fi
