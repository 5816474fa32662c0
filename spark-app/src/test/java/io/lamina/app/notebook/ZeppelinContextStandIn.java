package io.lamina.app.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a note's {@code z} does for {@code z.show(df)} in Zeppelin's Spark interpreter: prints the
 * DataFrame as a {@code %table} (tab-separated header and rows, at most {@code maxResult} rows),
 * which Zeppelin renders as a table or chart. It also writes each table to
 * {@code z-show-<n>.tsv} in its folder, so a test can read what the note showed.
 */
public final class ZeppelinContextStandIn {

    private final Path folder;
    private final int maxResult;
    private int shown;

    public ZeppelinContextStandIn(Path folder, int maxResult) {
        this.folder = folder;
        this.maxResult = maxResult;
    }

    /** {@code z.show(df)}: the first {@code maxResult} rows (Zeppelin's {@code zeppelin.spark.maxResult}). */
    public void show(Object data) {
        show(data, maxResult);
    }

    /** {@code z.show(df, n)}. */
    public void show(Object data, int maxRows) {
        if (!(data instanceof Dataset<?> ds)) {
            throw new IllegalArgumentException("z.show takes a Dataset or DataFrame, got "
                    + (data == null ? "null" : data.getClass().getName()));
        }
        StringBuilder table = new StringBuilder(String.join("\t", ds.columns())).append('\n');
        List<Row> rows = ds.toDF().takeAsList(maxRows);
        for (Row row : rows) {
            for (int i = 0; i < row.length(); i++) {
                table.append(i == 0 ? "" : "\t").append(cell(row.get(i)));
            }
            table.append('\n');
        }
        System.out.print("%table " + table);
        System.out.println();
        try {
            Files.writeString(folder.resolve("z-show-" + (++shown) + ".tsv"), table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cell as Zeppelin shows it: tabs and line breaks would break the table. */
    private static String cell(Object value) {
        return String.valueOf(value).replace('\t', ' ').replace('\n', ' ');
    }
}
