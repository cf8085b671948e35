package dev.proxyline.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads {@code access_log} directives and checks that the formats they name exist. */
final class AccessLogReader {
    private final ArgReader r;
    private final Map<String, LogFormat> formats;
    private final boolean http;

    AccessLogReader(ArgReader r, Map<String, LogFormat> formats, boolean http) {
        this.r = r;
        this.formats = formats;
        this.http = http;
    }

    List<AccessLog> read(List<Directive> directives) {
        return directives.stream().map(this::read).flatMap(Optional::stream).toList();
    }

    private Optional<AccessLog> read(Directive d) {
        List<Argument> args = d.args();
        if (args.get(0).value().equals("off")) {
            if (args.size() > 1) {
                r.error(args.get(1), "\"access_log off\" takes no further parameters");
                return Optional.empty();
            }
            return Optional.of(new AccessLog.Off());
        }
        String path = args.get(0).value();
        int i = 1;
        Optional<String> format = Optional.empty();
        if (args.size() > 1 && args.get(1).value().indexOf('=') < 0) {
            Argument f = args.get(1);
            if (!formats.containsKey(f.value())) {
                r.error(f, "unknown log format \"" + f.value() + "\"" + (http ? "" : " (define it with log_format in stream; stream has no predefined format)"));
                return Optional.empty();
            }
            format = Optional.of(f.value());
            i = 2;
        }
        if (format.isEmpty()) {
            if (!http) {
                r.error(d, "\"access_log\" in stream needs a format name (the stream module has no predefined format)");
                return Optional.empty();
            }
            format = Optional.of(LogFormat.COMBINED.name());
        }
        long buffer = 0;
        Optional<Duration> flush = Optional.empty();
        Optional<String> condition = Optional.empty();
        Argument flushArg = null;
        boolean ok = true;
        for (Argument a : args.subList(i, args.size())) {
            String v = a.value();
            if (v.startsWith("buffer=")) {
                OptionalLong b = Values.size(v.substring(7));
                if (b.isEmpty() || b.getAsLong() < 1) {
                    r.error(a, "invalid buffer size \"" + v.substring(7) + "\" in \"access_log\" directive");
                    ok = false;
                } else {
                    buffer = b.getAsLong();
                }
            } else if (v.startsWith("flush=")) {
                flush = Values.duration(v.substring(6));
                flushArg = a;
                if (flush.isEmpty() || flush.get().isZero()) {
                    r.error(a, "invalid flush time \"" + v.substring(6) + "\" in \"access_log\" directive");
                    ok = false;
                }
            } else if (v.startsWith("if=") && v.length() > 3) {
                condition = Optional.of(v.substring(3));
            } else if (v.startsWith("gzip")) {
                r.error(a, "unsupported access_log parameter \"" + v + "\" (nginx has it, proxyline does not)");
                ok = false;
            } else {
                r.error(a, "invalid parameter \"" + v + "\" in \"access_log\" directive");
                ok = false;
            }
        }
        if (flushArg != null && buffer == 0) {
            r.error(flushArg, "flush= needs buffer= in \"access_log\" directive (nothing to flush otherwise)");
            ok = false;
        }
        if (!ok) return Optional.empty();
        return Optional.of(new AccessLog.ToFile(path, format.get(), buffer, flush, condition));
    }
}
