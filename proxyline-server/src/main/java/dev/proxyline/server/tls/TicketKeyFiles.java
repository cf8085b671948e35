package dev.proxyline.server.tls;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads nginx's {@code ssl_session_ticket_key} files: 48 bytes (a 16-byte name, then the AES-128 key, then the
 * HMAC key) or 80 bytes (the name, then a 32-byte HMAC key, then an AES-256 key). BoringSSL through netty-tcnative
 * protects tickets with AES-128-CBC and HMAC-SHA256 under 16-byte keys, so an 80-byte file gives the first 16 bytes
 * of each of its keys: processes that share the file still share their tickets.
 */
final class TicketKeyFiles {
    private static final int NAME = 16;
    private static final int KEY = 16;

    private TicketKeyFiles() {
    }

    /** The keys of {@code files}, in order; every unreadable or wrongly sized file is one problem. */
    static List<OpenSslSessionTicketKey> read(List<PemFile> files) throws TlsSetupException {
        List<OpenSslSessionTicketKey> keys = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (PemFile f : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f.path());
            } catch (IOException e) {
                problems.add(f.problem("cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
                continue;
            }
            if (bytes.length == 48) {
                keys.add(key(bytes, NAME + KEY, NAME));
            } else if (bytes.length == 80) {
                keys.add(key(bytes, NAME, NAME + 32));
            } else {
                problems.add(f.problem("must be 48 or 80 bytes, not " + bytes.length));
            }
        }
        if (!problems.isEmpty()) throw new TlsSetupException(problems);
        return keys;
    }

    private static OpenSslSessionTicketKey key(byte[] file, int hmacAt, int aesAt) {
        return new OpenSslSessionTicketKey(Arrays.copyOfRange(file, 0, NAME), Arrays.copyOfRange(file, hmacAt, hmacAt + KEY),
                Arrays.copyOfRange(file, aesAt, aesAt + KEY));
    }
}
