#!/usr/bin/env bash
# A real multi-process Spark standalone cluster on loopback, without a Spark tarball: a Master and
# N Workers started from the Spark class path (spark-dist). The cluster authenticates every
# connection with a secret generated for it (spark.authenticate, 32 random bytes) and encrypts its
# RPC traffic (spark.network.crypto.enabled): an application without the secret is refused.
#
#   submit-scripts/standalone-cluster.sh [--workers N] [--] [lamina train options...]
#       starts a cluster, submits `lamina train` to it (spark-submit, client mode), stops the cluster
#   submit-scripts/standalone-cluster.sh start [--workers N]
#       starts a cluster and leaves it running; prints its MASTER_URL, SPARK_PROPERTIES (the
#       application's properties file, holding the secret) and CLUSTER_DIR. Submit to it with
#       LAMINA_MASTER=<MASTER_URL> LAMINA_SPARK_PROPERTIES=<SPARK_PROPERTIES> submit-scripts/lamina.sh train ...
#   submit-scripts/standalone-cluster.sh stop CLUSTER_DIR
#       stops the processes that `start` started, by PID
#
# The secret never appears on a command line (ps): the daemons and the application read it from
# properties files under CLUSTER_DIR/conf (mode 600), and the Workers hand it to executors in their
# environment, as Spark does.
#
# Environment: LAMINA_CLUSTER_DIR (scratch folder, default: a new temp dir),
# LAMINA_EXECUTOR_MEMORY (default 1g), LAMINA_MASTER_PORT (default: a free port),
# LAMINA_DRIVER_MEMORY (see common.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { sed -n '7,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Kills the cluster's daemons listed in $1/pids (each checked to be a Spark daemon first, so that a
# reused PID is left alone). The Workers stop their executors as they exit.
stop_cluster() {
  local dir=$1 pid
  [[ -f "$dir/pids" ]] || return 0
  while read -r pid; do
    if ps -p "$pid" -o args= 2>/dev/null | grep -q 'org.apache.spark.deploy.\(master.Master\|worker.Worker\)'; then
      kill "$pid" 2>/dev/null || true
    fi
  done < "$dir/pids"
  for _ in $(seq 1 40); do
    local alive=0
    while read -r pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$dir/pids"
    [[ $alive == 0 ]] && break; sleep 0.25
  done
  rm -f "$dir/pids"
}

