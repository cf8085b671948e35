package dev.proxyline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of {@code proxyline}: what it printed and how it exited. */
record CliRun(int exitCode, String out, String err) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Runs {@code proxyline args…} with {@code stdin} as standard input. */
    static CliRun run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Cli.create(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** The output lines parsed as JSON; fails if one is not. */
    List<JsonNode> json() {
        List<JsonNode> nodes = new ArrayList<>();
        if (out.isEmpty()) {
            return nodes;
        }
        if (!out.endsWith("\n")) {
            throw new AssertionError("output does not end with a newline: " + out);
        }
        for (String line : out.substring(0, out.length() - 1).split("\n", -1)) {
            try {
                nodes.add(MAPPER.readTree(line));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }
        return nodes;
    }

    /** The only output line, as JSON. */
    JsonNode single() {
        List<JsonNode> nodes = json();
        if (nodes.size() != 1) {
            throw new AssertionError("expected one output line, got " + nodes.size() + ": " + out + err);
        }
        return nodes.get(0);
    }

    /** {@code pp decode} of one line. */
    static JsonNode decode(String hexLine) {
        return run(hexLine + "\n", "pp", "decode").single();
    }

    /** {@code pp encode} of one line. */
    static JsonNode encode(String jsonLine) {
        return run(jsonLine + "\n", "pp", "encode").single();
    }
}
