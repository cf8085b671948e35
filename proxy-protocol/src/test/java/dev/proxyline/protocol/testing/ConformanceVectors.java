package dev.proxyline.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared conformance material: the public vectors and the captured headers of real peers.
 * Found through the {@code conformance.dir} system property (set by the build to
 * {@code ../shared/conformance}), falling back to that path from the working directory's parents.
 */
public final class ConformanceVectors {
    private static final String VECTORS_FILE = "pp-vectors-public.json";

    private ConformanceVectors() {
    }

    /** The folder holding the vectors and {@code captures/}. */
    public static Path directory() {
        String configured = System.getProperty("conformance.dir");
        if (configured != null && Files.isRegularFile(Path.of(configured, VECTORS_FILE))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/conformance").normalize();
            if (Files.isRegularFile(candidate.resolve(VECTORS_FILE))) {
                return candidate;
            }
        }
        throw new IllegalStateException("conformance vectors not found: set -Dconformance.dir or check out ../shared");
    }

    /** Every vector but the schema entry. */
    public static List<ConformanceVector> all() {
        try {
            JsonNode root = new ObjectMapper().readTree(directory().resolve(VECTORS_FILE).toFile());
            List<ConformanceVector> vectors = new ArrayList<>();
            for (JsonNode node : root) {
                if (!node.path("name").asText().startsWith("_")) {
                    vectors.add(ConformanceVector.of(node));
                }
            }
            return List.copyOf(vectors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Stream<ConformanceVector> decodeVectors() {
        return all().stream().filter(vector -> !vector.encode());
    }

    public static Stream<ConformanceVector> encodeVectors() {
        return all().stream().filter(ConformanceVector::encode);
    }

    /** A header captured from a real peer: its bytes and the decoded description next to it. */
    public record Capture(String name, byte[] bytes, String description) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every {@code captures/*.hex} with its {@code .txt}. */
    public static List<Capture> captures() {
        try (Stream<Path> files = Files.list(directory().resolve("captures"))) {
            List<Capture> captures = new ArrayList<>();
            for (Path hexFile : files.filter(f -> f.toString().endsWith(".hex")).sorted().toList()) {
                String name = hexFile.getFileName().toString().replaceFirst("\\.hex$", "");
                byte[] bytes = HexFormat.of().parseHex(Files.readString(hexFile).strip());
                Path txt = hexFile.resolveSibling(name + ".txt");
                captures.add(new Capture(name, bytes, Files.isRegularFile(txt) ? Files.readString(txt) : ""));
            }
            return List.copyOf(captures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
