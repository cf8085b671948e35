package dev.proxyline.server.variables;

import java.util.List;
import java.util.Objects;

/**
 * A variable that {@code set} directives assign: its value is the one the request's last {@code set} of it gave
 * ({@link HttpExchange#setValues()}, at {@code index}); not found (nginx's "uninitialized variable") when no
 * {@code set} of the request's server or location assigned it.
 *
 * @param name  the name without {@code $}
 * @param index its place in every request's set values
 */
public record SetVariable(String name, int index) implements Variable {
    public SetVariable {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String variableName() {
        return name;
    }

    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        if (session.http().isEmpty()) {
            return false;
        }
        List<String> values = session.http().get().setValues();
        String value = index < values.size() ? values.get(index) : null;
        if (value == null) {
            return false;
        }
        out.append(value);
        return true;
    }
}
