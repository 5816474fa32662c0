package io.lamina.app.config;

import io.lamina.compression.method.OptimizerTraits;
import java.io.Serializable;
import java.util.Locale;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.RampSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * The optimizer (a DL4J {@link IUpdater}) and its learning-rate schedule: an optional linear
 * warm-up over {@code warmupSteps} steps, then {@code constant}, {@code linear} (to zero at
 * {@code totalSteps}), {@code exp:<gamma>} (lr * gamma^step) or {@code step:<factor>:<every>}.
 */
public record OptimizerSpec(String name, double learningRate, double momentum, int warmupSteps, String schedule)
        implements Serializable {

    public static final String ALLOWED = "sgd, nesterov, adam";
    public static final String ALLOWED_SCHEDULES = "constant, linear, exp:<gamma>, step:<factor>:<every>";

    public OptimizerSpec {
        name = name.toLowerCase(Locale.ROOT).trim();
        if (!name.equals("sgd") && !name.equals("nesterov") && !name.equals("adam")) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; allowed: " + ALLOWED);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive finite number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("--warmup-steps must be >= 0, got " + warmupSteps);
        }
        parseSchedule(schedule, learningRate, 1000); // validates
    }

    public static OptimizerSpec parse(String name, double lr, double momentum, int warmup, String schedule) {
        return new OptimizerSpec(name, lr, momentum, warmup, schedule);
    }

    /** What a memory needs to know of it: whether it keeps a momentum, whether its step size ever changes. */
    public OptimizerTraits traits() {
        boolean momentum = name.equals("adam") || (name.equals("nesterov") && momentum() > 0);
        boolean constant = warmupSteps == 0 && (schedule == null || schedule.trim().equalsIgnoreCase("constant"));
        return new OptimizerTraits(name, momentum, constant);
    }

    /** The DL4J updater for a run of {@code totalSteps} steps. */
    public IUpdater toUpdater(long totalSteps) {
        ISchedule lr = parseSchedule(schedule, learningRate, Math.max(1, totalSteps));
        if (warmupSteps > 0) {
            lr = new RampSchedule(lr, warmupSteps);
        }
        switch (name) {
            case "sgd":
                return new Sgd(lr);
            case "nesterov":
                return new Nesterovs(lr, momentum);
            default:
                return new Adam(lr);
        }
    }

    private static ISchedule parseSchedule(String s, double lr, long totalSteps) {
        String spec = s == null ? "constant" : s.trim().toLowerCase(Locale.ROOT);
        String[] p = spec.split(":");
        try {
            switch (p[0]) {
                case "constant":
                    return new FixedSchedule(lr);
                case "linear":
                    return new PolySchedule(ScheduleType.ITERATION, lr, 1.0, (int) Math.min(Integer.MAX_VALUE, totalSteps));
                case "exp": {
                    double gamma = Double.parseDouble(p[1]);
                    if (!(gamma > 0 && gamma <= 1)) {
                        throw new IllegalArgumentException("exp gamma must be in (0, 1]");
                    }
                    return new ExponentialSchedule(ScheduleType.ITERATION, lr, gamma);
                }
                case "step": {
                    double factor = Double.parseDouble(p[1]);
                    double every = Double.parseDouble(p[2]);
                    if (!(factor > 0 && factor <= 1) || !(every >= 1)) {
                        throw new IllegalArgumentException("step needs factor in (0, 1] and every >= 1");
                    }
                    return new StepSchedule(ScheduleType.ITERATION, lr, factor, every);
                }
                default:
                    throw new IllegalArgumentException("unknown schedule");
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--lr-schedule '" + s + "' is invalid (" + e.getMessage()
                    + "); allowed: " + ALLOWED_SCHEDULES);
        }
    }
}
