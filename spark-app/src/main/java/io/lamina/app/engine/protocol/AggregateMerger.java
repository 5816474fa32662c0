package io.lamina.app.engine.protocol;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.Layout;
import io.lamina.compression.RoundProtocol;
import org.apache.spark.api.java.function.Function2;

/**
 * The reduce function of a step's jobs: {@link Aggregate#merge} in the run's {@link MergeTree}
 * with its protocol, created once per JVM that merges (executors of intermediate levels, the driver).
 */
public final class AggregateMerger implements Function2<Aggregate, Aggregate, Aggregate> {

    private static final long serialVersionUID = 1L;

    private final CompressorSpec spec;
    private final Layout segments;
    private final MergeTree tree;
    private transient RoundProtocol protocol;

    public AggregateMerger(CompressorSpec spec, Layout segments, MergeTree tree) {
        this.spec = spec;
        this.segments = segments;
        this.tree = tree;
    }

    @Override
    public Aggregate call(Aggregate a, Aggregate b) {
        if (protocol == null) {
            protocol = RoundProtocol.of(spec.create(segments));
        }
        return Aggregate.merge(a, b, protocol, tree);
    }
}
