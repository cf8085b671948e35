package dev.proxyline.server.stream.splice;

/**
 * When a relay is worth moving to splice(2), after HAProxy's {@code splice-auto}: the first read that
 * fills the whole {@code proxy_buffer_size} buffer shows a stream that moves more than one buffer at a
 * time. Short exchanges never fill it and stay buffered, because a switch costs more syscalls (two
 * {@code pipe2}, four {@code close}, the {@code epoll_ctl}s) than copying a few small reads does.
 */
public final class SpliceTrigger {

    private final int bufferSize;
    private boolean armed;

    /**
     * @param allowed {@code proxy_splice on} and a transport that can splice; when false the trigger never fires
     * @param bufferSize {@code proxy_buffer_size}, the size of one read
     */
    public SpliceTrigger(boolean allowed, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected at least 1)");
        }
        this.bufferSize = bufferSize;
        this.armed = allowed;
    }

    /** True if a read of {@code bytes} filled the buffer while the trigger is armed. */
    public boolean fullRead(long bytes) {
        return armed && bytes >= bufferSize;
    }

    /** Never fires again: the switch was tried, or something rules splicing out for this session. */
    public void disarm() {
        armed = false;
    }

    /** False once disarmed, or if splicing was never allowed. */
    public boolean armed() {
        return armed;
    }
}
