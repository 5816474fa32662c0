package io.lamina.compression.method;

import static io.lamina.compression.method.Family.IDENTITY;
import static io.lamina.compression.method.Family.LOW_RANK;
import static io.lamina.compression.method.Family.QUANTISER;
import static io.lamina.compression.method.Family.SIGN;
import static io.lamina.compression.method.Family.SPARSIFIER;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.SpecParams;
import io.lamina.compression.identity.NoneCompressor;
import io.lamina.compression.lowrank.FactorMessage;
import io.lamina.compression.lowrank.FactorMessageSerializer;
import io.lamina.compression.lowrank.PowerSgdSpec;
import io.lamina.compression.message.DenseMessage;
import io.lamina.compression.message.DenseMessageSerializer;
import io.lamina.compression.message.GatheredMessage;
import io.lamina.compression.message.GatheredMessageSerializer;
import io.lamina.compression.quant.DitheringCompressor;
import io.lamina.compression.quant.DitheringMessage;
import io.lamina.compression.quant.DitheringMessageSerializer;
import io.lamina.compression.quant.EightBitCompressor;
import io.lamina.compression.quant.EightBitMessage;
import io.lamina.compression.quant.EightBitMessageSerializer;
import io.lamina.compression.quant.HalfCompressor;
import io.lamina.compression.quant.HalfMessage;
import io.lamina.compression.quant.HalfMessageSerializer;
import io.lamina.compression.quant.NaturalCompressor;
import io.lamina.compression.quant.NaturalMessage;
import io.lamina.compression.quant.NaturalMessageSerializer;
import io.lamina.compression.quant.QsgdCompressor;
import io.lamina.compression.quant.QsgdMessage;
import io.lamina.compression.quant.QsgdMessageSerializer;
import io.lamina.compression.quant.TernGradCompressor;
import io.lamina.compression.quant.TernaryMessage;
import io.lamina.compression.quant.TernaryMessageSerializer;
import io.lamina.compression.sign.EfSignCompressor;
import io.lamina.compression.sign.MajoritySignMessage;
import io.lamina.compression.sign.MajoritySignMessageSerializer;
import io.lamina.compression.sign.OneBitCompressor;
import io.lamina.compression.sign.OneBitMessage;
import io.lamina.compression.sign.OneBitMessageSerializer;
import io.lamina.compression.sign.ScaledSignMessage;
import io.lamina.compression.sign.ScaledSignMessageSerializer;
import io.lamina.compression.sign.SignMessage;
import io.lamina.compression.sign.SignMessageSerializer;
import io.lamina.compression.sign.SignSgdCompressor;
import io.lamina.compression.sign.SignumCompressor;
import io.lamina.compression.sign.VoteMessage;
import io.lamina.compression.sign.VoteMessageSerializer;
import io.lamina.compression.sparse.AdaptiveCompressor;
import io.lamina.compression.sparse.AdaptiveTauCompressor;
import io.lamina.compression.sparse.BudgetTopKCompressor;
import io.lamina.compression.sparse.DgcCompressor;
import io.lamina.compression.sparse.RandomKCompressor;
import io.lamina.compression.sparse.SharedIndexMessage;
import io.lamina.compression.sparse.SharedIndexMessageSerializer;
import io.lamina.compression.sparse.SparseMessage;
import io.lamina.compression.sparse.SparseMessageSerializer;
import io.lamina.compression.sparse.ThresholdCompressor;
import io.lamina.compression.sparse.TopKCompressor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of compression methods: one {@link Method} line per method. Kryo registration
 * ({@link WireFormat}), the compatibility checks ({@link Compatibility}), {@link Compressors#parse},
 * the bench's {@code all} ({@link #examples()}) and the contract tests all derive from it.
 *
 * <p>Kryo ids: 1000-1019 shared and sparse messages, 1020-1049 quantisers and sign, 1050-1059
 * low rank; an id is never reused or changed (it is the wire format). Duplicates fail when this
 * class initialises.
 */
public final class Methods {

    // message types shared by several methods
    public static final MessageType<DenseMessage> DENSE = MessageType.of(DenseMessage.class, 1000, DenseMessageSerializer::new);
    public static final MessageType<GatheredMessage> GATHERED = MessageType.of(GatheredMessage.class, 1029, GatheredMessageSerializer::new);
    static final MessageType<SparseMessage> SPARSE = MessageType.of(SparseMessage.class, 1001, SparseMessageSerializer::new);
    static final MessageType<HalfMessage> HALF = MessageType.of(HalfMessage.class, 1020, HalfMessageSerializer::new);
    static final MessageType<SignMessage> SIGNS = MessageType.of(SignMessage.class, 1025, SignMessageSerializer::new);
    static final MessageType<VoteMessage> VOTES = MessageType.of(VoteMessage.class, 1026, VoteMessageSerializer::new);
    static final MessageType<MajoritySignMessage> MAJORITY_SIGNS =
            MessageType.of(MajoritySignMessage.class, 1031, MajoritySignMessageSerializer::new);

    private static final String MAJORITY_VOTE_RULE = "aggregates by majority vote and takes no memory, got '%s'; "
            + "allowed memories: none (use efsign with memory efsign for error feedback)";

    // A vote of -1/0/+1 is meant to be scaled by the optimizer's learning rate after aggregation;
    // as an update applied as is it moves every parameter by 1 per step.
    private static final String MAJORITY_VOTE_UPDATES = "aggregates by majority vote: the vote (-1, 0 or +1 per "
            + "element) would be applied as the update itself, moving every parameter by 1 per step with no learning rate";

    private static final List<Method> ALL = List.of(
            Method.named("none", IDENTITY, NoneCompressor::parse).memories("none", "none", "residual")
                    .messages(DENSE).examples("none").build(),
            Method.named("fp16", QUANTISER, HalfCompressor::parse).messages(HALF, GATHERED, DENSE).examples("fp16").build(),
            Method.named("bf16", QUANTISER, HalfCompressor::parse).messages(HALF, GATHERED, DENSE).examples("bf16").build(),
            Method.named("8bit", QUANTISER, EightBitCompressor::parse)
                    .messages(MessageType.of(EightBitMessage.class, 1024, EightBitMessageSerializer::new), GATHERED, DENSE)
                    .examples("8bit", "8bit:rounding=stochastic").build(),
            Method.named("qsgd", QUANTISER, QsgdCompressor::parse)
                    .messages(MessageType.of(QsgdMessage.class, 1021, QsgdMessageSerializer::new), GATHERED, DENSE)
                    .examples("qsgd:s=256", "qsgd:s=7,bucket=512").build(),
            Method.named("terngrad", QUANTISER, TernGradCompressor::parse)
                    .messages(MessageType.of(TernaryMessage.class, 1022, TernaryMessageSerializer::new), GATHERED, DENSE)
                    .examples("terngrad", "terngrad:bucket=512").build(),
            Method.named("natural", QUANTISER, NaturalCompressor::parse)
                    .messages(MessageType.of(NaturalMessage.class, 1023, NaturalMessageSerializer::new), GATHERED, DENSE)
                    .examples("natural").build(),
            Method.named("dithering", QUANTISER, DitheringCompressor::parse)
                    .messages(MessageType.of(DitheringMessage.class, 1030, DitheringMessageSerializer::new), GATHERED, DENSE)
                    .examples("dithering:s=8", "dithering:s=1", "dithering:s=30").build(),
            Method.named("signsgd", SIGN, SignSgdCompressor::parse).memories("none", "none").memoryRule(MAJORITY_VOTE_RULE)
                    .gradientsOnly(MAJORITY_VOTE_UPDATES).messages(SIGNS, VOTES, MAJORITY_SIGNS).examples("signsgd").exactMerge().build(),
            Method.named("signum", SIGN, SignumCompressor::parse).memories("none", "none").memoryRule(MAJORITY_VOTE_RULE)
                    .gradientsOnly(MAJORITY_VOTE_UPDATES).messages(SIGNS, VOTES, MAJORITY_SIGNS).examples("signum").exactMerge().build(),
            Method.named("efsign", SIGN, EfSignCompressor::parse).memories("efsign", "none", "residual", "efsign")
                    .messages(MessageType.of(ScaledSignMessage.class, 1027, ScaledSignMessageSerializer::new), GATHERED, DENSE)
                    .examples("efsign").build(),
            Method.named("onebit", SIGN, OneBitCompressor::parse).memories("efsign", "none", "residual", "efsign")
                    .messages(MessageType.of(OneBitMessage.class, 1028, OneBitMessageSerializer::new), GATHERED, DENSE)
                    .examples("onebit").build(),
            sparsifier("topk", TopKCompressor::parse, "topk:0.01", "topk:0.05,values=fp32", "topk:0.05,values=bf16"),
            sparsifier(BudgetTopKCompressor.NAME, BudgetTopKCompressor::parse, "topk:budget=2000",
                    "topk-budget:8k,values=fp32"),
            Method.named("randomk", SPARSIFIER, RandomKCompressor::parse).memories("residual", "none", "residual", "dgc")
                    .sparsity(spec -> RandomKCompressor.scaled(spec) ? Sparsity.SCALED : Sparsity.BIASED)
                    .messages(MessageType.of(SharedIndexMessage.class, 1002, SharedIndexMessageSerializer::new), SPARSE, DENSE)
                    .examples("randomk:0.01", "randomk:0.05,scaled=true").build(),
            sparsifier("threshold", ThresholdCompressor::parse, "threshold:v=0.01", "threshold:v=0.5"),
            sparsifier("adaptive", AdaptiveCompressor::parse, "adaptive"),
            sparsifier("adaptive-tau", AdaptiveTauCompressor::parse, "adaptive-tau:density=0.01"),
            sparsifier("dgc", DgcCompressor::parse, "dgc:0.01"),
            Method.named("powersgd", LOW_RANK, PowerSgdSpec::parse)
                    .memoryRule("uses residual error feedback, got memory '%s'; allowed memories: none, residual")
                    .messages(MessageType.of(FactorMessage.class, 1050, FactorMessageSerializer::new), DENSE)
                    .examples("powersgd:rank=2").build());

    private static final Map<String, Method> BY_NAME = index(ALL);
    private static final List<MessageType<?>> MESSAGE_TYPES = WireFormat.messageTypes(ALL);

    private Methods() {
    }

    private static Method sparsifier(String name, java.util.function.Function<SpecParams, CompressorSpec> parser,
            String... examples) {
        return Method.named(name, SPARSIFIER, parser).memories("residual", "none", "residual", "dgc")
                .sparsity(spec -> Sparsity.BIASED).messages(SPARSE, DENSE).examples(examples).build();
    }

    static Map<String, Method> index(List<Method> methods) {
        Map<String, Method> m = new LinkedHashMap<>();
        for (Method method : methods) {
            if (m.put(method.name(), method) != null) {
                throw new IllegalStateException("compression method '" + method.name() + "' is registered twice");
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every method, in registry order (identity, quantisers, sign, sparsifiers, low rank). */
    public static List<Method> all() {
        return ALL;
    }

    /** The method called {@code name}. @throws IllegalArgumentException listing the known names */
    public static Method get(String name) {
        Method m = BY_NAME.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown compressor '" + name + "'; allowed: "
                    + String.join(", ", names()));
        }
        return m;
    }

    /** Parses {@code name[:params]}. @throws IllegalArgumentException for an unknown name or a bad parameter */
    public static CompressorSpec parse(String spec) {
        SpecParams p = SpecParams.parse(spec);
        return get(p.name()).parse(p);
    }

    /** The registered names, sorted. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(new java.util.TreeSet<>(BY_NAME.keySet()));
    }

    /** Every distinct message type, checked for unique ids and classes, in id order. */
    public static List<MessageType<?>> messageTypes() {
        return MESSAGE_TYPES;
    }

    /** The first example spec of every method, in registry order: the bench's {@code all}. */
    public static List<String> examples() {
        List<String> out = new ArrayList<>();
        for (Method m : ALL) {
            out.add(m.examples().get(0));
        }
        return List.copyOf(out);
    }

    /** Every example spec of every method, in registry order: what the contract tests run. */
    public static List<String> allExamples() {
        List<String> out = new ArrayList<>();
        for (Method m : ALL) {
            out.addAll(m.examples());
        }
        return List.copyOf(out);
    }
}
