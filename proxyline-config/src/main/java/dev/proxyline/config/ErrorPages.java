package dev.proxyline.config;

import java.util.List;
import java.util.Objects;

/**
 * nginx's {@code error_page}, {@code proxy_intercept_errors}, {@code recursive_error_pages} and {@code internal} of one
 * level. The pages are inherited as nginx merges them: a level with an {@code error_page} of its own has only its own;
 * {@code internal} belongs to the one location that says it.
 *
 * @param pages            one entry per status of each {@code error_page} line, in order (nginx takes the first)
 * @param interceptErrors  {@code proxy_intercept_errors} (default off): an upstream response of a status that has a
 *                         page goes to the page instead of to the client
 * @param recursive        {@code recursive_error_pages} (default off): an error while a page is served may go to a
 *                         page again
 * @param internal         {@code internal}: only internal redirects reach the location; a client's request gets 404
 */
public record ErrorPages(List<Page> pages, boolean interceptErrors, boolean recursive, boolean internal) {
    /** Nothing configured: nginx's defaults. */
    public static final ErrorPages NONE = new ErrorPages(List.of(), false, false, false);

    public ErrorPages {
        pages = List.copyOf(pages);
    }

    /**
     * One status of an {@code error_page CODE ... [=[RESPONSE]] URI} line.
     *
     * @param status    the status that goes to the page (300-599)
     * @param overwrite the status sent instead: {@link #KEEP} (no {@code =}: the original status),
     *                  {@link #REDIRECTED} ({@code =} alone: whatever the page's request answers), or the one given
     * @param uri       as written: a path ({@code /...}, with optional {@code ?args}), a named location
     *                  ({@code @name}), or a URL to redirect to; may hold variables
     */
    public record Page(Position position, int status, int overwrite, String uri) {
        /** No {@code =}: the client gets the original status with the page's body. */
        public static final int KEEP = -1;
        /** {@code =} alone: the client gets the status of the page's own answer. */
        public static final int REDIRECTED = 0;

        public Page {
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(uri, "uri");
        }
    }
}
