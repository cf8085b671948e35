package dev.proxyline.it.harness;

/** What curl printed for one request, run with {@code -w "\n%{http_code}"}. */
public final class CurlPage {
    private CurlPage() {
    }

    /**
     * {@code STATUS PAGE}: the status curl wrote last, then the HTML page's title, or the whole body when it has none
     * (a {@code return 200 $variable} answer), without its final newline.
     */
    public static String statusAndPage(String curlOutput) {
        int split = curlOutput.lastIndexOf('\n');
        String body = curlOutput.substring(0, split);
        if (body.endsWith("\n")) body = body.substring(0, body.length() - 1);
        String page = body.contains("<title>")
                ? body.substring(body.indexOf("<title>") + 7, body.indexOf("</title>")) : body;
        return curlOutput.substring(split + 1) + " " + page;
    }
}
