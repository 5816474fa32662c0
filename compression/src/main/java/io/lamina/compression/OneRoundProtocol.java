package io.lamina.compression;

/**
 * The protocol of an ordinary compressor: one round; the uplink is C(e), the downlink is
 * {@link Compressor#downlink} of the merged aggregate (the aggregate itself for most methods), the
 * update is {@link Compressor#finish} of that downlink, and error feedback uses the worker's own
 * D(C(e)).
 */
public final class OneRoundProtocol implements RoundProtocol {

    private final Compressor compressor;

    public OneRoundProtocol(Compressor compressor) {
        this.compressor = compressor;
    }

    @Override
    public int rounds() {
        return 1;
    }

    @Override
    public Message uplink(int round, float[] values, int offset, int length, Message[] earlier, EncodeContext ctx) {
        requireRound(round);
        return compressor.encode(values, offset, length, ctx);
    }

    @Override
    public boolean plansStep() {
        return compressor.plansStep();
    }

    @Override
    public void planStep(float[] values, long step) {
        compressor.planStep(values, step);
    }

    @Override
    public Message merge(Message a, Message b) {
        return compressor.merge(a, b);
    }

    @Override
    public Message downlink(int round, Message aggregate) {
        requireRound(round);
        return compressor.downlink(aggregate);
    }

    @Override
    public void finish(int segment, Message[] downlinks, float[] dst, int dstOffset) {
        compressor.finish(downlinks[0], dst, dstOffset);
    }

    @Override
    public boolean feedbackAfterAggregate() {
        return false;
    }

    @Override
    public void sentByWorker(Message lastUplink, float[] dst) {
        compressor.decode(lastUplink, dst, 0);
    }

    @Override
    public void sentAfterAggregate(int segment, float[] compensated, float[] update, int offset, int length,
            float[] dst) {
        throw new UnsupportedOperationException(compressor.name() + " feeds back the worker's own message");
    }

    @Override
    public float[][] sharedState() {
        return null;
    }

    @Override
    public void restoreSharedState(float[][] state) {
        // per-worker state of one-round methods may start afresh on a rebuilt replica
    }

    @Override
    public float[][] workerState() {
        return compressor.workerState();
    }

    @Override
    public void restoreWorkerState(float[][] state) {
        compressor.restoreWorkerState(state);
    }

    private void requireRound(int round) {
        if (round != 0) {
            throw new IllegalArgumentException(compressor.name() + " has one round, got round " + round);
        }
    }
}
