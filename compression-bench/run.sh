#!/usr/bin/env bash
# Builds the JMH uber-jar (profile "bench") and runs every compressor benchmark, the streaming sum
# and ND4J's native threshold encoding, one thread, then prints the side-by-side table.
#   compression-bench/run.sh                 # full run: 1M and 10M, -f 1 -wi 3 -i 5 (1 s each)
#   BENCH_QUICK=1 compression-bench/run.sh   # smoke run: 1M only, -wi 1 -i 1
#   BENCH_METHODS=topk,threshold compression-bench/run.sh
# Extra arguments go to the JVM that drives JMH (e.g. -Dbench.sizes=10000000).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && mvn -B -q -o -Pbench -pl compression-bench -am package -DskipTests)
fi
# One native thread for ND4J (its default on 2 cores is ~3x slower here, and it must match the
# single-threaded Java side); the forks JMH starts inherit this environment.
export OMP_NUM_THREADS=1
props=(-Dbench.out="$here/target/bench-results.md")
if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  props+=(-Dbench.sizes=1000000 -Dbench.wi=1 -Dbench.i=1)
fi
if [[ -n "${BENCH_METHODS:-}" ]]; then
  props+=(-Dbench.methods="$BENCH_METHODS")
fi
exec java -Xmx3g "${props[@]}" "$@" -cp "$here/target/benchmarks.jar" io.lamina.compression.bench.RunAll
