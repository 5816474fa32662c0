package io.lamina.app.engine.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How partitions are pinned and moved as executors come and go (the listener's events, called directly). */
class ReplicaPlacementTest {

    private static String[] plan(ReplicaPlacement placement, long step, int[] moved) {
        String[] locations = new String[4];
        moved[0] = placement.plan(step, locations);
        return locations;
    }

    @Test
    void pinsEachPartitionWhereItsTaskRanAndMovesNothingWhenBalanced() {
        ReplicaPlacement placement = new ReplicaPlacement("run", 4);
        int[] moved = new int[1];
        assertArrayEquals(new String[4], plan(placement, 0, moved), "nothing known: Spark chooses");
        for (int p = 0; p < 4; p++) {
            placement.taskRan(0, p, p < 2 ? "1" : "2", p < 2 ? "hostA" : "hostB");
        }
        assertArrayEquals(new String[] {"executor_hostA_1", "executor_hostA_1", "executor_hostB_2", "executor_hostB_2"},
                plan(placement, 1, moved));
        assertEquals(0, moved[0]);
    }

    @Test
    void aLostExecutorsPartitionsFollowTheirRerunAndSpreadAgainWhenAReplacementRegisters() {
        ReplicaPlacement placement = new ReplicaPlacement("run", 4);
        int[] moved = new int[1];
        for (int p = 0; p < 4; p++) {
            placement.taskRan(0, p, p < 2 ? "1" : "2", "h");
        }
        placement.executorRemoved("2");
        assertEquals(1, placement.lostExecutors());
        String[] afterLoss = plan(placement, 1, moved);
        assertEquals(0, moved[0]);
        assertNull(afterLoss[2], "the lost partitions are not pinned: Spark runs them where it can");
        placement.taskRan(1, 2, "1", "h");
        placement.taskRan(1, 3, "1", "h");
        plan(placement, 2, moved);
        assertEquals(0, moved[0], "one executor left: nowhere to move");

        placement.executorAdded("3", "h");
        String[] spread = plan(placement, 3, moved);
        assertEquals(2, moved[0], "four partitions over two executors: two each");
        assertEquals(2, Arrays.stream(spread).filter("executor_h_3"::equals).count());
        // A task end of a step before the move does not pull a moved partition back.
        int movedPartition = "executor_h_3".equals(spread[3]) ? 3 : 2;
        placement.taskRan(2, movedPartition, "1", "h");
        assertEquals("executor_h_3", plan(placement, 4, moved)[movedPartition]);
        assertEquals(0, moved[0]);
        assertEquals(2, placement.moves());
        placement.taskRan(3, movedPartition, "3", "h");
        assertEquals(Map.of("1", "h", "3", "h"), placement.executorsWithReplicas());
    }

    @Test
    void movesNothingWhileAPartitionsExecutorIsUnknown() {
        ReplicaPlacement placement = new ReplicaPlacement("run", 4);
        int[] moved = new int[1];
        placement.executorAdded("2", "h");
        placement.taskRan(0, 0, "1", "h");
        placement.taskRan(0, 1, "1", "h");
        placement.taskRan(0, 2, "1", "h"); // partition 3's task end has not arrived yet
        plan(placement, 1, moved);
        assertEquals(0, moved[0]);
        placement.taskRan(0, 3, "1", "h");
        plan(placement, 1, moved);
        assertEquals(2, moved[0]);
    }
}
