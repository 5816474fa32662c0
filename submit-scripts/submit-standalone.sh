#!/usr/bin/env bash
# Submits a lamina command to a Spark standalone cluster with spark-submit (deploy mode client by
# default: the driver and the output folder stay on this machine).
#
#   submit-scripts/submit-standalone.sh --master spark://HOST:7077 [options] [spark-submit options] [--] <lamina subcommand> [its options]
#   e.g. submit-scripts/submit-standalone.sh --master spark://m1:7077 --total-executor-cores 4 -- train --workers 4
#
# Everything before the lamina subcommand (or before --) is the script's options or spark-submit's,
# passed through (--total-executor-cores 4, --conf k=v, ...; a repeated --conf wins over the
# script's); everything from the subcommand on goes to lamina. Script options:
#   --master spark://HOST:PORT    the standalone Master (or LAMINA_MASTER); required
#   --deploy-mode client|cluster  client (default); in cluster mode a Worker runs the driver, and the
#                                 jar's path must exist on every Worker
#   --properties-file FILE        instead of conf/standalone.conf (security, memory, locality settings)
#   --dry-run                     print the spark-submit command instead of running it
#   -h, --help                    this text
# Environment:
#   SPARK_HOME              a Spark 3.5 install: its bin/spark-submit; unset: the Maven class path (spark-dist)
#   LAMINA_EXECUTOR_MEMORY  executor heap (default 2g); LAMINA_EXECUTOR_OFFHEAP: ND4J's off-heap limit (1g)
#   LAMINA_DRIVER_MEMORY    driver heap (default 4g); LAMINA_DRIVER_OFFHEAP: ND4J's off-heap limit (2g)
#   LAMINA_MASTER, LAMINA_CONF (as --properties-file), LAMINA_DRY_RUN=1 (as --dry-run)
# With spark.authenticate on (conf/standalone.conf), give the cluster's shared secret, e.g.
# --conf spark.authenticate.secret="$(cat ~/.spark-secret)", or keep it in the properties file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cluster-common.sh"
lamina_cluster_submit standalone "$@"
