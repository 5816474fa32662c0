package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunks to parts: every example once, near-equal parts, the same plan from the same inputs. */
class ChunkPlanTest {

    @Test
    void everyExampleLandsInExactlyOnePartOfNearEqualSize() {
        Random r = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            long[] counts = new long[1 + r.nextInt(30)];
            long total = 0;
            for (int c = 0; c < counts.length; c++) {
                counts[c] = r.nextInt(4) == 0 ? 0 : r.nextInt(50);
                total += counts[c];
            }
            if (total == 0) {
                continue;
            }
            int parts = 1 + r.nextInt((int) Math.min(total, 9));
            boolean[][] seen = new boolean[counts.length][];
            for (int c = 0; c < counts.length; c++) {
                seen[c] = new boolean[(int) counts[c]];
            }
            List<List<ChunkPlan.Slice>> plan = ChunkPlan.cut(counts, parts, trial, trial % 2 == 0);
            for (int p = 0; p < parts; p++) {
                long size = 0;
                for (ChunkPlan.Slice s : plan.get(p)) {
                    assertTrue(s.from() < s.to(), "no empty slices");
                    for (long i = s.from(); i < s.to(); i++) {
                        assertTrue(!seen[s.chunk()][(int) i], "example taken twice");
                        seen[s.chunk()][(int) i] = true;
                    }
                    size += s.size();
                }
                assertEquals(ChunkPlan.partSize(total, parts, p), size);
            }
            for (boolean[] c : seen) {
                for (boolean b : c) {
                    assertTrue(b, "an example nobody took");
                }
            }
        }
    }

    @Test
    void theSeedOrdersTheChunksAndTheTestOrderIsStored() {
        long[] counts = new long[40];
        java.util.Arrays.fill(counts, 10);
        assertEquals(ChunkPlan.cut(counts, 4, 42, true), ChunkPlan.cut(counts, 4, 42, true));
        assertNotEquals(ChunkPlan.cut(counts, 4, 42, true), ChunkPlan.cut(counts, 4, 43, true));
        List<List<ChunkPlan.Slice>> stored = ChunkPlan.cut(counts, 4, 42, false);
        assertEquals(new ChunkPlan.Slice(0, 0, 10), stored.get(0).get(0));
        assertEquals(new ChunkPlan.Slice(39, 0, 10), stored.get(3).get(9));
    }
}
