package dev.proxyline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Reads {@link ErrorPages} of a level, with nginx's checks of {@code error_page}. */
final class ErrorPagesReader {
    private final ArgReader r;

    ErrorPagesReader(ArgReader r) {
        this.r = r;
    }

    ErrorPages read(Scope s) {
        List<ErrorPages.Page> pages = new ArrayList<>();
        for (Directive d : s.all("error_page")) pages(d, pages);
        return new ErrorPages(pages,
                s.get("proxy_intercept_errors").flatMap(d -> r.flag(d, d.arg(0))).orElse(false),
                s.get("recursive_error_pages").flatMap(d -> r.flag(d, d.arg(0))).orElse(false),
                !s.local("internal").isEmpty());
    }

    /** {@code error_page CODE ... [=[RESPONSE]] URI}, as nginx reads it: each code gets its own entry. */
    private void pages(Directive d, List<ErrorPages.Page> out) {
        int last = d.args().size() - 1;
        Argument uri = d.arg(last);
        int codesEnd = last;
        int overwrite = ErrorPages.Page.KEEP;
        Argument beforeUri = d.arg(last - 1);
        if (beforeUri.value().startsWith("=")) {
            if (last - 1 == 0) {
                r.error(beforeUri, "invalid value \"" + beforeUri.value() + "\" in \"error_page\" (expected a status "
                        + "code before it)");
                return;
            }
            codesEnd = last - 1;
            if (beforeUri.value().length() > 1) {
                OptionalLong code = Values.number(beforeUri.value().substring(1));
                if (code.isEmpty() || code.getAsLong() > 999) {
                    r.error(beforeUri, "invalid value \"" + beforeUri.value() + "\" in \"error_page\" (expected = or "
                            + "=CODE)");
                    return;
                }
                overwrite = (int) code.getAsLong();
            } else {
                overwrite = ErrorPages.Page.REDIRECTED;
            }
        }
        if (uri.value().isEmpty()) {
            r.error(uri, "empty URI in \"error_page\"");
            return;
        }
        for (int i = 0; i < codesEnd; i++) {
            Argument a = d.arg(i);
            OptionalLong code = Values.number(a.value());
            if (code.isEmpty() || code.getAsLong() == 499) {
                r.error(a, "invalid value \"" + a.value() + "\" in \"error_page\"");
                continue;
            }
            if (code.getAsLong() < 300 || code.getAsLong() > 599) {
                r.error(a, "value \"" + a.value() + "\" must be between 300 and 599");
                continue;
            }
            int status = (int) code.getAsLong();
            out.add(new ErrorPages.Page(a.position(), status, overwrite == ErrorPages.Page.KEEP
                    ? keptAs(status) : overwrite, uri.value()));
        }
    }

    /** nginx's own 4xx codes that are no HTTP status (494-497) go out as 400 when no {@code =} says otherwise. */
    private static int keptAs(int status) {
        return status >= 494 && status <= 497 ? 400 : ErrorPages.Page.KEEP;
    }
}
