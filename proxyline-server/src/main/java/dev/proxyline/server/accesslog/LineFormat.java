package dev.proxyline.server.accesslog;

import dev.proxyline.config.LogFormat;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.util.List;
import java.util.Objects;

/**
 * A compiled {@code log_format}: renders one access log line per session. Immutable; one instance
 * serves every thread.
 */
public final class LineFormat {
    private final String name;
    private final LogEscape escape;
    private final Template template;

    private LineFormat(String name, LogEscape escape, Template template) {
        this.name = name;
        this.escape = escape;
        this.template = template;
    }

    /**
     * Compiles a format.
     *
     * @throws TemplateException naming the format and the unknown or malformed variable
     */
    public static LineFormat compile(LogFormat format, VariableTable table) {
        Objects.requireNonNull(format, "format");
        try {
            return new LineFormat(format.name(), LogEscape.of(format.escape()), Template.compile(format.format(), table));
        } catch (TemplateException e) {
            throw new TemplateException("log_format \"" + format.name() + "\": " + e.getMessage());
        }
    }

    /**
     * Appends the line for {@code session}, newline included, as a byte string: every variable value
     * escaped by this format's rules, literal text as configured.
     */
    public void format(SessionSnapshot session, StringBuilder out) {
        List<Template.Segment> segments = template.segments();
        for (int i = 0; i < segments.size(); i++) {
            Template.Segment segment = segments.get(i);
            if (segment instanceof Template.Literal literal) {
                out.append(literal.bytes());
                continue;
            }
            int start = out.length();
            if (((Template.Reference) segment).variable().appendTo(session, out)) {
                escape.escapeFrom(out, start);
            } else if (escape.dashForMissing()) {
                out.append('-');
            }
        }
        out.append('\n');
    }

    /** The line for {@code session} as a byte string, newline included; for tests and tools. */
    public String format(SessionSnapshot session) {
        StringBuilder out = new StringBuilder(128);
        format(session, out);
        return out.toString();
    }

    /** The format name. */
    public String name() {
        return name;
    }

    /** The escaping. */
    public LogEscape escape() {
        return escape;
    }
}
