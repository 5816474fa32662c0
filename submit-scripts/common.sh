# Sourced by the submit scripts: where things are and the JVM flags every Spark-starting JVM needs.
LAMINA_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
# Spark's --add-opens set (org.apache.spark.launcher.JavaModuleOptions), the Vector API module the
# compression kernels use (io.lamina.compression.simd.Simd), heap and ND4J off-heap limits.
SPARK_JAVA_FLAGS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false --add-modules=jdk.incubator.vector"
LAMINA_DRIVER_MEMORY=${LAMINA_DRIVER_MEMORY:-4g}
LAMINA_JAVA_OPTS="$SPARK_JAVA_FLAGS -Xmx$LAMINA_DRIVER_MEMORY -Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=12G -Dlog4j2.configurationFile=$LAMINA_HOME/conf/log4j2.properties"

# Builds the shaded jar and the Spark class path if they are missing (or LAMINA_REBUILD=1).
lamina_build_if_needed() {
  local jar
  jar=$(ls "$LAMINA_HOME"/spark-app/target/lamina-spark-app-*-bin.jar 2>/dev/null | head -n 1 || true)
  if [[ -z "$jar" || ! -f "$LAMINA_HOME/spark-dist/target/spark-classpath.txt" || "${LAMINA_REBUILD:-0}" == 1 ]]; then
    echo "lamina: building (mvn -DskipTests package)..." >&2
    (cd "$LAMINA_HOME" && mvn -B -q -DskipTests package) >&2
    jar=$(ls "$LAMINA_HOME"/spark-app/target/lamina-spark-app-*-bin.jar | head -n 1)
  fi
  LAMINA_JAR=$jar
  SPARK_CLASSPATH=$(cat "$LAMINA_HOME/spark-dist/target/spark-classpath.txt")
}

# spark-submit without a Spark tarball: SparkSubmit's main class on the Spark class path, with
# conf/spark-defaults.conf or the properties file LAMINA_SPARK_PROPERTIES names (a standalone
# cluster's, with its secret: see standalone-cluster.sh).
lamina_spark_submit() {
  # shellcheck disable=SC2086
  java $LAMINA_JAVA_OPTS -cp "$SPARK_CLASSPATH" org.apache.spark.deploy.SparkSubmit \
    --properties-file "${LAMINA_SPARK_PROPERTIES:-$LAMINA_HOME/conf/spark-defaults.conf}" "$@"
}
