package io.lamina.compression.lowrank;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.Layout;
import io.lamina.compression.SpecParams;
import java.util.Locale;
import java.util.Set;

/**
 * {@code powersgd[:rank=R][,warmstart=true|false]} (or {@code powersgd:R}): PowerSGD at rank R
 * (an integer in [1, 1024], default 2), warm-starting each step's Q from the previous step's
 * (default true, as in the paper). Creates a {@link PowerSgdCompressor}.
 */
public final class PowerSgdSpec implements CompressorSpec {

    private static final long serialVersionUID = 1L;

    /** Largest rank accepted; PowerSGD is meant for ranks of 1 to a few dozen. */
    public static final int MAX_RANK = 1024;

    private final int rank;
    private final boolean warmStart;

    public PowerSgdSpec(int rank, boolean warmStart) {
        if (rank < 1 || rank > MAX_RANK) {
            throw new IllegalArgumentException("powersgd: rank = " + rank + " is out of range; allowed: [1, "
                    + MAX_RANK + "]");
        }
        this.rank = rank;
        this.warmStart = warmStart;
    }

    /** From parsed parameters: {@code rank} (also positional) and {@code warmstart}. */
    public static PowerSgdSpec parse(SpecParams p) {
        p.allowOnly(Set.of("rank", "warmstart"));
        int rank = p.getInt("rank", true, 2, 1, MAX_RANK);
        String ws = p.getString("warmstart", false, "true").toLowerCase(Locale.ROOT);
        if (!ws.equals("true") && !ws.equals("false")) {
            throw new IllegalArgumentException("spec '" + p.spec() + "': warmstart must be true or false, got '"
                    + ws + "'");
        }
        return new PowerSgdSpec(rank, Boolean.parseBoolean(ws));
    }

    public int rank() {
        return rank;
    }

    public boolean warmStart() {
        return warmStart;
    }

    @Override
    public String name() {
        return "powersgd";
    }

    @Override
    public String spec() {
        return "powersgd:rank=" + rank + ",warmstart=" + warmStart;
    }

    @Override
    public Compressor create(Layout segments) {
        return new PowerSgdCompressor(segments, rank, warmStart, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PowerSgdSpec s && s.rank == rank && s.warmStart == warmStart;
    }

    @Override
    public int hashCode() {
        return 31 * rank + (warmStart ? 1 : 0);
    }

    @Override
    public String toString() {
        return spec();
    }
}
