package dev.proxyline.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Lines of a text protocol read off a raw stream, for tests that speak it by hand. */
public final class AsciiLines {
    private AsciiLines() {
    }

    /**
     * One line without its end ({@code \n}, a {@code \r} dropped), read byte by byte so that nothing behind it is
     * consumed; empty at the end of the stream.
     */
    public static String read(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
