package io.lamina.compression.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the main sources, from their imports and fully qualified names: no cycle
 * between packages, {@code bits} depends on no Lamina package, the root (the API) only on
 * {@code bits}, and every package has a {@code package-info.java}.
 */
class PackageRulesTest {

    private static final String BASE = "io.lamina.compression";
    private static final Path SRC = Path.of("src/main/java/io/lamina/compression");
    private static final Pattern REF = Pattern.compile("\\b" + Pattern.quote(BASE) + "((?:\\.[a-z]\\w*)*)\\.[A-Z]");

    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SRC)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String rel = SRC.relativize(f.getParent()).toString().replace('/', '.');
                String pkg = rel.isEmpty() ? BASE : BASE + "." + rel;
                String code = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
                Set<String> deps = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REF.matcher(code);
                while (m.find()) {
                    String dep = BASE + m.group(1);
                    if (!dep.equals(pkg)) {
                        deps.add(dep);
                    }
                }
            }
        }
        return g;
    }

    @Test
    void noCycles() throws IOException {
        Map<String, Set<String>> g = graph();
        List<String> cycles = new ArrayList<>();
        for (String start : g.keySet()) {
            // a cycle through start: start reaches itself
            List<String> stack = new ArrayList<>(g.getOrDefault(start, Set.of()));
            Set<String> seen = new TreeSet<>();
            while (!stack.isEmpty()) {
                String p = stack.remove(stack.size() - 1);
                if (p.equals(start)) {
                    cycles.add(start);
                    break;
                }
                if (seen.add(p)) {
                    stack.addAll(g.getOrDefault(p, Set.of()));
                }
            }
        }
        assertEquals(List.of(), cycles, () -> "packages on a cycle; graph: " + g);
    }

    @Test
    void bitsDependsOnNothingAndTheApiOnlyOnBits() throws IOException {
        Map<String, Set<String>> g = graph();
        assertEquals(Set.of(), g.get(BASE + ".bits"));
        assertTrue(Set.of(BASE + ".bits").containsAll(g.get(BASE)), () -> "root depends on " + g.get(BASE));
    }

    @Test
    void everyPackageHasPackageInfo() throws IOException {
        for (String pkg : graph().keySet()) {
            Path dir = SRC.resolve(pkg.substring(BASE.length()).replaceFirst("^\\.", "").replace('.', '/'));
            assertTrue(Files.exists(dir.resolve("package-info.java")), pkg);
        }
    }
}
