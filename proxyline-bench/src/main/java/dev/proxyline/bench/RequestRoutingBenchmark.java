package dev.proxyline.bench;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.LoadResult;
import dev.proxyline.server.http.routing.HostRoute;
import dev.proxyline.server.http.routing.VirtualHosts;
import dev.proxyline.server.upstream.AttemptSequence;
import dev.proxyline.server.upstream.BalancingMethod;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.upstream.PeerSpec;
import dev.proxyline.server.upstream.UpstreamGroup;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the ingress decides per proxied request before any byte moves: the server block for the Host
 * header (a configuration without wildcard or regex names, as most are) and the upstream peer (a
 * round-robin group whose first pick serves the request). Run with {@code -prof gc} for the bytes
 * allocated per request: {@code java -jar proxyline-bench/target/benchmarks.jar RequestRoutingBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class RequestRoutingBenchmark {
    private VirtualHosts hosts;
    private UpstreamGroup group;
    private NextUpstreamPolicy policy;

    @Setup
    public void setUp() {
        LoadResult loaded = ConfigLoader.parse("bench.conf", """
                http {
                    server { listen 127.0.0.1:80; server_name example.org www.example.org; return 200 a; }
                    server { listen 127.0.0.1:80; return 200 b; }
                }
                """, Path.of("."));
        List<HttpServer> servers = ((LoadResult.Loaded) loaded).config().http().orElseThrow().servers();
        hosts = VirtualHosts.byListen(servers).values().iterator().next();
        group = UpstreamGroup.create("app", List.of(PeerSpec.of("127.0.0.1:8081"), PeerSpec.of("127.0.0.1:8082"),
                PeerSpec.of("127.0.0.1:8083")), new BalancingMethod.RoundRobin(), System::nanoTime, new SplittableRandom(1));
        policy = NextUpstreamPolicy.httpDefault();
    }

    /** A Host header with a port that names no server: the default server answers. */
    @Benchmark
    public HostRoute hostWithoutMatchingName() {
        return hosts.select("127.0.0.1:16141");
    }

    /** Choose a peer, and release it as the response ends. */
    @Benchmark
    public AttemptSequence upstreamServedByFirstPeer() {
        AttemptSequence attempts = group.begin(policy);
        attempts.next();
        attempts.succeed();
        return attempts;
    }
}
