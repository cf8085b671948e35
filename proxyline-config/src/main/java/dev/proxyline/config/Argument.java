package dev.proxyline.config;

import java.util.Objects;

/** One directive argument as written (variables such as {@code $remote_addr} kept verbatim), with its position. */
public record Argument(String value, Position position, boolean quoted) {
    public Argument {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(position, "position");
    }

    /** True when the value contains an nginx variable reference, which only the runtime can expand. */
    public boolean hasVariables() {
        int i = value.indexOf('$');
        return i >= 0 && i + 1 < value.length()
                && (Character.isLetter(value.charAt(i + 1)) || value.charAt(i + 1) == '{' || value.charAt(i + 1) == '_');
    }

    @Override
    public String toString() {
        return value;
    }
}
