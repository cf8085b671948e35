package dev.proxyline.server.stream;

/** What one direction of a raw or spliced relay needs before it can move on. */
public enum RelayWait {
    /** The source to become readable (or hang up). */
    SOURCE,
    /** The sink to become writable: bytes taken from the source are still held. */
    SINK,
    /** Nothing but its turn: it used its share of one wake-up (or stopped where the relay wants to look). */
    MORE,
    /** Nothing: the source ended and its end was passed on (or ends the relay). */
    FINISHED
}
