package dev.proxyline.server.variables;

import java.util.Objects;
import java.util.Optional;

/**
 * The http variables with a name chosen in the configuration: {@code $http_NAME}, {@code $sent_http_NAME},
 * {@code $cookie_NAME} and {@code $arg_NAME}. Not found in a stream session, or when the request has
 * no such field.
 *
 * @param variableName the full name, lower case, such as {@code http_user_agent}
 * @param kind         where the value is looked up
 * @param field        the part after the prefix, lower case, such as {@code user_agent}
 */
public record FieldVariable(String variableName, Kind kind, String field) implements Variable {

    /** Where the value is looked up, and the prefix of the variable name. */
    public enum Kind {
        /** Request headers, {@code -} spelt {@code _}; repeated headers joined by {@code ", "}, cookies by {@code "; "}. */
        REQUEST_HEADER("http_"),
        /** Response headers as sent, repeated ones joined by {@code ", "}. */
        RESPONSE_HEADER("sent_http_"),
        /** A cookie of the {@code Cookie} request headers. */
        COOKIE("cookie_"),
        /** An argument of the query, not decoded. */
        ARGUMENT("arg_");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The name prefix, such as {@code http_}. */
        public String prefix() {
            return prefix;
        }
    }

    public FieldVariable {
        Objects.requireNonNull(variableName, "variableName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(field, "field");
        if (field.isEmpty()) {
            throw new IllegalArgumentException("$" + variableName + " names no field");
        }
    }

    /** The variable {@code name} (lower case) if it starts with one of the prefixes and names a field. */
    static Optional<Variable> parse(String name) {
        for (Kind kind : Kind.values()) {
            if (name.startsWith(kind.prefix) && name.length() > kind.prefix.length()) {
                return Optional.of(new FieldVariable(name, kind, name.substring(kind.prefix.length())));
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        Optional<HttpExchange> http = session.http();
        if (http.isEmpty()) {
            return false;
        }
        HttpExchange exchange = http.get();
        return switch (kind) {
            case REQUEST_HEADER -> HttpFields.appendHeaders(exchange.requestHeaders(), field,
                    field.equals("cookie") ? ';' : ',', out);
            case RESPONSE_HEADER -> HttpFields.appendHeaders(exchange.responseHeaders(), field, ',', out);
            case COOKIE -> HttpFields.appendCookie(exchange.requestHeaders(), field, out);
            case ARGUMENT -> HttpFields.appendArgument(exchange.args(), field, out);
        };
    }
}
