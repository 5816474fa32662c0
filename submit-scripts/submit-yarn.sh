#!/usr/bin/env bash
# Submits a lamina command to a YARN cluster with spark-submit (deploy mode client by default:
# the driver, and the output folder, stay on this machine; executors run in YARN containers).
#
#   submit-scripts/submit-yarn.sh [options] [spark-submit options] [--] <lamina subcommand> [its options]
#   e.g. submit-scripts/submit-yarn.sh --num-executors 4 -- train --workers 4 --model lenet --compressor topk:0.01
#
# Everything before the lamina subcommand (or before --) is the script's options or spark-submit's,
# passed through (--num-executors 4, --conf k=v, --queue q, ...; a repeated --conf wins over the
# script's); everything from the subcommand on goes to lamina. Script options:
#   --master yarn                 the only master here (the ResourceManager comes from HADOOP_CONF_DIR)
#   --deploy-mode client|cluster  client (default) keeps the driver and --output here; in cluster mode
#                                 the driver and its output folder live in a YARN container
#   --properties-file FILE        instead of conf/yarn.conf (security, memory, locality settings)
#   --dry-run                     print the spark-submit command instead of running it
#   -h, --help                    this text
# Environment:
#   HADOOP_CONF_DIR (or YARN_CONF_DIR)  folder of the cluster's yarn-site.xml and core-site.xml (required)
#   SPARK_HOME              a Spark 3.5 install: its bin/spark-submit; unset: the Maven class path (spark-dist)
#   LAMINA_EXECUTOR_MEMORY  executor heap (default 2g); LAMINA_EXECUTOR_OFFHEAP: ND4J's off-heap limit (1g)
#   LAMINA_DRIVER_MEMORY    driver heap (default 4g); LAMINA_DRIVER_OFFHEAP: ND4J's off-heap limit (2g)
#   LAMINA_YARN_JAVA_HOME   a Java 17 on the NodeManagers, if their own JAVA_HOME is older
#   LAMINA_YARN_JARS        spark.yarn.jars without SPARK_HOME (default: the Maven jars as local: paths,
#                           right when the NodeManagers share this file system)
#   LAMINA_CONF             properties file (as --properties-file); LAMINA_DRY_RUN=1 (as --dry-run)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cluster-common.sh"
lamina_cluster_submit yarn "$@"
