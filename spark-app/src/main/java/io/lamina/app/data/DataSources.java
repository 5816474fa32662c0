package io.lamina.app.data;

import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.IdxDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/** The data source a configuration names, and the Hadoop configuration to check it with before Spark starts. */
public final class DataSources {
    private DataSources() {
    }

    /**
     * {@code --train/--test}: CSV or LibSVM files; {@code --data}: a folder of IDX files; neither:
     * the embedded subset, in memory as always.
     *
     * @param train    CSV/LibSVM training location, or null
     * @param test     CSV/LibSVM test location (with train)
     * @param data     IDX folder, or null
     * @param classes  0 = from the data (10 for IDX)
     */
    public static DataSource of(String train, String test, String data, String format, int labelColumn,
            boolean header, String normalize, int classes, int features) {
        Normalizer.Method method = Normalizer.Method.parse(normalize);
        if (train != null) {
            return new TextSource(train, test, format, labelColumn, header, method, classes, features);
        }
        if (data != null) {
            return new IdxSource(data, classes > 0 ? classes : IdxDataset.NUM_CLASSES, method);
        }
        return new InMemoryData(EmbeddedData.load(), method);
    }

    /**
     * What {@code sc.hadoopConfiguration()} will be, before there is a context: Hadoop's defaults
     * plus the {@code spark.hadoop.*} settings spark-submit passes (as Spark builds it), so the
     * driver's early checks see the same file systems and credentials as the executors.
     */
    public static Configuration hadoopConfigurationBeforeSpark() {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> kv : new SparkConf().getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return conf;
    }
}
