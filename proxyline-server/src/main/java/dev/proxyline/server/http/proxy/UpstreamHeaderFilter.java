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

    private final AsciiString[] hidden;
    private final boolean ownServer;
    private final boolean ownDate;

    private UpstreamHeaderFilter(List<AsciiString> hidden, boolean ownServer, boolean ownDate) {
        this.hidden = hidden.toArray(new AsciiString[0]);
        this.ownServer = ownServer;
        this.ownDate = ownDate;
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
        return new UpstreamHeaderFilter(hidden, hidden.contains(HttpHeaderNames.SERVER),
                hidden.contains(HttpHeaderNames.DATE));
    }

    /** Whether the client does not get the upstream's field called {@code name}. */
    boolean hides(CharSequence name) {
        for (AsciiString h : hidden) {
            if (h.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** proxyline's own Server and Date in place of the upstream's hidden ones ({@code date} as HTTP formats it). */
    void addOwn(HttpHeaders headers, String date) {
        if (ownServer) {
            headers.set(HttpHeaderNames.SERVER, ServerHeader.NAME);
        }
        if (ownDate) {
            headers.set(HttpHeaderNames.DATE, date);
        }
    }
}
