package dev.proxyline.server.http.realip;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, ordered list of HTTP header fields with case-insensitive names, so that header
 * policies need no Netty types. Order and repeated fields are kept: X-Forwarded-For may arrive as
 * several fields, and nginx reads them in order.
 */
public final class Headers {
    /** One header field as received or to be sent. */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty()) throw new IllegalArgumentException("empty header name");
        }

        boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    private static final Headers EMPTY = new Headers(List.of());
    private final List<Field> fields;

    private Headers(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    public static Headers of() {
        return EMPTY;
    }

    /** Headers from alternating names and values: {@code of("Host", "a", "X-Real-IP", "1.2.3.4")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values come in pairs");
        List<Field> list = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) list.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        return new Headers(list);
    }

    public static Headers of(List<Field> fields) {
        return new Headers(fields);
    }

    public List<Field> fields() {
        return fields;
    }

    /** The first field's value, as nginx's {@code $http_NAME} reads a header it does not join. */
    public Optional<String> first(String name) {
        for (Field f : fields) if (f.is(name)) return Optional.of(f.value());
        return Optional.empty();
    }

    /** Every value of the named fields, in order; not to be modified. */
    public List<String> all(String name) {
        // Most names asked for are absent: no list is made for them.
        List<String> out = List.of();
        for (Field f : fields) {
            if (!f.is(name)) continue;
            if (out.isEmpty()) out = new ArrayList<>(2);
            out.add(f.value());
        }
        return out;
    }

    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /** These headers plus one more field at the end. */
    public Headers with(String name, String value) {
        List<Field> list = new ArrayList<>(fields);
        list.add(new Field(name, value));
        return new Headers(list);
    }

    /** Without any field of that name. */
    public Headers without(String name) {
        List<Field> list = new ArrayList<>(fields.size());
        for (Field f : fields) if (!f.is(name)) list.add(f);
        return list.size() == fields.size() ? this : new Headers(list);
    }

    /** Every field of that name replaced by one field at the end. */
    public Headers set(String name, String value) {
        return without(name).with(name, value);
    }

    /** A builder starting from these fields, for many changes at the cost of one copy. */
    public Builder toBuilder() {
        return new Builder(fields);
    }

    /**
     * Mutable headers for composing a request's headers in place: each change of the immutable
     * {@link Headers} copies the whole list, which made a dozen changes per request quadratic.
     */
    public static final class Builder {
        private final List<Field> fields;

        private Builder(List<Field> start) {
            fields = new ArrayList<>(start.size() + 16);
            fields.addAll(start);
        }

        /** Adds one field at the end. */
        public Builder add(String name, String value) {
            fields.add(new Field(name, value));
            return this;
        }

        /** Removes every field of that name. */
        public Builder remove(String name) {
            fields.removeIf(f -> f.is(name));
            return this;
        }

        /** Removes every field whose name is one of {@code names}. */
        public Builder removeAll(List<String> names) {
            fields.removeIf(f -> {
                for (String n : names) if (f.is(n)) return true;
                return false;
            });
            return this;
        }

        /** Every field of that name replaced by one field at the end. */
        public Builder set(String name, String value) {
            return remove(name).add(name, value);
        }

        public Headers build() {
            return new Headers(fields);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && h.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Field f : fields) sb.append(f.name()).append(": ").append(f.value()).append('\n');
        return sb.toString();
    }
}
