package dev.proxyline.server.http.realip;

import dev.proxyline.config.HttpSettings;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The forwarding headers the ingress sends upstream, as ingress-nginx's template sets them by
 * default, with one rule added at the trust boundary (DESIGN.md, convention 5): a forwarding header
 * from a client is passed on or used only when the client that wrote it is trusted
 * ({@code set_real_ip_from}); otherwise it is stripped and, where proxyline sets one, replaced.
 *
 * <p>"The client that wrote it" is the HTTP hop: the socket peer, or, when a trusted peer sent a
 * PROXY header, that header's source, because an L4 balancer relays HTTP bytes without writing any.
 *
 * <p>Sent headers, ingress-nginx's defaults in brackets:
 * <ul>
 *   <li>{@code X-Request-ID}: a trusted hop's value if it is sane, else 32 random hex digits
 *       [ingress-nginx passes any client's value; proxyline does not, so logs can be correlated on it].</li>
 *   <li>{@code X-Real-IP}: {@code $remote_addr}.</li>
 *   <li>{@code X-Forwarded-For}: {@code $remote_addr} [use-forwarded-headers false]; with
 *       {@link Options#useForwardedHeaders()} and {@link Options#computeFullForwardedFor()} the
 *       trusted hop's list plus the hop's address [ingress-nginx: {@code $http_x_forwarded_for,
 *       $realip_remote_addr}]. The hop, not {@code $remote_addr}, is appended: realip may have taken
 *       {@code $remote_addr} from that very list, and appending it again would repeat it.</li>
 *   <li>{@code X-Forwarded-Host}, {@code X-Forwarded-Port}, {@code X-Forwarded-Proto},
 *       {@code X-Forwarded-Scheme}, {@code X-Scheme}: this request's host, port and scheme; with
 *       {@code useForwardedHeaders} a trusted hop's X-Forwarded-Host/Port/Proto values win.</li>
 *   <li>{@code X-Original-URI}: the request URI when {@link Options#originalUri()} [default on].</li>
 *   <li>{@code X-Original-Forwarded-For}: a trusted hop's X-Forwarded-For, if any [ingress-nginx
 *       copies any client's].</li>
 *   <li>{@code Forwarded} (RFC 7239) when {@link Options#forwarded()} is set: a trusted hop's elements
 *       plus one for this hop.</li>
 * </ul>
 * Then {@code proxy_set_header} rules, already rendered, replace any header of the same name; an
 * empty value removes it, as nginx does. A field that the location's own rules write after this class
 * ({@code writtenByRules}) is neither stripped nor added here: the rule replaces or removes whatever is
 * there, so the work would be thrown away (ingress-nginx's generated locations set most of these fields).
 */
public final class ForwardedHeaders {
    /**
     * Every header this class owns (computed, or passed on only from a trusted hop), as constants: the edit
     * sink can keep its own pre-built form of each name (Netty's {@code AsciiString}, hashed once) instead of
     * hashing and validating the text per request.
     */
    public enum Field {
        X_REQUEST_ID("X-Request-ID"), X_REAL_IP("X-Real-IP"), X_FORWARDED_FOR("X-Forwarded-For"),
        X_FORWARDED_HOST("X-Forwarded-Host"), X_FORWARDED_PORT("X-Forwarded-Port"),
        X_FORWARDED_PROTO("X-Forwarded-Proto"), X_FORWARDED_SCHEME("X-Forwarded-Scheme"), X_SCHEME("X-Scheme"),
        X_ORIGINAL_URI("X-Original-URI"), X_ORIGINAL_FORWARDED_FOR("X-Original-Forwarded-For"),
        FORWARDED("Forwarded");

        private final String text;

        Field(String text) {
            this.text = text;
        }

        /** The field's name as sent. */
        public String text() {
            return text;
        }

        /** The fields among {@code names} (header names, any case). */
        public static Set<Field> named(Collection<String> names) {
            Set<Field> fields = EnumSet.noneOf(Field.class);
            for (String name : names) {
                for (Field field : FIELDS) {
                    if (field.text.equalsIgnoreCase(name)) fields.add(field);
                }
            }
            return fields;
        }
    }

    private static final Field[] FIELDS = Field.values();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private static final int MAX_REQUEST_ID = 200;

    private final Options options;
    private final RandomGenerator random;
    private final Set<Field> writtenByRules;

    /**
     * @param options what to send
     * @param random  source of request ids, used by every event loop at once: in production a view of each
     *                thread's {@code ThreadLocalRandom}; seeded in tests
     */
    public ForwardedHeaders(Options options, RandomGenerator random) {
        this(options, random, Set.of());
    }

    /**
     * @param writtenByRules the fields the location's {@code proxy_set_header} rules write once this class is
     *                       done: left to them (see the class comment)
     */
    public ForwardedHeaders(Options options, RandomGenerator random, Set<Field> writtenByRules) {
        this.options = Objects.requireNonNull(options, "options");
        this.random = Objects.requireNonNull(random, "random");
        this.writtenByRules = writtenByRules.isEmpty() ? EnumSet.noneOf(Field.class) : EnumSet.copyOf(writtenByRules);
    }

    /** What this instance sends. */
    public Options options() {
        return options;
    }

    /**
     * What to send.
     *
     * @param useForwardedHeaders     ingress-nginx's use-forwarded-headers: honour a trusted hop's X-Forwarded-*
     * @param computeFullForwardedFor ingress-nginx's compute-full-forwarded-for: append to X-Forwarded-For
     *                                (only together with useForwardedHeaders, as in ingress-nginx)
     * @param originalUri             send X-Original-URI
     * @param forwarded               send RFC 7239 {@code Forwarded}, if present
     * @param setHeaders              {@code proxy_set_header} rules with rendered values
     */
    public record Options(boolean useForwardedHeaders, boolean computeFullForwardedFor, boolean originalUri,
                          Optional<Rfc7239> forwarded, List<HttpSettings.HeaderRule> setHeaders) {
        public Options {
            Objects.requireNonNull(forwarded, "forwarded");
            setHeaders = List.copyOf(setHeaders);
        }

        /** ingress-nginx's defaults: no forwarded headers used, X-Original-URI on, no Forwarded. */
        public static Options ingressNginxDefaults() {
            return new Options(false, false, true, Optional.empty(), List.of());
        }

        public Options withForwarded(Rfc7239 rfc7239) {
            return new Options(useForwardedHeaders, computeFullForwardedFor, originalUri, Optional.of(rfc7239), setHeaders);
        }

        public Options withSetHeaders(List<HttpSettings.HeaderRule> rules) {
            return new Options(useForwardedHeaders, computeFullForwardedFor, originalUri, forwarded, rules);
        }
    }

    /** How this hop describes itself in {@code Forwarded}. */
    public enum ForStyle {
        /** {@code for=192.0.2.60} */
        ADDRESS,
        /** {@code for="192.0.2.60:47011"} */
        ADDRESS_AND_PORT,
        /** {@code for=_hidden}: the client is not disclosed */
        HIDDEN,
        /** {@code for=unknown} */
        UNKNOWN
    }

    /**
     * RFC 7239 options.
     *
     * @param forStyle how {@code for=} names the hop
     * @param by       this proxy's own node for {@code by=}, if any
     */
    public record Rfc7239(ForStyle forStyle, Optional<ForwardedNode> by) {
        public Rfc7239 {
            Objects.requireNonNull(forStyle, "forStyle");
            Objects.requireNonNull(by, "by");
        }
    }

    /**
     * One request as seen by this hop.
     *
     * @param headers    the request headers as received
     * @param client     realip's outcome
     * @param remoteAddr {@code client}'s address as text ({@code $remote_addr}); a connection whose client
     *                   does not change between requests formats it once
     * @param hop        who wrote the HTTP request we received (see the class comment)
     * @param hopTrusted whether {@code hop} may supply forwarding headers
     * @param scheme     {@code http} or {@code https} on this hop
     * @param host       the request's host ({@code $best_http_host}: the Host header, else the server name)
     * @param serverPort the port the request arrived on, in decimal: a connection formats its port once
     * @param requestUri the request target as received ({@code $request_uri})
     */
    public record Request(Headers headers, RealIp.Result client, String remoteAddr, SocketAddress hop,
                          boolean hopTrusted, String scheme, String host, String serverPort, String requestUri) {
        public Request {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(remoteAddr, "remoteAddr");
            Objects.requireNonNull(hop, "hop");
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(serverPort, "serverPort");
            Objects.requireNonNull(requestUri, "requestUri");
        }

        /** Runs realip and finds the HTTP hop for one request. */
        public static Request of(RealIp realIp, RealIp.Connection connection, Headers headers,
                                 String scheme, String host, int serverPort, String requestUri) {
            return of(realIp, connection, realIp.resolve(connection, headers), headers, scheme, host, serverPort,
                    requestUri);
        }

        /** Finds the HTTP hop for one request whose realip outcome {@code client} is already known. */
        public static Request of(RealIp realIp, RealIp.Connection connection, RealIp.Result client, Headers headers,
                                 String scheme, String host, int serverPort, String requestUri) {
            SocketAddress hop = hop(realIp, connection);
            return new Request(headers, client, client.remoteAddr(), hop, realIp.trusts(hop), scheme, host,
                    Integer.toString(serverPort), requestUri);
        }

        /** Who wrote the HTTP request on {@code connection}: the same for all of its requests. */
        public static SocketAddress hop(RealIp realIp, RealIp.Connection connection) {
            // An unverified PROXY header names nobody, so its source is used only behind a trusted peer.
            return realIp.trusts(connection.peer()) && connection.proxySource().isPresent()
                    ? connection.proxySource().get()
                    : connection.peer();
        }
    }

    /**
     * Where {@link #upstream(Request, Edits)} writes the upstream headers: the received headers, edited
     * in place, so that the request path converts no header list (the ingress edits Netty's headers).
     */
    public interface Edits {
        /** Removes every field of that name (ignoring case). */
        void remove(String name);

        /** Adds one field at the end. */
        void add(String name, String value);

        /** Removes every field named {@code field}. */
        default void remove(Field field) {
            remove(field.text());
        }

        /** Adds one field named {@code field} at the end. */
        default void add(Field field, String value) {
            add(field.text(), value);
        }
    }

    /** The headers to send upstream: the received ones, with the managed headers decided here. */
    public Headers upstream(Request r) {
        Headers.Builder out = r.headers().toBuilder();
        upstream(r, new Edits() {
            @Override
            public void remove(String name) {
                out.remove(name);
            }

            @Override
            public void add(String name, String value) {
                out.add(name, value);
            }
        });
        return out.build();
    }

    /**
     * Turns {@code r}'s received headers into the upstream's through {@code out}, which holds the
     * received headers: every value is decided from {@code r.headers()} before anything is edited.
     *
     * @return the request's id ({@code $request_id}), also when a rule writes X-Request-ID instead
     */
    public String upstream(Request r, Edits out) {
        Headers in = r.headers();
        boolean trusted = r.hopTrusted();
        boolean useIncoming = trusted && options.useForwardedHeaders();
        String remoteAddr = r.remoteAddr();

        String requestId = trusted ? in.first("X-Request-ID").filter(ForwardedHeaders::saneRequestId).orElse(null) : null;
        String incomingXff = trusted ? joined(in.all("X-Forwarded-For")) : "";
        String xff = options.useForwardedHeaders() && options.computeFullForwardedFor()
                ? (incomingXff.isEmpty() ? "" : incomingXff + ", ") + AddressText.addr(r.hop())
                : remoteAddr;
        String host = useIncoming ? nonEmpty(in, "X-Forwarded-Host").orElse(r.host()) : r.host();
        String port = useIncoming ? nonEmpty(in, "X-Forwarded-Port").orElse(r.serverPort()) : r.serverPort();
        String scheme = useIncoming ? nonEmpty(in, "X-Forwarded-Proto").orElse(r.scheme()) : r.scheme();
        List<String> originalUris = !options.originalUri() && trusted ? in.all("X-Original-URI") : List.of();
        String forwarded = null;
        List<String> passedForwarded = List.of();
        if (options.forwarded().isPresent()) {
            String incoming = trusted ? joined(in.all("Forwarded")) : "";
            String element = element(options.forwarded().get(), r);
            forwarded = incoming.isEmpty() ? element : incoming + ", " + element;
        } else if (trusted) {
            passedForwarded = in.all("Forwarded");
        }

        for (Field field : FIELDS) {
            if (!writtenByRules.contains(field)) out.remove(field);
        }
        String id = requestId != null ? requestId : requestId(random);
        put(out, Field.X_REQUEST_ID, id);
        put(out, Field.X_REAL_IP, remoteAddr);
        put(out, Field.X_FORWARDED_FOR, xff);
        put(out, Field.X_FORWARDED_HOST, host);
        put(out, Field.X_FORWARDED_PORT, port);
        put(out, Field.X_FORWARDED_PROTO, scheme);
        put(out, Field.X_FORWARDED_SCHEME, scheme);
        put(out, Field.X_SCHEME, scheme);
        if (options.originalUri()) {
            put(out, Field.X_ORIGINAL_URI, r.requestUri());
        } else {
            for (String v : originalUris) put(out, Field.X_ORIGINAL_URI, v);
        }
        if (!incomingXff.isEmpty()) put(out, Field.X_ORIGINAL_FORWARDED_FOR, incomingXff);
        if (forwarded != null) {
            put(out, Field.FORWARDED, forwarded);
        } else {
            for (String v : passedForwarded) put(out, Field.FORWARDED, v);
        }

        for (HttpSettings.HeaderRule rule : options.setHeaders()) {
            out.remove(rule.name());
            if (!rule.value().isEmpty()) out.add(rule.name(), rule.value());
        }
        return id;
    }

    private void put(Edits out, Field field, String value) {
        if (!writtenByRules.contains(field)) out.add(field, value);
    }

    /** This hop's {@code Forwarded} element: for, by, proto, host, in the order of RFC 7239's examples. */
    static String element(Rfc7239 rfc, Request r) {
        StringBuilder sb = new StringBuilder("for=").append(forNode(rfc.forStyle(), r.hop()).render());
        rfc.by().ifPresent(by -> sb.append(";by=").append(by.render()));
        sb.append(";proto=").append(tokenOrQuoted(r.scheme()));
        if (!r.host().isEmpty() && printable(r.host())) sb.append(";host=").append(tokenOrQuoted(r.host()));
        return sb.toString();
    }

    private static ForwardedNode forNode(ForStyle style, SocketAddress hop) {
        if (style == ForStyle.HIDDEN) return new ForwardedNode.Obfuscated("_hidden");
        if (style == ForStyle.UNKNOWN || !(hop instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return new ForwardedNode.Unknown();
        }
        return new ForwardedNode.Ip(inet.getAddress(), style == ForStyle.ADDRESS_AND_PORT ? inet.getPort() : 0);
    }

    /** A token as is, anything else as an RFC 7230 quoted-string. */
    static String tokenOrQuoted(String value) {
        if (!value.isEmpty() && value.chars().allMatch(ForwardedHeaders::tchar)) return value;
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static boolean tchar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** Visible ASCII without separators that would let a value smuggle a list or a second field. */
    static boolean saneRequestId(String id) {
        return !id.isEmpty() && id.length() <= MAX_REQUEST_ID
                && id.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',' && c != ';' && c != '"');
    }

    /** 128 random bits as 32 lower-case hex digits, the shape of nginx's {@code $request_id}. */
    public static String requestId(RandomGenerator random) {
        // Written straight into the string's bytes: HexFormat's builder showed per request.
        byte[] hex = new byte[32];
        putHex(random.nextLong(), hex, 0);
        putHex(random.nextLong(), hex, 16);
        return new String(hex, StandardCharsets.ISO_8859_1);
    }

    private static void putHex(long bits, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
    }

    private static Optional<String> nonEmpty(Headers h, String name) {
        return h.first(name).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** Several fields of a list header are one list (RFC 9110 section 5.3). */
    private static String joined(List<String> values) {
        if (values.isEmpty()) return "";
        if (values.size() == 1) return values.get(0).strip();
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            String s = v.strip();
            if (s.isEmpty()) continue;
            if (sb.length() > 0) sb.append(", ");
            sb.append(s);
        }
        return sb.toString();
    }
}
