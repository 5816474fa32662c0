package io.lamina.app.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Lamina's suggested settings leave the cluster's own to the cluster: driver address and UI. */
class SparkContextsTest {

    @Test
    void theDriversAddressAndTheUiAreLeftToSparkSubmitAndTheUser() {
        SparkConf conf = SparkContexts.configure(new SparkConf(false), "local[2]", "t");
        assertFalse(conf.contains("spark.driver.host"), "a cluster's executors must reach the driver");
        assertFalse(conf.contains("spark.driver.bindAddress"));
        assertFalse(conf.contains("spark.ui.enabled"), "the Spark UI stays on by default");
        assertFalse(conf.contains("spark.kryo.registrator"), "Lamina needs no registrator");
    }

    @Test
    void whatIsAlreadySetWins() {
        SparkConf conf = new SparkConf(false).setMaster("yarn").set("spark.serializer",
                "org.apache.spark.serializer.JavaSerializer");
        SparkContexts.configure(conf, "local[2]", "t");
        assertEquals("yarn", conf.get("spark.master"));
        assertEquals("org.apache.spark.serializer.JavaSerializer", conf.get("spark.serializer"));
    }
}
