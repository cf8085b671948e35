package dev.proxyline.it.ingress;

/** The requests the client sends through the chain. */
final class Requests {
    private Requests() {
    }

    /**
     * {@code GET path} for {@code app.test}, asking the ingress to close after the answer so the
     * client's read ends; {@code extraHeaders} are whole lines with their CRLF.
     */
    static String get(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: app.test\r\n" + extraHeaders + "Connection: close\r\n\r\n";
    }
}
