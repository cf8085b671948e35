package dev.proxyline.server.stream.preread;

/**
 * Reads a TLS ClientHello from the first bytes of a connection, as nginx's {@code ssl_preread} does: record by
 * record (a hello may span several TLS records), each record judged only once it is complete, and the hello
 * complete once its handshake message is.
 *
 * <p>Stateless: each call judges all the bytes read so far from the start, which the caller bounds by
 * {@code preread_buffer_size} (16k by default), so a call costs at most that much and nothing is kept between
 * reads. Every length is checked against what encloses it; whatever the input, the answer is one of
 * {@link PrereadResult}'s, never an exception.
 *
 * <p>nginx's rules kept: at least 5 bytes before anything is decided; an SSLv2-style hello (first bit set, message
 * type 1, version 0.x or 3.x) is complete as it is, with no server name; a first byte other than 22 (handshake) or
 * a record version other than 3.x is not TLS; only the first {@code server_name} and the first ALPN extension
 * count, and only a host name of type 0; an empty ALPN protocol declines the whole hello; a
 * {@code supported_versions} extension makes the version TLS 1.3 whatever it lists. Stricter than nginx: the lengths
 * of the extensions block and of the lists inside {@code server_name}, ALPN and {@code supported_versions} must
 * agree with their extension's, where nginx reads on from wherever a wrong length leads.
 */
public final class ClientHelloParser {
    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE_HEADER = 4;
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int EXT_SUPPORTED_VERSIONS = 43;

    private ClientHelloParser() {
    }

