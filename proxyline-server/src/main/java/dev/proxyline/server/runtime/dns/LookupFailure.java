package dev.proxyline.server.runtime.dns;

/**
 * A name that could not be looked up, said as nginx's error log says it: {@code NAME could not be resolved (3: Host
 * not found)}, with the DNS answer's RCODE ({@code 2: Server failure}, {@code 4: Unimplemented}, {@code 5: Operation
 * refused}) or {@code (110: Operation timed out)}. Only the message matters, so no stack trace is made.
 */
public final class LookupFailure extends Exception {
    /** nginx's code for a lookup that got no usable answer in {@code resolver_timeout} (Linux's ETIMEDOUT). */
    public static final int TIMED_OUT = 110;
    /** NXDOMAIN, and what nginx also reports for an answer without any address. */
    public static final int HOST_NOT_FOUND = 3;

    private final int code;

    /**
     * @param host the name looked up
     * @param code an RCODE from 1 to 5, or {@link #TIMED_OUT}
     */
    public LookupFailure(String host, int code) {
        super(host + " could not be resolved (" + code + ": " + words(code) + ")", null, false, false);
        this.code = code;
    }

    /** The RCODE, or {@link #TIMED_OUT}. */
    public int code() {
        return code;
    }

    public boolean timedOut() {
        return code == TIMED_OUT;
    }

    /** nginx's words for a resolver error code ({@code ngx_resolver_strerror}). */
    static String words(int code) {
        return switch (code) {
            case 1 -> "Format error";
            case 2 -> "Server failure";
            case HOST_NOT_FOUND -> "Host not found";
            case 4 -> "Unimplemented";
            case 5 -> "Operation refused";
            case TIMED_OUT -> "Operation timed out";
            default -> "Unknown error";
        };
    }
}
