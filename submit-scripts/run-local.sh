#!/usr/bin/env bash
# Trains LeNet-5 on the embedded Fashion-MNIST subset with 2 workers in local[2] (builds first if
# needed). Extra arguments go to `lamina train`, e.g.:
#   submit-scripts/run-local.sh --data /path/to/fashion-mnist --output runs/full --epochs 5
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
lamina_build_if_needed
cd "$LAMINA_HOME"
lamina_spark_submit --master "local[2]" --class io.lamina.app.cli.LaminaCli "$LAMINA_JAR" train "$@"
