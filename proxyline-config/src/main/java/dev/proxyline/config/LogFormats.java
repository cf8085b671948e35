package dev.proxyline.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads the {@code log_format} directives of one module (stream or http). */
final class LogFormats {
    private LogFormats() {}

    static Map<String, LogFormat> read(Iterable<Directive> directives, boolean http, ArgReader r) {
        Map<String, LogFormat> formats = new LinkedHashMap<>();
        if (http) formats.put(LogFormat.COMBINED.name(), LogFormat.COMBINED);
        for (Directive d : directives) {
            String name = d.arg(0).value();
            int first = 1;
            LogFormat.Escape escape = LogFormat.Escape.DEFAULT;
            if (d.arg(1).value().startsWith("escape=")) {
                String e = d.arg(1).value().substring("escape=".length());
                switch (e.toLowerCase(Locale.ROOT)) {
                    case "default" -> escape = LogFormat.Escape.DEFAULT;
                    case "json" -> escape = LogFormat.Escape.JSON;
                    case "none" -> escape = LogFormat.Escape.NONE;
                    default -> r.error(d.arg(1), "unknown log format escaping \"" + e + "\" (expected default, json or none)");
                }
                first = 2;
            }
            if (d.args().size() <= first) {
                r.error(d, "log_format \"" + name + "\" has no format string");
                continue;
            }
            StringBuilder format = new StringBuilder();
            d.args().subList(first, d.args().size()).forEach(a -> format.append(a.value()));
            if (formats.containsKey(name)) {
                r.error(d.arg(0), "duplicate \"log_format\" name \"" + name + "\"");
                continue;
            }
            formats.put(name, new LogFormat(name, escape, format.toString()));
        }
        return formats;
    }
}
