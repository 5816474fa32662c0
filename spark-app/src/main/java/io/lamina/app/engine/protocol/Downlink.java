package io.lamina.app.engine.protocol;

import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;

/**
 * What every replica receives for step {@link #step}: per round, one downlink message per segment
 * ({@link RoundProtocol#downlink}). During a step it holds the rounds finished so far (what the
 * next round's uplinks need); complete, it is the step's update in compressed form, applied by
 * every replica and the master with the same code ({@link UpdateRule}).
 */
public record Downlink(long step, Message[][] rounds) {

    /** No round finished yet. */
    public static Downlink start(long step) {
        return new Downlink(step, new Message[0][]);
    }

    /** This downlink with one more round: each segment's merged aggregate turned into its downlink. */
    public Downlink withRound(Aggregate aggregate, RoundProtocol protocol) {
        int round = rounds.length;
        if (aggregate.step() != step || aggregate.round() != round) {
            throw new IllegalStateException("downlink of step " + step + " expects round " + round + ", got step "
                    + aggregate.step() + " round " + aggregate.round());
        }
        Message[] merged = aggregate.segments();
        Message[] down = new Message[merged.length];
        for (int j = 0; j < down.length; j++) {
            down[j] = protocol.downlink(round, merged[j]);
        }
        Message[][] next = java.util.Arrays.copyOf(rounds, round + 1);
        next[round] = down;
        return new Downlink(step, next);
    }

    /** Segment {@code j}'s downlinks of every round so far, in round order. */
    public Message[] ofSegment(int j) {
        Message[] m = new Message[rounds.length];
        for (int r = 0; r < m.length; r++) {
            m[r] = rounds[r][j];
        }
        return m;
    }
}
