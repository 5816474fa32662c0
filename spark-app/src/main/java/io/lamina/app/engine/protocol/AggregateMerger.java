package io.lamina.app.engine.protocol;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.Layout;
import io.lamina.compression.RoundProtocol;
import org.apache.spark.api.java.function.Function2;

/**
 * The {@code treeReduce} function of a step's jobs: {@link Aggregate#merge} with the run's
 * protocol, created once per JVM that merges (executors of intermediate tree levels, the driver).
 */
public final class AggregateMerger implements Function2<Aggregate, Aggregate, Aggregate> {

    private static final long serialVersionUID = 1L;

    private final CompressorSpec spec;
    private final Layout segments;
    private transient RoundProtocol protocol;

    public AggregateMerger(CompressorSpec spec, Layout segments) {
        this.spec = spec;
        this.segments = segments;
    }

    @Override
    public Aggregate call(Aggregate a, Aggregate b) {
        if (protocol == null) {
            protocol = RoundProtocol.of(spec.create(segments));
        }
        return Aggregate.merge(a, b, protocol);
    }
}
