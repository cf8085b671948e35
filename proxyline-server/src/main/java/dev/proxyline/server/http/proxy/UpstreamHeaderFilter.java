package dev.proxyline.server.http.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * What of an upstream response's header the client does not get, as nginx's proxy module decides it: by default
 * {@code Date}, {@code Server}, {@code X-Pad} and the {@code X-Accel-*} fields (nginx's own controls, which name
 * internal paths), plus the names of {@code proxy_hide_header}, minus those of {@code proxy_pass_header}. The
 * response then carries proxyline's own {@code Server} and {@code Date}, unless the upstream's were passed.
 */
final class UpstreamHeaderFilter {
    private static final List<String> HIDDEN_BY_DEFAULT = List.of("Date", "Server", "X-Pad", "X-Accel-Expires",
            "X-Accel-Redirect", "X-Accel-Limit-Rate", "X-Accel-Buffering", "X-Accel-Charset");

    static final UpstreamHeaderFilter DEFAULT = of(List.of(), List.of());

    /** The hidden names {@link #hides} looks for: Server and Date are not, as {@link #addOwn} replaces them. */
    private final AsciiString[] removed;
    /** One bit per lower-case first letter of a removed name: most fields are passed on after one test. */
    private final long firstLetters;
    private final boolean ownServer;
    private final boolean ownDate;

    private UpstreamHeaderFilter(List<AsciiString> hidden) {
        this.ownServer = hidden.contains(HttpHeaderNames.SERVER);
        this.ownDate = hidden.contains(HttpHeaderNames.DATE);
        List<AsciiString> removed = new ArrayList<>(hidden);
        removed.remove(HttpHeaderNames.SERVER);
        removed.remove(HttpHeaderNames.DATE);
        this.removed = removed.toArray(new AsciiString[0]);
        long letters = 0;
        for (AsciiString name : removed) {
            letters |= bit(name.charAt(0));
        }
        this.firstLetters = letters;
    }

    private static long bit(char c) {
        char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        return 1L << (lower & 63);
    }

    static UpstreamHeaderFilter of(List<String> hide, List<String> pass) {
        List<AsciiString> hidden = new ArrayList<>();
        List<String> names = new ArrayList<>(HIDDEN_BY_DEFAULT);
        names.addAll(hide);
        for (String name : names) {
            boolean passed = pass.stream().anyMatch(name::equalsIgnoreCase);
            AsciiString lower = AsciiString.of(name).toLowerCase();
            if (!passed && !hidden.contains(lower)) {
                hidden.add(lower);
            }
        }
        return new UpstreamHeaderFilter(hidden);
    }

    /**
     * Whether the upstream's field called {@code name} is to be removed (a hidden Server or Date is not: it is
     * replaced by {@link #addOwn}).
     */
    boolean hides(CharSequence name) {
        if (name.length() == 0 || (firstLetters & bit(name.charAt(0))) == 0) {
            return false;
        }
        for (AsciiString h : removed) {
            if (h.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** proxyline's own Server and Date, replacing the upstream's hidden ones ({@code date} as HTTP formats it). */
    void addOwn(HttpHeaders headers, String date) {
        if (ownServer) {
            headers.set(HttpHeaderNames.SERVER, ServerHeader.NAME);
        }
        if (ownDate) {
            headers.set(HttpHeaderNames.DATE, date);
        }
    }
}
