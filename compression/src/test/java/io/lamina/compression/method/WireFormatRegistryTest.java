package io.lamina.compression.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.message.DenseMessage;
import io.lamina.compression.message.DenseMessageSerializer;
import io.lamina.compression.message.GatheredMessage;
import io.lamina.compression.message.GatheredMessageSerializer;
import io.lamina.compression.identity.NoneCompressor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The registry's Kryo ids are today's, unique, and duplicates fail fast. */
class WireFormatRegistryTest {

    private static Method method(String name, MessageType<?>... types) {
        return Method.named(name, Family.IDENTITY, NoneCompressor::parse).messages(types).examples(name).build();
    }

    @Test
    void idsAreFixed() {
        Map<Integer, String> ids = new TreeMap<>();
        for (MessageType<?> t : Methods.messageTypes()) {
            ids.put(t.kryoId(), t.type().getSimpleName());
        }
        Map<Integer, String> expected = new TreeMap<>(Map.ofEntries(Map.entry(1000, "DenseMessage"),
                Map.entry(1001, "SparseMessage"), Map.entry(1002, "SharedIndexMessage"), Map.entry(1020, "HalfMessage"),
                Map.entry(1021, "QsgdMessage"), Map.entry(1022, "TernaryMessage"), Map.entry(1023, "NaturalMessage"),
                Map.entry(1024, "EightBitMessage"), Map.entry(1025, "SignMessage"), Map.entry(1026, "VoteMessage"),
                Map.entry(1027, "ScaledSignMessage"), Map.entry(1028, "OneBitMessage"), Map.entry(1029, "GatheredMessage"),
                Map.entry(1031, "MajoritySignMessage"),
                Map.entry(1050, "FactorMessage")));
        expected.keySet().forEach(id -> assertEquals(expected.get(id), ids.get(id), "id " + id));
        assertTrue(ids.keySet().containsAll(expected.keySet()));
    }

    @Test
    void everyRegisteredTypeHasItsIdInNewKryo() {
        var kryo = WireFormat.newKryo();
        for (MessageType<?> t : Methods.messageTypes()) {
            assertEquals(t.kryoId(), kryo.getRegistration(t.type()).getId());
        }
    }

    @Test
    void duplicateIdFailsFast() {
        var a = method("a", MessageType.of(DenseMessage.class, 1000, DenseMessageSerializer::new));
        var b = method("b", MessageType.of(GatheredMessage.class, 1000, GatheredMessageSerializer::new));
        var e = assertThrows(IllegalStateException.class, () -> WireFormat.messageTypes(List.of(a, b)));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
    }

    @Test
    void oneTypeWithTwoIdsFailsFast() {
        var a = method("a", MessageType.of(DenseMessage.class, 1000, DenseMessageSerializer::new));
        var b = method("b", MessageType.of(DenseMessage.class, 1098, DenseMessageSerializer::new));
        assertThrows(IllegalStateException.class, () -> WireFormat.messageTypes(List.of(a, b)));
    }

    @Test
    void sameTypeDeclaredTwiceAlikeIsFine() {
        var a = method("a", Methods.DENSE);
        var b = method("b", Methods.DENSE);
        assertEquals(1, WireFormat.messageTypes(List.of(a, b)).size());
    }

    @Test
    void duplicateNamesAndOutOfRangeIdsFail() {
        assertThrows(IllegalStateException.class, () -> Methods.index(List.of(method("a", Methods.DENSE), method("a", Methods.DENSE))));
        assertThrows(IllegalArgumentException.class, () -> MessageType.of(DenseMessage.class, 1100, DenseMessageSerializer::new));
    }
}
