package dev.proxyline.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** Parsers for nginx's value syntaxes: sizes, times, numbers, on/off. Pure functions, no error reporting. */
public final class Values {
    private Values() {}

    /** {@code 512}, {@code 16k}, {@code 1m}, {@code 2G}: bytes, with k/m/g (case-insensitive) as powers of 1024. */
    public static OptionalLong size(String s) {
        if (s.isEmpty()) return OptionalLong.empty();
        long scale = 1;
        String digits = s;
        char last = Character.toLowerCase(s.charAt(s.length() - 1));
        if (last == 'k' || last == 'm' || last == 'g') {
            scale = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            digits = s.substring(0, s.length() - 1);
        }
        OptionalLong n = number(digits);
        if (n.isEmpty() || n.getAsLong() > Long.MAX_VALUE / scale) return OptionalLong.empty();
        return OptionalLong.of(n.getAsLong() * scale);
    }

    /**
     * nginx time syntax: number-unit pairs in decreasing unit order ({@code 1h30m}, {@code 1m30s}, {@code 500ms});
     * units y M w d h m s ms (a year is 365 days, a month 30, as in nginx); a number without unit means seconds.
     */
    public static Optional<Duration> duration(String s) {
        if (s.isEmpty()) return Optional.empty();
        long totalMs = 0;
        int lastRank = Integer.MAX_VALUE;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (i == start || i - start > 12) return Optional.empty();
            long n = Long.parseLong(s.substring(start, i));
            long unitMs;
            int rank;
            if (i == s.length()) {
                unitMs = 1000;
                rank = 1;
            } else {
                char u = s.charAt(i++);
                if (u == 'm' && i < s.length() && s.charAt(i) == 's') {
                    i++;
                    unitMs = 1;
                    rank = 0;
                } else {
                    switch (u) {
                        case 'y' -> { unitMs = 365L * 86_400_000; rank = 7; }
                        case 'M' -> { unitMs = 30L * 86_400_000; rank = 6; }
                        case 'w' -> { unitMs = 7L * 86_400_000; rank = 5; }
                        case 'd' -> { unitMs = 86_400_000; rank = 4; }
                        case 'h' -> { unitMs = 3_600_000; rank = 3; }
                        case 'm' -> { unitMs = 60_000; rank = 2; }
                        case 's' -> { unitMs = 1000; rank = 1; }
                        default -> { return Optional.empty(); }
                    }
                }
            }
            if (rank >= lastRank) return Optional.empty();
            lastRank = rank;
            if (n > (Long.MAX_VALUE - totalMs) / unitMs) return Optional.empty();
            totalMs += n * unitMs;
        }
        return Optional.of(Duration.ofMillis(totalMs));
    }

    /** A non-negative decimal number without sign. */
    public static OptionalLong number(String s) {
        if (s.isEmpty() || s.length() > 18) return OptionalLong.empty();
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(s));
    }

    /** {@code on} / {@code off}, case-insensitive like nginx. */
    public static Optional<Boolean> flag(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "on" -> Optional.of(true);
            case "off" -> Optional.of(false);
            default -> Optional.empty();
        };
    }
}
