# shellcheck shell=bash
# Sourced by submit-standalone.sh, submit-yarn.sh and submit-k8s.sh: parses their arguments and
# builds the spark-submit command for one cluster manager (the usage is in each script's header).
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LAMINA_MAIN_CLASS=io.lamina.app.cli.LaminaCli
# Where docker/Dockerfile puts the shaded jar and the log configuration in the image.
LAMINA_IMAGE_JAR=/opt/lamina/lamina-spark-app.jar
LAMINA_IMAGE_LOG4J=/opt/lamina/conf/log4j2.properties

lamina_die() { echo "$(basename "$0"): $*" >&2; exit 2; }

# The calling script's header comment (from line 2 to the first line that is not a comment).
lamina_usage() { sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; }

# A size such as 512m, 2g or 1536 (MiB) in MiB.
lamina_mib() {
  local name=$1 value=$2
  case $value in
    *[gG]) [[ ${value%?} =~ ^[0-9]+$ ]] && { echo $(( ${value%?} * 1024 )); return; } ;;
    *[mM]) [[ ${value%?} =~ ^[0-9]+$ ]] && { echo "${value%?}"; return; } ;;
    *) [[ $value =~ ^[0-9]+$ ]] && { echo "$value"; return; } ;;
  esac
  lamina_die "$name=$value is not a size: use MiB or a number with m or g, e.g. 1536m, 2g"
}

# Memory sizing for a JVM that runs ND4J in a container (YARN) or a pod (Kubernetes), in MiB:
#   heap      = spark.{driver,executor}.memory (-Xmx)
#   off-heap  = ND4J's arrays, capped by -Dorg.bytedeco.javacpp.maxbytes; Spark does not count them
#   overhead  = off-heap + max(384, heap / 10)   (the second term is Spark's own default overhead:
#               the JVM's metaspace, thread stacks, Netty buffers)
#   container = heap + overhead, and -Dorg.bytedeco.javacpp.maxphysicalbytes = container, so that
#               ND4J fails with an OutOfMemoryError naming the limit before YARN or the kubelet
#               kills the container for exceeding it.
# Sets SIZED_OVERHEAD (MiB) and SIZED_OPTS (the javacpp options).
lamina_size() {
  local heap offheap native
  heap=$(lamina_mib "$1" "$2")
  offheap=$(lamina_mib "$3" "$4")
  native=$(( heap / 10 > 384 ? heap / 10 : 384 ))
  SIZED_OVERHEAD=$(( offheap + native ))
  SIZED_OPTS="-Dorg.bytedeco.javacpp.maxbytes=${offheap}m -Dorg.bytedeco.javacpp.maxphysicalbytes=$(( heap + SIZED_OVERHEAD ))m"
}

# Prints a command one option per line, shell-quoted, so that it can be pasted back into a shell.
lamina_print_command() {
  local arg line=""
  for arg in "$@"; do
    if [[ -n "$line" && "$arg" == -* ]]; then printf '%s\\\n' "$line"; line="  "; fi
    line+="$(printf '%q' "$arg") "
  done
  printf '%s\n' "${line% }"
}

