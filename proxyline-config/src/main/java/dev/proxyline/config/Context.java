package dev.proxyline.config;

/** Where a directive may appear; the display name is used in error messages. */
public enum Context {
    MAIN("main context", Family.MAIN),
    EVENTS("events", Family.MAIN),
    STREAM("stream", Family.STREAM),
    STREAM_UPSTREAM("stream upstream", Family.STREAM),
    STREAM_SERVER("stream server", Family.STREAM),
    /** The entries of a stream {@code map}: keys and values, read by the map's builder, not the directive table. */
    STREAM_MAP("stream map", Family.STREAM),
    HTTP("http", Family.HTTP),
    HTTP_UPSTREAM("http upstream", Family.HTTP),
    HTTP_SERVER("http server", Family.HTTP),
    HTTP_LOCATION("location", Family.HTTP),
    /** The body of an {@code if} in a server or location: only the rewrite module's directives. */
    HTTP_IF("\"if\"", Family.HTTP),
    /** The body of a {@code limit_except} in a location: the access directives, access_log and proxy_pass. */
    HTTP_LIMIT_EXCEPT("\"limit_except\"", Family.HTTP),
    /** The entries of an http {@code map}, as {@link #STREAM_MAP}. */
    HTTP_MAP("map", Family.HTTP);

    /** The nginx module family a context belongs to; nginx's directive lists are kept per family. */
    enum Family { MAIN, STREAM, HTTP }

    private final String displayName;
    private final Family family;

    Context(String displayName, Family family) {
        this.displayName = displayName;
        this.family = family;
    }

    public String displayName() {
        return displayName;
    }

    Family family() {
        return family;
    }

    /** True for a block whose lines are data (a map's keys and values), not directives. */
    boolean holdsEntries() {
        return this == STREAM_MAP || this == HTTP_MAP;
    }
}
