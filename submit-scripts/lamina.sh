#!/usr/bin/env bash
# Any lamina subcommand in local mode: submit-scripts/lamina.sh bench | train --help | ...
# The Spark master defaults to local[2]; set LAMINA_MASTER to change it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
lamina_build_if_needed
cd "$LAMINA_HOME"
lamina_spark_submit --master "${LAMINA_MASTER:-local[2]}" --class io.lamina.app.cli.LaminaCli "$LAMINA_JAR" "$@"
