package dev.proxyline.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes with value semantics, so that records holding raw protocol bytes
 * (TLV values, UNIX paths) get correct {@code equals}, {@code hashCode} and a readable
 * {@code toString}.
 */
public final class Bytes {
    private static final HexFormat HEX = HexFormat.of();

    /** The empty sequence. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;

    private Bytes(byte[] owned) {
        this.bytes = owned;
    }

    /** A copy of {@code bytes}. */
    public static Bytes of(byte... bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /** A copy of {@code length} bytes of {@code source} from {@code offset}. */
    public static Bytes copyOf(byte[] source, int offset, int length) {
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(source, offset, offset + length));
    }

    /** A copy of {@code length} bytes of {@code source} from the absolute index {@code index}. */
    public static Bytes copyOf(ByteBuffer source, int index, int length) {
        if (length == 0) {
            return EMPTY;
        }
        byte[] copy = new byte[length];
        if (source.hasArray()) {
            // perf: a plain array copy; ByteBuffer's absolute bulk get goes through memory-scope
            // checks or a byte loop. Same bounds as get(index, copy): within the limit.
            Objects.checkFromIndexSize(index, length, source.limit());
            System.arraycopy(source.array(), source.arrayOffset() + index, copy, 0, length);
        } else {
            source.get(index, copy);
        }
        return new Bytes(copy);
    }

    /** Parses lower- or upper-case hexadecimal text. */
    public static Bytes fromHex(CharSequence hex) {
        return hex.length() == 0 ? EMPTY : new Bytes(HEX.parseHex(hex));
    }

    /** The text encoded in {@code charset}. */
    public static Bytes of(String text, Charset charset) {
        return of(text.getBytes(charset));
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** The byte at {@code index}, unsigned. */
    public int unsignedAt(int index) {
        return bytes[index] & 0xFF;
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return bytes.clone();
    }

    /** Writes the bytes at {@code buffer}'s position and advances it. */
    public void writeTo(ByteBuffer buffer) {
        buffer.put(bytes);
    }

    /** Copies the bytes into {@code target} at {@code offset}. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    /** The bytes decoded as text; malformed input is replaced, never thrown. */
    public String asString(Charset charset) {
        return new String(bytes, charset);
    }

    public Bytes slice(int offset, int length) {
        return copyOf(bytes, offset, length);
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Hex, cut after 64 bytes so that a 64 KiB value does not flood a log line. */
    @Override
    public String toString() {
        return bytes.length <= 64 ? toHex() : HEX.formatHex(bytes, 0, 64) + "…(" + bytes.length + " bytes)";
    }
}