    /** Judges {@code length} bytes of {@code in} from {@code offset}: all the client sent so far. */
    public static PrereadResult parse(byte[] in, int offset, int length) {
        if (offset < 0 || length < 0 || offset > in.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + in.length);
        }
        int end = offset + length;
        int p = offset;
        // The handshake bytes of the records read so far; most hellos fit one record and are judged in place.
        byte[] joined = null;
        int joinedLength = 0;
        while (end - p >= RECORD_HEADER) {
            int first = in[p] & 0xFF;
            int third = in[p + 2] & 0xFF;
            int fourth = in[p + 3] & 0xFF;
            if ((first & 0x80) != 0 && third == CLIENT_HELLO && (fourth == 0 || fourth == 3)) {
                return new PrereadResult.Hello(new ClientHello((fourth << 8) | (in[p + 4] & 0xFF), "", ""));
            }
            if (first != HANDSHAKE) {
                return new PrereadResult.NotTls("not a handshake record (first byte 0x" + Integer.toHexString(first) + ")");
            }
            if ((in[p + 1] & 0xFF) != 3) {
                return new PrereadResult.NotTls("unsupported record version " + (in[p + 1] & 0xFF) + "." + fourth);
            }
            int recordLength = u16(in, p + 3);
            if (end - p - RECORD_HEADER < recordLength) {
                return PrereadResult.NEED_MORE; // nginx judges a record once all of it is in
            }
            int body = p + RECORD_HEADER;
            p = body + recordLength;
            PrereadResult result;
            if (joined == null && (p == end || handshakeEnds(in, body, recordLength))) {
                result = handshake(in, body, recordLength);
            } else {
                if (joined == null) {
                    joined = new byte[Math.max(64, length)];
                }
                System.arraycopy(in, body, joined, joinedLength, recordLength);
                joinedLength += recordLength;
                result = handshake(joined, 0, joinedLength);
            }
            if (!(result instanceof PrereadResult.NeedMore)) {
                return result;
            }
        }
        return PrereadResult.NEED_MORE;
    }

    /** Whether one record holds a whole handshake message (or at least enough to decline it). */
    private static boolean handshakeEnds(byte[] in, int at, int n) {
        return n >= HANDSHAKE_HEADER && (in[at] != CLIENT_HELLO || u24(in, at + 1) <= n - HANDSHAKE_HEADER);
    }

    /** Judges the handshake bytes {@code in[at, at + n)}. */
    private static PrereadResult handshake(byte[] in, int at, int n) {
        if (n < HANDSHAKE_HEADER) {
            return PrereadResult.NEED_MORE;
        }
        if (in[at] != CLIENT_HELLO) {
            return new PrereadResult.NotTls("not a ClientHello (handshake type " + (in[at] & 0xFF) + ")");
        }
        int messageLength = u24(in, at + 1);
        if (n - HANDSHAKE_HEADER < messageLength) {
            return PrereadResult.NEED_MORE;
        }
        return new Reader(in, at + HANDSHAKE_HEADER, messageLength).clientHello();
    }

    private static int u16(byte[] in, int at) {
        return ((in[at] & 0xFF) << 8) | (in[at + 1] & 0xFF);
    }

    private static int u24(byte[] in, int at) {
        return ((in[at] & 0xFF) << 16) | ((in[at + 1] & 0xFF) << 8) | (in[at + 2] & 0xFF);
    }

    /** Reads one complete ClientHello body; every read is checked against the body's end. */
    private static final class Reader {
        private final byte[] in;
        private final int end;
        private int p;
        private String failure;

        Reader(byte[] in, int at, int length) {
            this.in = in;
            this.p = at;
            this.end = at + length;
        }

        PrereadResult clientHello() {
            int version = u16("client_version");
            skip(32, "random");
            skip(u8("session_id length"), "session_id");
            skip(u16("cipher_suites length"), "cipher_suites");
            skip(u8("compression_methods length"), "compression_methods");
            if (failure != null) {
                return new PrereadResult.NotTls(failure);
            }
            if (p == end) {
                return new PrereadResult.Hello(new ClientHello(version, "", ""));
            }
            int extensionsLength = u16("extensions length");
            if (failure == null && extensionsLength != end - p) {
                fail("extensions length " + extensionsLength + " where " + (end - p) + " bytes are left");
            }
            String serverName = null;
            String alpn = null;
            boolean supportedVersions = false;
            while (failure == null && p < end) {
                int type = u16("extension type");
                int length = u16("extension length");
                if (failure != null) {
                    break;
                }
                if (length > end - p) {
                    fail("extension " + type + " of " + length + " bytes where " + (end - p) + " are left");
                    break;
                }
                int next = p + length;
                if (type == EXT_SERVER_NAME && serverName == null) {
                    serverName = serverName(next);
                } else if (type == EXT_ALPN && alpn == null) {
                    alpn = alpn(next);
                } else if (type == EXT_SUPPORTED_VERSIONS) {
                    int listLength = u8("supported_versions length");
                    if (failure == null && listLength != next - p) {
                        fail("supported_versions list of " + listLength + " bytes in " + (next - p));
                    }
                    supportedVersions = true;
                }
                p = next;
            }
            if (failure != null) {
                return new PrereadResult.NotTls(failure);
            }
            return new PrereadResult.Hello(new ClientHello(supportedVersions ? 0x0304 : version,
                    serverName == null ? "" : serverName, alpn == null ? "" : alpn));
        }

        /** The first entry of a {@code server_name} list ending at {@code next}; the rest are not looked at. */
        private String serverName(int next) {
            int listLength = u16("server_name list length");
            if (failure == null && listLength != next - p) {
                fail("server_name list of " + listLength + " bytes in " + (next - p));
            }
            int nameType = u8("server_name type");
            int nameLength = u16("server_name length");
            if (failure != null) {
                return null;
            }
            if (nameType != 0) {
                fail("server_name type " + nameType + " (only host_name, 0, is read)");
                return null;
            }
            if (nameLength > next - p) {
                fail("server_name of " + nameLength + " bytes where " + (next - p) + " are left");
                return null;
            }
            String name = text(p, nameLength);
            p += nameLength;
            return name;
        }

        /** The protocol names of an ALPN list ending at {@code next}, joined by ",". */
        private String alpn(int next) {
            int listLength = u16("ALPN list length");
            if (failure == null && listLength != next - p) {
                fail("ALPN list of " + listLength + " bytes in " + (next - p));
            }
            StringBuilder names = new StringBuilder();
            while (failure == null && p < next) {
                int nameLength = u8("ALPN protocol length");
                if (failure != null) {
                    break;
                }
                if (nameLength == 0) {
                    fail("empty ALPN protocol name");
                } else if (nameLength > next - p) {
                    fail("ALPN protocol of " + nameLength + " bytes where " + (next - p) + " are left");
                } else {
                    if (names.length() > 0) {
                        names.append(',');
                    }
                    for (int i = 0; i < nameLength; i++) {
                        names.append((char) (in[p + i] & 0xFF));
                    }
                    p += nameLength;
                }
            }
            return names.toString();
        }

        private String text(int at, int n) {
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                chars[i] = (char) (in[at + i] & 0xFF);
            }
            return new String(chars);
        }

        private int u8(String what) {
            if (failure != null) {
                return 0;
            }
            if (end - p < 1) {
                fail(what + " past the end of the ClientHello");
                return 0;
            }
            return in[p++] & 0xFF;
        }

        private int u16(String what) {
            if (failure != null) {
                return 0;
            }
            if (end - p < 2) {
                fail(what + " past the end of the ClientHello");
                return 0;
            }
            int v = ClientHelloParser.u16(in, p);
            p += 2;
            return v;
        }

        private void skip(int n, String what) {
            if (failure != null) {
                return;
            }
            if (end - p < n) {
                fail(what + " of " + n + " bytes where " + (end - p) + " are left");
                return;
            }
            p += n;
        }

        private void fail(String why) {
            if (failure == null) {
                failure = why;
            }
        }
    }
}
