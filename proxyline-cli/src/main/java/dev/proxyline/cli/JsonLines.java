package dev.proxyline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The loop the {@code pp} tools share: one line in, one JSON object out, flushed at once so that a
 * caller can drive the tool interactively, line by line, through a pipe.
 */
final class JsonLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {
    }

    /**
     * Applies {@code verdict} to every line of {@code in} (UTF-8; LF, CRLF or CR ends a line) and
     * prints each result to {@code out} as one line of JSON.
     *
     * @throws IOException if {@code in} cannot be read, or {@code out} no longer takes output (the
     *     reader of a pipe went away: the rest of the input would be decoded for nobody)
     */
    static void process(InputStream in, PrintWriter out, Function<String, ObjectNode> verdict) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = read(lines); line != null; line = read(lines)) {
            out.print(write(verdict.apply(line)));
            // println would use the platform's separator; the output format is LF-terminated everywhere.
            out.print('\n');
            out.flush();
            // PrintWriter swallows write errors; this is the only way to learn of them.
            if (out.checkError()) {
                throw new IOException("cannot write standard output (closed?)");
            }
        }
    }

    private static String read(BufferedReader lines) throws IOException {
        try {
            return lines.readLine();
        } catch (IOException e) {
            throw new IOException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    private static String write(ObjectNode json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot happen: a tree of plain nodes always serializes", e);
        }
    }
}
