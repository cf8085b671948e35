package dev.proxyline.bench;

import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * PROXY header decoding and encoding, proxyline's codec against Netty's
 * {@code HAProxyMessageDecoder}/{@code HAProxyMessageEncoder}, on the same bytes in the same run.
 *
 * <p>Both sides get the cheapest correct drive we know of, so that the ratio measures the codecs,
 * not the harness:
 * <ul>
 * <li>Netty's decoder is a stateful {@code ByteToMessageDecoder}. A subclass calls its
 *     {@code decode(ctx, in, out)} directly, with no pipeline, no cumulation buffer and no
 *     EmbeddedChannel, and is reused across operations (as it is across the reads of one
 *     connection), which even spares it the version detection after the first call.</li>
 * <li>Netty's encoder is a final {@code MessageToByteEncoder}; its protected
 *     {@code encode(ctx, msg, out)} is called through a constant {@link MethodHandle}, which the JIT
 *     inlines like a direct call, into a reused heap {@code ByteBuf}. Ours writes into a reused heap
 *     {@code ByteBuffer} with {@code encode(header, ByteBuffer)}.</li>
 * <li>Inputs are heap buffers on both sides, wrapping the same bytes.</li>
 * <li>Netty's decoded {@code HAProxyMessage} is released after every operation (its TLVs are
 *     retained slices of the input), and Netty's leak detector is off (see the fork's JVM
 *     arguments): its fastest configuration.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class CodecBenchmark {

    /** The three headers real balancers send most. */
    public enum Case {
        /** nginx {@code proxy_protocol on}: a v1 line. */
        V1_TCP4,
        /** HAProxy {@code send-proxy-v2} with {@code proxy-v2-options authority,unique-id} and ALPN. */
        V2_TCP4_TLVS,
        /** HAProxy {@code send-proxy-v2 proxy-v2-options crc32c} over IPv6. */
        V2_TCP6_CRC32C
    }

    @Param
    public Case headerCase;

    private final ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
    private final DirectNettyDecoder nettyDecoder = new DirectNettyDecoder();

    /** The wire bytes, as each side receives them. */
    private ByteBuffer input;
    private ByteBuf nettyInput;

    /** The header to send, in each side's model. */
    private ProxyHeader header;
    private HAProxyMessage nettyMessage;

    /** Reused output buffers: a pipeline writes into a buffer it is given, it does not allocate one per header. */
    private ByteBuffer output;
    private ByteBuf nettyOutput;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        header = header(headerCase);
        byte[] wire = ProxyHeaderEncoder.encode(header);
        input = ByteBuffer.wrap(wire);
        nettyInput = Unpooled.wrappedBuffer(wire);
        output = ByteBuffer.allocate(512);
        nettyOutput = Unpooled.buffer(512);
        // Netty's model of the header is what Netty makes of the same bytes; from a copy of them, since
        // the message keeps slices of its input for the whole trial.
        nettyMessage = new DirectNettyDecoder().decodeOnce(Unpooled.wrappedBuffer(wire.clone()));
        check(wire);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nettyMessage.release(); // and with it the copy it was decoded from
        if (nettyInput.refCnt() != 1) {
            throw new IllegalStateException("Netty input leaked: refCnt " + nettyInput.refCnt());
        }
        nettyInput.release();
        nettyOutput.release();
    }

    @Benchmark
    public void proxylineDecode(Blackhole bh) {
        bh.consume(decoder.decode(input));
    }

    @Benchmark
    public void nettyDecode(Blackhole bh) throws Exception {
        nettyInput.readerIndex(0);
        HAProxyMessage message = nettyDecoder.decodeOnce(nettyInput);
        bh.consume(message);
        message.release();
    }

    @Benchmark
    public void proxylineEncode(Blackhole bh) {
        output.clear();
        ProxyHeaderEncoder.encode(header, output);
        bh.consume(output.position());
    }

    @Benchmark
    public void nettyEncode(Blackhole bh) throws Throwable {
        nettyOutput.clear();
        NETTY_ENCODE.invokeExact(HAProxyMessageEncoder.INSTANCE, (ChannelHandlerContext) null, nettyMessage, nettyOutput);
        bh.consume(nettyOutput.writerIndex());
    }

    static ProxyHeader header(Case c) throws Exception {
        InetSocketAddress client4 = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 51234);
        InetSocketAddress server4 = new InetSocketAddress(InetAddress.getByName("10.0.0.30"), 443);
        InetSocketAddress client6 = new InetSocketAddress(InetAddress.getByName("2001:db8:85a3::8a2e:370:7334"), 51234);
        InetSocketAddress server6 = new InetSocketAddress(InetAddress.getByName("2001:db8:0:1::30"), 443);
        return switch (c) {
            case V1_TCP4 -> ProxyHeader.tcp(ProtocolVersion.V1, client4, server4);
            case V2_TCP4_TLVS -> ProxyHeader.proxy(ProtocolVersion.V2, TransportProtocol.STREAM, client4, server4, List.of(
                    Tlv.Alpn.of("h2"),
                    Tlv.Authority.of("api.example.com"),
                    // A HAProxy-style unique id (%{+X}o %ci:%cp_%fi:%fp_%Ts_%rt:%pid), 46 bytes.
                    new Tlv.UniqueId(Bytes.of("CB0A1E07:C822_0A00001E:01BB_6565B2A0_0001:1A2B".getBytes()))));
            case V2_TCP6_CRC32C -> ProxyHeader.proxy(ProtocolVersion.V2, TransportProtocol.STREAM, client6, server6,
                    List.of(Tlv.Crc32c.PLACEHOLDER));
        };
    }

    /** Fails the trial unless both sides decode the bytes to the same header and encode it back to them. */
    private void check(byte[] wire) throws Throwable {
        DecodeResult result = decoder.decode(input);
        if (!(result instanceof DecodeResult.Complete complete) || complete.length() != wire.length
                || !complete.header().sourceAddress().orElseThrow().equals(header.sourceAddress().orElseThrow())) {
            throw new IllegalStateException("proxyline decoded " + result + " from " + ByteBufUtil.hexDump(wire));
        }
        for (int i = 0; i < 3; i++) { // the reused Netty decoder must keep decoding, and give back every reference
            nettyInput.readerIndex(0);
            HAProxyMessage m = nettyDecoder.decodeOnce(nettyInput);
            InetSocketAddress source = header.sourceAddress().orElseThrow();
            if (m.sourcePort() != source.getPort() || m.tlvs().size() != header.tlvs().size()
                    || !InetAddress.getByName(m.sourceAddress()).equals(source.getAddress())) {
                throw new IllegalStateException("Netty decoded " + m);
            }
            m.release();
        }
        nettyInput.readerIndex(0);
        if (nettyInput.refCnt() != 1) {
            throw new IllegalStateException("Netty decoding leaks references: refCnt " + nettyInput.refCnt());
        }
        output.clear();
        ProxyHeaderEncoder.encode(header, output);
        byte[] ours = Arrays.copyOf(output.array(), output.position());
        nettyOutput.clear();
        NETTY_ENCODE.invokeExact(HAProxyMessageEncoder.INSTANCE, (ChannelHandlerContext) null, nettyMessage, nettyOutput);
        byte[] theirs = ByteBufUtil.getBytes(nettyOutput);
        if (!Arrays.equals(ours, wire) || !Arrays.equals(theirs, wire)) {
            throw new IllegalStateException("encoders disagree: wire " + ByteBufUtil.hexDump(wire) + ", proxyline "
                    + ByteBufUtil.hexDump(ours) + ", Netty " + ByteBufUtil.hexDump(theirs));
        }
    }

    /** Netty's decoder without its pipeline plumbing: one header in, one message out. */
    static final class DirectNettyDecoder extends HAProxyMessageDecoder {
        private final List<Object> out = new ArrayList<>(1);

        /** The message decoded from {@code in}; the caller releases it. No context is needed on the success path. */
        HAProxyMessage decodeOnce(ByteBuf in) throws Exception {
            decode(null, in, out);
            HAProxyMessage message = (HAProxyMessage) out.get(0);
            out.clear();
            return message;
        }
    }

    /** {@code HAProxyMessageEncoder.encode(ctx, msg, out)}: protected in a final class, so reached reflectively once. */
    static final MethodHandle NETTY_ENCODE;

    static {
        try {
            Method encode = HAProxyMessageEncoder.class.getDeclaredMethod(
                    "encode", ChannelHandlerContext.class, HAProxyMessage.class, ByteBuf.class);
            encode.setAccessible(true);
            NETTY_ENCODE = MethodHandles.lookup().unreflect(encode);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
