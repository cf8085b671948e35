package dev.proxyline.server.http.routing;

import java.util.Arrays;
import java.util.regex.Matcher;

/**
 * The matches of the regex locations that one location search went through, outermost first: the location found and
 * each regex location enclosing it, each matched once by the search. nginx sets a request's captures from them (the
 * outer locations' named groups stay, {@code $1}..{@code $9} are the innermost's), so they are kept for that instead
 * of running the regexes again.
 *
 * <p>Reused from search to search by one connection's requests: its array grows on the first regex match only, so
 * searches that match no regex allocate nothing.
 */
public final class RegexMatches {
    /** For searches whose matches nobody reads: keeps none. */
    static final RegexMatches DISCARDED = new RegexMatches(false);

    private static final Matcher[] NONE = new Matcher[0];

    private final boolean kept;
    private Matcher[] matches = NONE;
    private int count;

    public RegexMatches() {
        this(true);
    }

    private RegexMatches(boolean kept) {
        this.kept = kept;
    }

    /** Forgets the previous search's matches (and lets their subjects go). */
    void clear() {
        if (count == 0) return;
        Arrays.fill(matches, 0, count, null);
        count = 0;
    }

    void add(Matcher match) {
        if (!kept) return;
        if (count == matches.length) matches = Arrays.copyOf(matches, Math.max(2, count * 2));
        matches[count++] = match;
    }

    /** How many regex locations the last search matched. */
    public int count() {
        return count;
    }

    /**
     * The {@code index}th match of the last search, outermost first.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < count()}
     */
    public Matcher get(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("match " + index + " of " + count);
        }
        return matches[index];
    }
}
