package dev.proxyline.config;

/** Where a directive may appear; the display name is used in error messages. */
public enum Context {
    MAIN("main context", Family.MAIN),
    EVENTS("events", Family.MAIN),
    STREAM("stream", Family.STREAM),
    STREAM_UPSTREAM("stream upstream", Family.STREAM),
    STREAM_SERVER("stream server", Family.STREAM),
    HTTP("http", Family.HTTP),
    HTTP_UPSTREAM("http upstream", Family.HTTP),
    HTTP_SERVER("http server", Family.HTTP),
    HTTP_LOCATION("location", Family.HTTP);

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
}
