#!/usr/bin/env bash
# Submits a lamina command to Kubernetes with spark-submit, in deploy mode cluster: the driver and
# the executors run in pods from the image built by docker/Dockerfile, whose shaded jar is the
# application (local:///opt/lamina/lamina-spark-app.jar).
#
#   submit-scripts/submit-k8s.sh --master k8s://https://HOST:PORT --image REPO/lamina:TAG [options] [spark-submit options] [--] <lamina subcommand> [its options]
#   e.g. submit-scripts/submit-k8s.sh --master k8s://https://10.0.0.1:6443 --image reg/lamina:0.1 \
#          --conf spark.kubernetes.namespace=ml -- train --data s3a://bucket/fashion --output /runs/a
#
# Everything before the lamina subcommand (or before --) is the script's options or spark-submit's,
# passed through (--conf k=v, ...; a repeated --conf wins over the script's); everything from the
# subcommand on goes to lamina. Script options:
#   --master k8s://https://HOST:PORT  the API server (or LAMINA_MASTER); required
#   --image REPO/lamina:TAG       the driver and executor image (or LAMINA_IMAGE); required
#   --properties-file FILE        instead of conf/k8s.conf (security, memory, service account, volumes)
#   --dry-run                     print the spark-submit command instead of running it
#   -h, --help                    this text
# The driver's --output folder is in its pod: mount a volume there (conf/k8s.conf has an example).
# Environment:
#   SPARK_HOME              a Spark 3.5 install: its bin/spark-submit; unset: the Maven class path (spark-dist)
#   LAMINA_EXECUTOR_MEMORY  executor heap (default 2g); LAMINA_EXECUTOR_OFFHEAP: ND4J's off-heap limit (1g)
#   LAMINA_DRIVER_MEMORY    driver heap (default 4g); LAMINA_DRIVER_OFFHEAP: ND4J's off-heap limit (2g)
#   LAMINA_MASTER, LAMINA_IMAGE, LAMINA_CONF (as --properties-file), LAMINA_DRY_RUN=1 (as --dry-run)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cluster-common.sh"
lamina_cluster_submit k8s "$@"
