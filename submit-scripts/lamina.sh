#!/usr/bin/env bash
# Any lamina subcommand in local mode: submit-scripts/lamina.sh bench | train --help | ...
# Environment: LAMINA_MASTER (the Spark master, default local[2]), LAMINA_SPARK_PROPERTIES (a
# properties file instead of conf/spark-defaults.conf, e.g. a cluster's from standalone-cluster.sh
# start), LAMINA_DRIVER_MEMORY (see common.sh).
# `bench` runs from the bench jar (spark-bench/target/lamina-spark-bench-*-bin.jar: the production
# jar plus DL4J's parameter server, for --shared-training-master) when it exists.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
lamina_build_if_needed
jar=$LAMINA_JAR
if [[ "${1:-}" == bench ]]; then
  bench_jar=$(ls "$LAMINA_HOME"/spark-bench/target/lamina-spark-bench-*-bin.jar 2>/dev/null | head -n 1 || true)
  if [[ -n "$bench_jar" ]]; then jar=$bench_jar; fi
fi
cd "$LAMINA_HOME"
lamina_spark_submit --master "${LAMINA_MASTER:-local[2]}" --class io.lamina.app.cli.LaminaCli "$jar" "$@"
