package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * nginx's reading of a stream {@code proxy_pass} value with variables once a session expanded it (the name of an
 * upstream block is looked up by the caller first): {@code ADDR:PORT}, {@code [IPv6]:PORT}, {@code unix:PATH}, or a
 * host name, which only a resolver could turn into an address.
 */
public final class StreamTargetValue {
    private StreamTargetValue() {}

    /**
     * What {@code value} is.
     *
     * @param endpoint the endpoint it names, when it names one
     * @param noPort   true when it is a host name or address without a port (nginx: "no port in upstream")
     * @param error    why it is neither, empty when it is one
     */
    public record Parsed(Optional<Endpoint> endpoint, boolean noPort, String error) {
        public Parsed {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(error, "error");
        }
    }

    /** Parses {@code value}, literals only: nothing is resolved. */
    public static Parsed parse(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            return new Parsed(Optional.empty(), false, "no host");
        }
        AddressParser.Result result = AddressParser.endpoint(value, OptionalInt.empty());
        if (result.endpoint().isPresent()) {
            return new Parsed(result.endpoint(), false, "");
        }
        Optional<AddressParser.HostPort> split = AddressParser.split(value);
        boolean noPort = split.isPresent() && split.get().port().isEmpty();
        return new Parsed(Optional.empty(), noPort, result.error());
    }
}
