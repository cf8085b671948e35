package dev.proxyline.server.variables;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A string with nginx variables ({@code $name} or {@code ${name}}), parsed once and rendered for
 * many sessions. Names are letters, digits and {@code _}, as nginx reads them; {@code ${...}} lets a
 * name be followed directly by such a character ({@code ${remote_addr}_x}).
 *
 * <p>Rendering appends a byte string ({@link ByteStrings}) and allocates nothing beyond what the
 * variables themselves need. Immutable and shared by every event loop.
 */
public final class Template {

    /** A piece of a template: literal text or a variable. */
    public sealed interface Segment permits Literal, Reference {
    }

    /** Literal text, already as a byte string (the UTF-8 bytes of the configuration text). */
    public record Literal(String bytes) implements Segment {
        public Literal {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** A variable reference. */
    public record Reference(Variable variable) implements Segment {
        public Reference {
            Objects.requireNonNull(variable, "variable");
        }
    }

    private final String source;
    private final Segment[] segments;
    private final List<Segment> segmentList;

    private Template(String source, List<Segment> segments) {
        this.source = source;
        this.segments = segments.toArray(new Segment[0]);
        this.segmentList = List.of(this.segments);
    }

    /**
     * Parses {@code text}.
     *
     * @throws TemplateException for an unknown variable, a {@code $} without a name, or a
     *                           {@code ${} without its {@code }}; the message quotes the text
     */
    public static Template compile(String text, VariableTable table) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(table, "table");
        List<Segment> segments = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            int dollar = i++;
            boolean bracket = i < n && text.charAt(i) == '{';
            if (bracket) {
                i++;
            }
            int start = i;
            while (i < n && isNameChar(text.charAt(i))) {
                i++;
            }
            String name = text.substring(start, i);
            if (bracket) {
                if (i >= n || text.charAt(i) != '}') {
                    throw new TemplateException("the closing bracket in \"${" + name + "\" is missing in \"" + text + "\"");
                }
                i++;
            }
            if (name.isEmpty()) {
                throw new TemplateException("invalid variable name at offset " + dollar + " in \"" + text
                        + "\" (expected $name or ${name} with letters, digits and _)");
            }
            Variable variable = table.find(name).orElseThrow(() -> new TemplateException(
                    table.unknownMessage(name) + " in \"" + text + "\""));
            if (literal.length() > 0) {
                segments.add(new Literal(ByteStrings.fromUtf8(literal)));
                literal.setLength(0);
            }
            segments.add(new Reference(variable));
        }
        if (literal.length() > 0) {
            segments.add(new Literal(ByteStrings.fromUtf8(literal)));
        }
        return new Template(text, segments);
    }

    /** {@code text} as it is, {@code $} included: a value made at run time, such as a redirect's URL. */
    public static Template literal(String text) {
        Objects.requireNonNull(text, "text");
        return new Template(text, text.isEmpty() ? List.of() : List.of(new Literal(ByteStrings.fromUtf8(text))));
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * Appends the value for {@code session}; a variable that is not found adds nothing, as in an
     * nginx complex value.
     */
    public void render(SessionSnapshot session, StringBuilder out) {
        for (Segment segment : segments) {
            if (segment instanceof Literal literal) {
                out.append(literal.bytes());
            } else {
                ((Reference) segment).variable().appendTo(session, out);
            }
        }
    }

    /** The value for {@code session} as a new byte string. */
    public String render(SessionSnapshot session) {
        StringBuilder out = new StringBuilder(64);
        render(session, out);
        return out.toString();
    }

    /**
     * The value: the constant text of a template without variables, else rendered for the snapshot {@code session}
     * gives, which is taken only then (a snapshot is the costly part of a request's variables).
     */
    public String value(Supplier<SessionSnapshot> session) {
        return isConstant() ? constantValue() : render(session.get());
    }

    /** The segments in order (an immutable list made once, so iterating it per line costs nothing). */
    public List<Segment> segments() {
        return segmentList;
    }

    /** True when the template has no variables, so its value never changes. */
    public boolean isConstant() {
        for (Segment segment : segments) {
            if (segment instanceof Reference) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of a template without variables, as a byte string.
     *
     * @throws IllegalStateException if the template has variables
     */
    public String constantValue() {
        if (!isConstant()) {
            throw new IllegalStateException("\"" + source + "\" has variables; render it for a session");
        }
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments) {
            out.append(((Literal) segment).bytes());
        }
        return out.toString();
    }

    /** The text the template was compiled from. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