# Starts the Master and $2 Workers under folder $1 and writes its conf/ (the secret), pids and
# master-url. Returns once every Worker has registered.
start_cluster() {
  local dir=$1 workers=$2
  mkdir -p "$dir/spark-home/jars" "$dir/logs" "$dir/work"
  # SPARK_HOME stand-in: a RELEASE file and jars/ linking the Spark jars from the Maven repository.
  echo "Spark 3.5.9 (Lamina spark-dist class path)" > "$dir/spark-home/RELEASE"
  local cp_entries j
  IFS=':' read -r -a cp_entries <<< "$SPARK_CLASSPATH"
  for j in "${cp_entries[@]}"; do ln -sf "$j" "$dir/spark-home/jars/$(basename "$j")"; done

  local secret master_port
  secret=$(od -An -vtx1 -N32 /dev/urandom | tr -d ' \n')
  [[ ${#secret} == 64 ]] || { echo "could not read 32 random bytes from /dev/urandom" >&2; exit 1; }
  master_port=${LAMINA_MASTER_PORT:-$(free_port)}
  (
    umask 077
    mkdir -p "$dir/conf"
    rm -f "$dir/conf/daemons.conf" "$dir/conf/app.conf"
    # The Master and Workers: the secret; no kill buttons in their (unauthenticated) web UIs.
    { security_properties "$secret"
      echo "spark.ui.killEnabled false"
      echo "spark.master.rest.enabled false"
    } > "$dir/conf/daemons.conf"
    # The application: Lamina's spark-defaults.conf, the secret, and the executors' shape.
    { grep -v '^spark.executor.extraJavaOptions' "$LAMINA_HOME/conf/spark-defaults.conf"
      echo
      echo "# standalone-cluster.sh: this cluster's secret and executors"
      security_properties "$secret"
      echo "spark.executor.memory ${LAMINA_EXECUTOR_MEMORY:-1g}"
      echo "spark.executor.cores 1"
      echo "spark.cores.max $workers"
      echo "spark.executor.extraJavaOptions --add-modules=jdk.incubator.vector -Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=3G"
    } > "$dir/conf/app.conf"
  )
  echo "spark://127.0.0.1:$master_port" > "$dir/master-url"
  : > "$dir/pids"

  export SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.12
  # shellcheck disable=SC2086
  java $SPARK_JAVA_FLAGS -Xmx512m -cp "$SPARK_CLASSPATH" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$master_port" --webui-port 0 --properties-file "$dir/conf/daemons.conf" \
    < /dev/null > "$dir/logs/master.log" 2>&1 &
  echo $! >> "$dir/pids"
  for _ in $(seq 1 60); do grep -q "I have been elected leader" "$dir/logs/master.log" 2>/dev/null && break; sleep 0.5; done
  grep -q "I have been elected leader" "$dir/logs/master.log" || { echo "standalone master did not start; see $dir/logs/master.log" >&2; exit 1; }
  local i
  for i in $(seq 1 "$workers"); do
    # shellcheck disable=SC2086
    java $SPARK_JAVA_FLAGS -Xmx256m -cp "$SPARK_CLASSPATH" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --webui-port 0 --cores 1 --memory "${LAMINA_EXECUTOR_MEMORY:-1g}" --work-dir "$dir/work" \
      --properties-file "$dir/conf/daemons.conf" "spark://127.0.0.1:$master_port" \
      < /dev/null > "$dir/logs/worker$i.log" 2>&1 &
    echo $! >> "$dir/pids"
  done
  local n=0
  for _ in $(seq 1 60); do
    n=$(grep -c "Registering worker" "$dir/logs/master.log" 2>/dev/null || true)
    [[ "$n" -ge "$workers" ]] && break; sleep 0.5
  done
  [[ "$n" -ge "$workers" ]] || { echo "only $n of $workers workers registered; see $dir/logs" >&2; exit 1; }
  echo "lamina: standalone cluster at spark://127.0.0.1:$master_port with $workers workers, authenticated and" \
    "encrypted (logs: $dir/logs)" >&2
}

security_properties() {
  echo "spark.authenticate true"
  echo "spark.authenticate.secret $1"
  echo "spark.network.crypto.enabled true"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

new_cluster_dir() {
  local dir=${LAMINA_CLUSTER_DIR:-$(mktemp -d -t lamina-cluster-XXXXXX)}
  mkdir -p "$dir" && chmod 700 "$dir"
  (cd "$dir" && pwd)
}

mode=run
case "${1:-}" in
  start) mode=start; shift ;;
  stop) [[ $# == 2 ]] || usage; stop_cluster "$2"; exit 0 ;;
  -h|--help) usage ;;
esac
workers=2
if [[ "${1:-}" == "--workers" ]]; then
  [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "--workers needs a positive number, got '${2:-}'" >&2; exit 2; }
  workers=$2; shift 2
fi
if [[ $mode == start ]]; then
  [[ $# == 0 ]] || usage
  lamina_build_if_needed
  dir=$(new_cluster_dir)
  trap 'stop_cluster "$dir"' EXIT # only if it fails to start
  start_cluster "$dir" "$workers"
  trap - EXIT
  echo "MASTER_URL=$(cat "$dir/master-url")"
  echo "SPARK_PROPERTIES=$dir/conf/app.conf"
  echo "CLUSTER_DIR=$dir"
  exit 0
fi

if [[ "${1:-}" == "--" ]]; then shift; fi
lamina_build_if_needed
dir=$(new_cluster_dir)
trap 'stop_cluster "$dir"' EXIT
start_cluster "$dir" "$workers"
cd "$LAMINA_HOME"
LAMINA_SPARK_PROPERTIES="$dir/conf/app.conf" lamina_spark_submit --master "$(cat "$dir/master-url")" \
  --deploy-mode client --class io.lamina.app.cli.LaminaCli "$LAMINA_JAR" train --workers "$workers" "$@"
