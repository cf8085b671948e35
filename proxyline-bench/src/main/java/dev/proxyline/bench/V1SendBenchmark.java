package dev.proxyline.bench;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a v1 sender does per connection, from the connection's two socket addresses to the bytes:
 * Netty has to format the addresses as Strings and build an {@code HAProxyMessage} (which
 * validates them) before its encoder copies the text; proxyline builds a {@code ProxyHeader} and
 * formats while encoding. {@link CodecBenchmark}'s encode compares the encoders alone, from a
 * ready message, where Netty's formatting has already been paid; this one adds it back. Not part of
 * {@code bench/codec.sh}; run with {@code java -jar proxyline-bench/target/benchmarks.jar V1SendBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class V1SendBenchmark {
    private InetSocketAddress client;
    private InetSocketAddress server;
    private ByteBuffer output;
    private ByteBuf nettyOutput;

    @Setup
    public void setUp() throws Exception {
        client = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 51234);
        server = new InetSocketAddress(InetAddress.getByName("10.0.0.30"), 443);
        output = ByteBuffer.allocate(512);
        nettyOutput = Unpooled.buffer(512);
    }

    @TearDown
    public void tearDown() {
        nettyOutput.release();
    }

    @Benchmark
    public void proxylineSend(Blackhole bh) {
        output.clear();
        ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1, client, server), output);
        bh.consume(output.position());
    }

    @Benchmark
    public void nettySend(Blackhole bh) throws Throwable {
        nettyOutput.clear();
        HAProxyMessage message = new HAProxyMessage(HAProxyProtocolVersion.V1, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, client.getAddress().getHostAddress(), server.getAddress().getHostAddress(),
                client.getPort(), server.getPort());
        CodecBenchmark.NETTY_ENCODE.invokeExact(HAProxyMessageEncoder.INSTANCE, (ChannelHandlerContext) null, message, nettyOutput);
        message.release();
        bh.consume(nettyOutput.writerIndex());
    }
}
