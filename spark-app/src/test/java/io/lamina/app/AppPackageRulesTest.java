package io.lamina.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of spark-app's main sources (from the Lamina names each file mentions):
 * no cycle; the engine's worker and protocol rooms never reach into the driver, the protocol not
 * into the worker; the settings table depends on no engine, the report on no engine nor Spark; every
 * package has a package-info.
 */
class AppPackageRulesTest {

    private static final String APP = "io.lamina.app";
    private static final Path ROOT = Path.of("src/main/java");
    private static final Pattern LAMINA_TYPE = Pattern.compile("\\b(io\\.lamina\\.app(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    /** Package -> the other spark-app packages its files name. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve(APP.replace('.', '/')))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = ROOT.relativize(file.getParent()).toString().replace('/', '.');
                String code = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
                Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (Matcher m = LAMINA_TYPE.matcher(code); m.find(); ) {
                    if (!m.group(1).equals(pkg)) {
                        out.add(m.group(1));
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void packagesFormNoCycle() throws IOException {
        // Kahn's algorithm: peel off packages nobody left depends on; what remains lies on a cycle.
        Map<String, Set<String>> deps = dependencies();
        Map<String, Integer> dependents = new HashMap<>();
        deps.keySet().forEach(p -> dependents.put(p, 0));
        deps.values().forEach(ds -> ds.forEach(d -> dependents.merge(d, 1, Integer::sum)));
        Deque<String> free = new ArrayDeque<>();
        dependents.forEach((p, n) -> {
            if (n == 0) {
                free.add(p);
            }
        });
        while (!free.isEmpty()) {
            String p = free.pop();
            dependents.remove(p);
            for (String d : deps.getOrDefault(p, Set.of())) {
                if (dependents.merge(d, -1, Integer::sum) == 0) {
                    free.add(d);
                }
            }
        }
        assertEquals(Set.of(), dependents.keySet(), () -> "packages on a cycle; dependencies: " + deps);
    }

    @Test
    void theEngineRoomsDependOneWay() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        String engine = APP + ".engine";
        assertNoneOf(deps, engine + ".worker", engine + ".driver");
        assertNoneOf(deps, engine + ".protocol", engine + ".driver", engine + ".worker");
        assertNoneOf(deps, APP + ".config", engine, engine + ".driver", engine + ".worker", engine + ".protocol");
        // the report reads run folders only: it needs neither Spark nor the engine
        assertNoneOf(deps, APP + ".report", engine, engine + ".driver", engine + ".worker", engine + ".protocol",
                APP + ".spark", APP + ".experiment", APP + ".api");
    }

    private static void assertNoneOf(Map<String, Set<String>> deps, String pkg, String... forbidden) {
        Set<String> actual = deps.getOrDefault(pkg, Set.of());
        for (String f : forbidden) {
            assertTrue(!actual.contains(f), () -> pkg + " must not depend on " + f + "; it uses " + actual);
        }
    }

    @Test
    void everyPackageSaysWhatLivesThere() throws IOException {
        for (String pkg : dependencies().keySet()) {
            assertTrue(Files.exists(ROOT.resolve(pkg.replace('.', '/')).resolve("package-info.java")), pkg);
        }
    }
}
