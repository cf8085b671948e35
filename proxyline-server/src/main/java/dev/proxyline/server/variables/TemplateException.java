package dev.proxyline.server.variables;

/** A template names a variable that does not exist, or is malformed; the message says which and where. */
public final class TemplateException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where, quoting the template */
    public TemplateException(String message) {
        super(message);
    }
}
