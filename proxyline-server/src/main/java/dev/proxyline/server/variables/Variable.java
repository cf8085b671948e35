package dev.proxyline.server.variables;

/**
 * One nginx variable. Values are appended as byte strings (see {@link ByteStrings}).
 *
 * <p>A variable may be <em>not found</em> for a session (no PROXY header, no upstream yet): then
 * nothing is appended and {@link #appendTo} returns false, so that an access log can show {@code -}
 * as nginx does, while a template used as a value (a TLV, a hash key) just gets nothing.
 *
 * <p>Implementations are immutable or, for the time variables, keep only a thread-safe cache; one
 * instance serves every event loop.
 */
public sealed interface Variable permits Builtin, HttpVariable, FieldVariable, TimeVariable, TlvVariable,
        ConstantVariable, MapVariable, SetVariable, PrereadVariable, StreamTlsVariable {

    /** The name without {@code $}, lower case, such as {@code remote_addr}. */
    String variableName();

    /**
     * Appends this variable's value for {@code session} to {@code out}.
     *
     * @return false if the variable is not found for this session (and nothing was appended)
     */
    boolean appendTo(SessionSnapshot session, StringBuilder out);
}
