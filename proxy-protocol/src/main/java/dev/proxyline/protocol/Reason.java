package dev.proxyline.protocol;

/**
 * Why a PROXY header was refused, or could not be built. One list for the codec, the handlers,
 * metrics and logs, after HAProxy's {@code CO_ER_PRX_*} codes but finer, so that a counter tells
 * an operator what to fix.
 */
public enum Reason {
    // ---- the bytes are not a PROXY header at all
    /** Neither the v1 {@code PROXY } prefix nor the v2 signature. */
    NOT_PROXY("not a PROXY protocol header"),
    /** The peer sent an HTTP request where the header belongs: the balancer is not sending one. */
    NOT_PROXY_HTTP("an HTTP request instead of a PROXY protocol header"),
    /** The peer started a TLS handshake where the header belongs. */
    NOT_PROXY_TLS("a TLS ClientHello instead of a PROXY protocol header"),

    // ---- v1
    V1_BAD_SYNTAX("malformed v1 line"),
    V1_BAD_PROTOCOL("unsupported v1 protocol"),
    V1_BAD_ADDRESS("invalid v1 address"),
    V1_BAD_PORT("invalid v1 port"),
    V1_BAD_LINE_END("v1 line not ended by CRLF"),
    V1_TOO_LONG("v1 line longer than 107 bytes"),

    // ---- v2
    V2_BAD_VERSION("unsupported v2 version"),
    V2_BAD_COMMAND("invalid v2 command"),
    V2_BAD_FAMILY("invalid v2 address family or transport"),
    V2_BAD_LENGTH("v2 length too short for the address family"),
    V2_TOO_LONG("v2 header longer than the configured maximum"),
    TLV_MALFORMED("malformed v2 TLV"),
    TLV_BAD_VALUE("invalid v2 TLV value"),
    CRC32C_MISMATCH("v2 CRC32C checksum mismatch"),

    // ---- at the connection (set by the receive handler, not the codec)
    /** The peer closed the connection before sending a single byte. */
    EMPTY("connection closed before any byte"),
    /** The peer closed the connection in the middle of a header. */
    TRUNCATED("connection closed inside the header"),
    /** The header did not arrive within the deadline. */
    TIMEOUT("header not received in time"),
    /** The source may not send a header (policy {@code reject}) or is not trusted to. */
    UNTRUSTED("header from an untrusted source"),
    /** The header was required and the source is not allowed to omit it. */
    MISSING("header required but absent"),

    // ---- encoding
    PORT_OUT_OF_RANGE("port out of range"),
    PATH_TOO_LONG("AF_UNIX path longer than 108 bytes"),
    HEADER_TOO_LONG("header longer than 65535 bytes after the fixed part"),
    NOT_ENCODABLE("cannot be encoded");

    private final String summary;

    Reason(String summary) {
        this.summary = summary;
    }

    /** A few words for logs and metric descriptions. */
    public String summary() {
        return summary;
    }

    /** A label for metrics and JSON: the constant in lower case, such as {@code v1_bad_port}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
