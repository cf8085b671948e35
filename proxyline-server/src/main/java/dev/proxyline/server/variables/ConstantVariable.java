package dev.proxyline.server.variables;

import java.util.Objects;

/**
 * A variable whose value is fixed for the life of the process, such as {@code $hostname} or
 * {@code $pid}.
 *
 * @param name  the name without {@code $}
 * @param value the value as a byte string
 */
public record ConstantVariable(String name, String value) implements Variable {
    public ConstantVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String variableName() {
        return name;
    }

    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        out.append(value);
        return true;
    }
}
