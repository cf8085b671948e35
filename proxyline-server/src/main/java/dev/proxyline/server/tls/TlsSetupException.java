package dev.proxyline.server.tls;

import java.util.List;

/** TLS could not be set up for a listener; {@link #problems()} lists every reason, each naming its directive. */
public final class TlsSetupException extends Exception {
    private final List<String> problems;

    public TlsSetupException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("no problems");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