# lamina_cluster_submit standalone|yarn|k8s "$@": parses the script's arguments, builds the
# spark-submit command and runs it (or prints it with --dry-run / LAMINA_DRY_RUN=1).
lamina_cluster_submit() {
  local manager=$1; shift
  local master=${LAMINA_MASTER:-} deploy_mode="" props="" image=${LAMINA_IMAGE:-} dry_run=${LAMINA_DRY_RUN:-0}
  local -a spark_args=() lamina_args=()
  [[ "$manager" == yarn ]] && master=${master:-yarn}
  while (($#)); do
    case $1 in
      --) shift; lamina_args=("$@"); break ;;
      --dry-run) dry_run=1; shift ;;
      -h|--help) lamina_usage; exit 0 ;;
      --master=*) master=${1#*=}; shift ;;
      --deploy-mode=*) deploy_mode=${1#*=}; shift ;;
      --properties-file=*) props=${1#*=}; shift ;;
      --image=*) image=${1#*=}; shift ;;
      --master|--deploy-mode|--properties-file|--image)
        (($# >= 2)) || lamina_die "$1 needs a value"
        case $1 in
          --master) master=$2 ;; --deploy-mode) deploy_mode=$2 ;;
          --properties-file) props=$2 ;; --image) image=$2 ;;
        esac
        shift 2 ;;
      --class|--class=*) lamina_die "--class is set by the script ($LAMINA_MAIN_CLASS)" ;;
      --verbose|-v|--supervise|--*=*) spark_args+=("$1"); shift ;;
      -*) (($# >= 2)) || lamina_die "spark-submit option $1 needs a value"
          spark_args+=("$1" "$2"); shift 2 ;;
      *) lamina_args=("$@"); break ;;
    esac
  done
  ((${#lamina_args[@]})) || lamina_die "no lamina subcommand given, e.g. '-- train --model mlp' (see --help)"
  [[ "$manager" != k8s && -n "$image" ]] && lamina_die "--image is for submit-k8s.sh only"

  case $manager in
    standalone)
      [[ "$master" == spark://* ]] || lamina_die "give the standalone master as --master spark://HOST:PORT (or LAMINA_MASTER)"
      deploy_mode=${deploy_mode:-client} ;;
    yarn)
      [[ "$master" == yarn ]] || lamina_die "the YARN master is 'yarn' (the ResourceManager comes from HADOOP_CONF_DIR), not '$master'"
      deploy_mode=${deploy_mode:-client} ;;
    k8s)
      [[ "$master" == k8s://* ]] || lamina_die "give the Kubernetes API server as --master k8s://https://HOST:PORT (or LAMINA_MASTER)"
      [[ -n "$image" ]] || lamina_die "give the container image built from docker/Dockerfile as --image REPO/lamina:TAG (or LAMINA_IMAGE)"
      deploy_mode=${deploy_mode:-cluster}
      [[ "$deploy_mode" == cluster ]] || lamina_die "on Kubernetes the driver runs in a pod from the image: --deploy-mode cluster only" ;;
  esac
  [[ "$deploy_mode" == client || "$deploy_mode" == cluster ]] || lamina_die "--deploy-mode is client or cluster, not '$deploy_mode'"
  props=${props:-${LAMINA_CONF:-$LAMINA_HOME/conf/$manager.conf}}
  [[ -f "$props" ]] || lamina_die "no properties file $props"

  # What the command names: the shaded jar (in the image on Kubernetes) and, without SPARK_HOME,
  # the Spark class path. A real run builds them if missing; a dry run never builds.
  local app_jar
  if [[ "$dry_run" == 1 ]]; then
    LAMINA_JAR=$(ls "$LAMINA_HOME"/spark-app/target/lamina-spark-app-*-bin.jar 2>/dev/null | head -n 1 || true)
    SPARK_CLASSPATH=$(cat "$LAMINA_HOME/spark-dist/target/spark-classpath.txt" 2>/dev/null || true)
    [[ -n "$LAMINA_JAR" || "$manager" == k8s ]] || lamina_die "the shaded jar is not built: mvn -B -DskipTests package"
    [[ -n "$SPARK_CLASSPATH" || -n "${SPARK_HOME:-}" ]] || lamina_die "no SPARK_HOME and spark-dist is not built: mvn -B -DskipTests package"
  else
    lamina_build_if_needed
    if [[ "$manager" == yarn && -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]]; then
      lamina_die "set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the folder holding the cluster's yarn-site.xml and core-site.xml"
    fi
  fi
  app_jar=$LAMINA_JAR
  [[ "$manager" == k8s ]] && app_jar=local://$LAMINA_IMAGE_JAR

  # Memory and JVM options of the driver and the executors (sizing rule: lamina_size above).
  local executor_memory=${LAMINA_EXECUTOR_MEMORY:-2g} driver_memory=${LAMINA_DRIVER_MEMORY}
  lamina_size LAMINA_EXECUTOR_MEMORY "$executor_memory" LAMINA_EXECUTOR_OFFHEAP "${LAMINA_EXECUTOR_OFFHEAP:-1g}"
  local executor_overhead=$SIZED_OVERHEAD executor_opts="--add-modules=jdk.incubator.vector $SIZED_OPTS"
  lamina_size LAMINA_DRIVER_MEMORY "$driver_memory" LAMINA_DRIVER_OFFHEAP "${LAMINA_DRIVER_OFFHEAP:-2g}"
  local driver_overhead=$SIZED_OVERHEAD driver_opts="--add-modules=jdk.incubator.vector $SIZED_OPTS"
  if [[ "$manager" == k8s ]]; then
    # The image's spark user has no writable home: ND4J unpacks its native libraries to /tmp.
    executor_opts+=" -Dorg.bytedeco.javacpp.cachedir=/tmp/.javacpp"
    driver_opts+=" -Dorg.bytedeco.javacpp.cachedir=/tmp/.javacpp -Dlog4j2.configurationFile=$LAMINA_IMAGE_LOG4J"
  elif [[ "$deploy_mode" == client ]]; then
    driver_opts+=" -Dlog4j2.configurationFile=$LAMINA_HOME/conf/log4j2.properties"
  fi

  local -a submit=(--master "$master" --deploy-mode "$deploy_mode" --properties-file "$props"
    --name "lamina-${lamina_args[0]}"
    --conf "spark.driver.memory=$driver_memory" --conf "spark.driver.memoryOverhead=${driver_overhead}m"
    --conf "spark.driver.extraJavaOptions=$driver_opts"
    --conf "spark.executor.memory=$executor_memory" --conf "spark.executor.memoryOverhead=${executor_overhead}m"
    --conf "spark.executor.extraJavaOptions=$executor_opts"
    --conf "spark.executorEnv.OMP_NUM_THREADS=1")
  case $manager in
    yarn)
      # Java 17 for the application master and the executors when the NodeManagers' own JAVA_HOME
      # is an older Java (Hadoop 3.3 itself runs on Java 8 or 11).
      if [[ -n "${LAMINA_YARN_JAVA_HOME:-}" ]]; then
        submit+=(--conf "spark.yarn.appMasterEnv.JAVA_HOME=$LAMINA_YARN_JAVA_HOME" --conf "spark.executorEnv.JAVA_HOME=$LAMINA_YARN_JAVA_HOME")
      fi
      # Without a Spark install, the containers run Spark from the Maven repository's jars as
      # local: paths, which YARN puts on the class path as they are, on nodes that share this
      # file system (e.g. one machine). Otherwise spark-submit would look for $SPARK_HOME/jars to
      # zip and upload (~300 MB per run). On a real cluster, use SPARK_HOME, or better
      # spark.yarn.archive on HDFS (conf/yarn.conf).
      if [[ -z "${SPARK_HOME:-}" ]]; then
        local yarn_jars
        yarn_jars=$(tr ':' '\n' <<< "$SPARK_CLASSPATH" | sed 's|^|local:|' | paste -sd, -)
        submit+=(--conf "spark.yarn.jars=${LAMINA_YARN_JARS:-$yarn_jars}")
      fi ;;
    k8s)
      submit+=(--conf "spark.kubernetes.container.image=$image") ;;
  esac
  # The user's spark-submit options come last: for a repeated --conf the last value wins.
  submit+=("${spark_args[@]}" --class "$LAMINA_MAIN_CLASS" "$app_jar" "${lamina_args[@]}")

  local -a cmd
  if [[ -n "${SPARK_HOME:-}" ]]; then
    cmd=("$SPARK_HOME/bin/spark-submit" "${submit[@]}")
  else
    # spark-submit without a Spark install: SparkSubmit on the Maven class path. In client mode
    # this JVM is the driver, so the driver's options go on its command line too; in cluster mode
    # it only submits (and logs the application's state at Spark's default INFO level).
    # Like bin/spark-submit, put the Hadoop configuration folders on the class path: Hadoop reads
    # yarn-site.xml and core-site.xml from there, not from the variables.
    local classpath=$SPARK_CLASSPATH dir
    for dir in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do if [[ -n "$dir" ]]; then classpath+=":$dir"; fi; done
    local -a local_jvm=()
    # shellcheck disable=SC2206
    if [[ "$deploy_mode" == client ]]; then local_jvm=("-Xmx$driver_memory" $driver_opts); fi
    # shellcheck disable=SC2206
    cmd=(java $SPARK_JAVA_FLAGS "${local_jvm[@]}" -cp "$classpath" org.apache.spark.deploy.SparkSubmit "${submit[@]}")
  fi
  if [[ "$dry_run" == 1 ]]; then
    lamina_print_command "${cmd[@]}"
    return 0
  fi
  exec "${cmd[@]}"
}
