package io.lamina.compression;

/**
 * The protocol of a {@link TwoRoundCompressor} (PowerSGD): round 0 sends P, whose merged
 * aggregate {@link TwoRoundCompressor#finishRound1} turns into the round-0 downlink; round 1
 * sends Q computed against it; the update is {@link TwoRoundCompressor#finishRound2}, and error
 * feedback uses the aggregated update for compressed segments (Vogels et al., Algorithm 2).
 */
public final class TwoRoundProtocol implements RoundProtocol {

    private final TwoRoundCompressor compressor;

    public TwoRoundProtocol(TwoRoundCompressor compressor) {
        this.compressor = compressor;
    }

    @Override
    public int rounds() {
        return 2;
    }

    @Override
    public Message uplink(int round, float[] values, int offset, int length, Message[] earlier, EncodeContext ctx) {
        return switch (round) {
            case 0 -> compressor.round1(values, offset, length, ctx);
            case 1 -> compressor.round2(values, offset, length, earlier[0], ctx);
            default -> throw badRound(round);
        };
    }

    @Override
    public Message merge(Message a, Message b) {
        return compressor.merge(a, b);
    }

    @Override
    public Message downlink(int round, Message aggregate) {
        return switch (round) {
            case 0 -> compressor.finishRound1(aggregate);
            case 1 -> aggregate;
            default -> throw badRound(round);
        };
    }

    @Override
    public void finish(int segment, Message[] downlinks, float[] dst, int dstOffset) {
        compressor.finishRound2(segment, downlinks[0], downlinks[1], dst, dstOffset);
    }

    @Override
    public boolean feedbackAfterAggregate() {
        return true;
    }

    @Override
    public void sentByWorker(Message lastUplink, float[] dst) {
        throw new UnsupportedOperationException(compressor.name() + " feeds back the aggregated update");
    }

    @Override
    public void sentAfterAggregate(int segment, float[] compensated, float[] update, int offset, int length,
            float[] dst) {
        // Dense segments lose nothing: sent = e, so their residual is zero.
        System.arraycopy(compressor.lowRank(segment) ? update : compensated, offset, dst, 0, length);
    }

    @Override
    public float[][] sharedState() {
        return compressor.sharedState();
    }

    @Override
    public void restoreSharedState(float[][] state) {
        if (state != null) {
            compressor.restoreSharedState(state);
        }
    }

    private IllegalArgumentException badRound(int round) {
        return new IllegalArgumentException(compressor.name() + " has rounds 0 and 1, got round " + round);
    }

    @Override
    public float[][] workerState() {
        return compressor.workerState();
    }

    @Override
    public void restoreWorkerState(float[][] state) {
        compressor.restoreWorkerState(state);
    }
}
