#!/usr/bin/env bash
# A real multi-process Spark standalone cluster on loopback, without a Spark tarball: a Master and
# N Workers started from the Spark class path (spark-dist), then `lamina train` submitted to it with
# spark-submit in client mode. Everything it starts is stopped at the end, by PID.
#
#   submit-scripts/standalone-cluster.sh [--workers N] [--] [lamina train options...]
#
# Environment: LAMINA_CLUSTER_DIR (scratch folder, default: a new temp dir),
# LAMINA_EXECUTOR_MEMORY (default 1g), LAMINA_MASTER_PORT (default: a free port).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
workers=2
if [[ "${1:-}" == "--workers" ]]; then workers=$2; shift 2; fi
if [[ "${1:-}" == "--" ]]; then shift; fi
lamina_build_if_needed

dir=${LAMINA_CLUSTER_DIR:-$(mktemp -d -t lamina-cluster-XXXXXX)}
mkdir -p "$dir/spark-home/jars" "$dir/logs" "$dir/work"
# SPARK_HOME stand-in: a RELEASE file and jars/ linking the Spark jars from the Maven repository.
echo "Spark 3.5.9 (Lamina spark-dist class path)" > "$dir/spark-home/RELEASE"
IFS=':' read -r -a cp_entries <<< "$SPARK_CLASSPATH"
for j in "${cp_entries[@]}"; do ln -sf "$j" "$dir/spark-home/jars/$(basename "$j")"; done
export SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.12

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
master_port=${LAMINA_MASTER_PORT:-$(free_port)}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# shellcheck disable=SC2086
java $SPARK_JAVA_FLAGS -Xmx512m -cp "$SPARK_CLASSPATH" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$master_port" --webui-port 0 > "$dir/logs/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do grep -q "I have been elected leader" "$dir/logs/master.log" 2>/dev/null && break; sleep 0.5; done
grep -q "I have been elected leader" "$dir/logs/master.log" || { echo "standalone master did not start; see $dir/logs/master.log" >&2; exit 1; }
for i in $(seq 1 "$workers"); do
  # shellcheck disable=SC2086
  java $SPARK_JAVA_FLAGS -Xmx256m -cp "$SPARK_CLASSPATH" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --webui-port 0 --cores 1 --memory "${LAMINA_EXECUTOR_MEMORY:-1g}" --work-dir "$dir/work" \
    "spark://127.0.0.1:$master_port" > "$dir/logs/worker$i.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 60); do
  n=$(grep -c "Registering worker" "$dir/logs/master.log" 2>/dev/null || true)
  [[ "$n" -ge "$workers" ]] && break; sleep 0.5
done
echo "lamina: standalone cluster at spark://127.0.0.1:$master_port with $workers workers (logs: $dir/logs)" >&2

cd "$LAMINA_HOME"
lamina_spark_submit --master "spark://127.0.0.1:$master_port" --deploy-mode client \
  --conf spark.executor.memory="${LAMINA_EXECUTOR_MEMORY:-1g}" --conf spark.executor.cores=1 --conf spark.cores.max="$workers" \
  --conf "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector -Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=3G" \
  --class io.lamina.app.cli.LaminaCli "$LAMINA_JAR" train --workers "$workers" "$@"
