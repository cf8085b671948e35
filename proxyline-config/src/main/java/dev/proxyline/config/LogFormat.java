package dev.proxyline.config;

import java.util.Objects;

/** {@code log_format NAME [escape=...] STRING...}; the strings are joined as nginx joins them. */
public record LogFormat(String name, Escape escape, String format) {
    public enum Escape { DEFAULT, JSON, NONE }

    /** nginx's predefined http format. The stream module has no predefined format. */
    public static final LogFormat COMBINED = new LogFormat("combined", Escape.DEFAULT,
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                    + "\"$http_referer\" \"$http_user_agent\"");

    public LogFormat {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(escape, "escape");
        Objects.requireNonNull(format, "format");
    }
}
