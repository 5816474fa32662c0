package io.lamina.app.report;

/**
 * Projects the time of one synchronous training step for W workers on links of B Gbit/s from one
 * run's measurements, with Lamina's aggregation: a tree of the run's depth d over the workers for
 * the uplink, and a broadcast of the merged message for the downlink.
 *
 * <pre>
 * T(W, B) = C + U + D                                                     (milliseconds)
 *
 * C  = median(compute_max_ms) + median(encode_mean_ms) of the run: the per-worker batch stays
 *      the same (weak scaling), so a worker's compute does not depend on W.
 * tree: fan-out f = max(2, ceil(W^(1/d))) (as MergeTree.of); levels l = 1..L with L the smallest
 *      l such that f^l >= W (L = 0 for one worker); a node of level l has
 *      k_l = min(f, ceil(W / f^(l-1))) children, each covering at most n_(l-1) = min(f^(l-1), W) workers.
 * S(n) = bytes of a message covering n workers; per segment j, u_j = a worker's message
 *      (measured, mean over the steps), D_j = max(u_j, 4 e_j) its dense fp32 size (e_j elements):
 *        S(1) = sum_j u_j,   S(n) = sum_j min(rho n u_j, D_j) for n >= 2,
 *      i.e. a merged message grows at most linearly with the workers it covers (disjoint sparse
 *      supports: an upper bound for sparsifiers, exact for dense codes) and never beyond dense;
 *      rho = A / sum_j min(W0 u_j, D_j) calibrates it to the merged encoding the run measured
 *      (A = median downlink bytes per receiving worker, W0 = the run's workers).
 * U  = sum_(l=1..L) [ alpha + k_l S(n_(l-1)) / beta ]: a parent receives its k_l children's
 *      messages over its one link (in parallel, sharing it), one latency per level.
 * D  = ceil(log2(W + 1)) [ alpha + S(W) / beta ]: a binomial-tree broadcast from the driver
 *      (every node that has the message sends it to one more node per round).
 * beta = B 10^9 / 8 / 1000 bytes per millisecond; alpha = the per-message latency (ms).
 * </pre>
 *
 * Not modelled: Spark's scheduling and task launch, (de)serialisation, the driver's decode and
 * update, stragglers, and overlap of communication with compute.
 */
public final class CostModel {

    /**
     * What the model needs from a run.
     *
     * @param computeMs      C
     * @param segmentBytes   u_j: a worker's message per segment, bytes
     * @param segmentElements e_j
     * @param mergedBytes    A: the measured merged (downlink) message per receiving worker, bytes
     * @param workers        W0: the run's workers
     * @param treeDepth      d
     */
    public record Profile(double computeMs, double[] segmentBytes, long[] segmentElements, double mergedBytes,
            int workers, int treeDepth) {

        public Profile {
            if (segmentBytes.length != segmentElements.length || workers < 1 || treeDepth < 1) {
                throw new IllegalArgumentException("inconsistent profile: " + segmentBytes.length + " segment sizes, "
                        + segmentElements.length + " element counts, " + workers + " workers, depth " + treeDepth);
            }
        }

        /** sum_j u_j: one worker's whole message. */
        public double workerBytes() {
            return java.util.Arrays.stream(segmentBytes).sum();
        }
    }

    /** One projected step: its parts in milliseconds and the tree's shape. */
    public record Projection(int workers, double gbitPerSecond, int fanout, int levels, double computeMs,
            double uplinkMs, double downlinkMs, double mergedBytes) {

        public double stepMs() {
            return computeMs + uplinkMs + downlinkMs;
        }
    }

    private final double latencyMs;

    /** @param latencyMs alpha, the per-message latency in milliseconds */
    public CostModel(double latencyMs) {
        if (!(latencyMs >= 0) || Double.isInfinite(latencyMs)) {
            throw new IllegalArgumentException("latency must be a finite number >= 0 ms, got " + latencyMs);
        }
        this.latencyMs = latencyMs;
    }

    public double latencyMs() {
        return latencyMs;
    }

    public Projection project(Profile p, int workers, double gbitPerSecond) {
        if (workers < 1 || !(gbitPerSecond > 0) || Double.isInfinite(gbitPerSecond)) {
            throw new IllegalArgumentException("need workers >= 1 and a bandwidth > 0 Gbit/s, got " + workers
                    + " and " + gbitPerSecond);
        }
        double bytesPerMs = gbitPerSecond * 1e9 / 8 / 1000;
        double rho = rho(p);
        int fanout = Math.max(2, (int) Math.ceil(Math.pow(workers, 1.0 / p.treeDepth()) - 1e-9));
        double uplink = 0;
        int levels = 0;
        for (long below = 1; below < workers; below *= fanout) { // below = f^(l-1)
            long children = Math.min(fanout, (workers + below - 1) / below);
            uplink += latencyMs + children * merged(p, rho, (int) Math.min(below, workers)) / bytesPerMs;
            levels++;
        }
        double all = merged(p, rho, workers);
        int rounds = 32 - Integer.numberOfLeadingZeros(workers); // ceil(log2(W + 1))
        double downlink = rounds * (latencyMs + all / bytesPerMs);
        return new Projection(workers, gbitPerSecond, fanout, levels, p.computeMs(), uplink, downlink, all);
    }

    /** rho: the measured merged message over the linear-growth bound at the run's own worker count. */
    static double rho(Profile p) {
        double bound = 0;
        for (int j = 0; j < p.segmentBytes().length; j++) {
            bound += Math.min(p.workers() * p.segmentBytes()[j], dense(p, j));
        }
        return bound > 0 && p.mergedBytes() > 0 ? p.mergedBytes() / bound : 1;
    }

    /** S(n). */
    static double merged(Profile p, double rho, int n) {
        if (n <= 1) {
            return p.workerBytes();
        }
        double s = 0;
        for (int j = 0; j < p.segmentBytes().length; j++) {
            s += Math.min(rho * n * p.segmentBytes()[j], dense(p, j));
        }
        return s;
    }

    private static double dense(Profile p, int j) {
        return Math.max(p.segmentBytes()[j], 4.0 * p.segmentElements()[j]);
    }
}
