package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code worker_cpu_affinity} as nginx reads it, and which CPUs each worker gets. */
class WorkerCpuAffinityTest {

    private static BitSet cpus(int... cpus) {
        BitSet set = new BitSet();
        IntStream.of(cpus).forEach(set::set);
        return set;
    }

    private static WorkerCpuAffinity affinity(String directive) {
        return ok("worker_processes 4;\n" + directive + "\n").cpuAffinity().orElseThrow();
    }

    @Test
    void notSetLeavesTheWorkersUnbound() {
        assertThat(ok("worker_processes 2;").cpuAffinity()).isEmpty();
    }

    @Test
    void masksAreBinaryWithCpuZeroRightmostAndTheLastOneServesTheRemainingWorkers() {
        WorkerCpuAffinity masks = ok("worker_processes 2;\nworker_cpu_affinity 0101 1010;").cpuAffinity().orElseThrow();
        BitSet allowed = cpus(0, 1, 2, 3);
        assertThat(masks.cpusOf(0, allowed)).contains(cpus(0, 2));
        assertThat(masks.cpusOf(1, allowed)).contains(cpus(1, 3));
        assertThat(masks.cpusOf(5, allowed)).contains(cpus(1, 3));
    }

    @Test
    void autoGivesEachWorkerOneAllowedCpuCountingAround() {
        WorkerCpuAffinity auto = affinity("worker_cpu_affinity auto;");
        BitSet allowed = cpus(1, 2, 5);
        assertThat(IntStream.range(0, 5).mapToObj(w -> auto.cpusOf(w, allowed).orElseThrow()))
                .containsExactly(cpus(1), cpus(2), cpus(5), cpus(1), cpus(2));
    }

    @Test
    void autoWithAMaskUsesOnlyTheMaskedCpusThatAreAllowed() {
        WorkerCpuAffinity auto = affinity("worker_cpu_affinity auto 11110000;");
        assertThat(auto.cpusOf(0, cpus(0, 1, 2, 3, 4, 5, 6, 7))).contains(cpus(4));
        assertThat(auto.cpusOf(1, cpus(0, 1, 2, 3, 4, 6))).contains(cpus(6));
        assertThat(auto.cpusOf(2, cpus(0, 1, 2, 3, 4, 6))).contains(cpus(4));
        assertThat(auto.cpusOf(0, cpus(0, 1))).isEmpty();
    }

    @Test
    void maskCountDifferentFromWorkerProcessesIsAWarning() {
        LoadResult r = ConfigLoader.parse("test.conf", "worker_processes 3;\nworker_cpu_affinity 01 10;\n", Path.of("."));
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:2:1: the number of \"worker_processes\" (3) is not equal to the number of "
                        + "\"worker_cpu_affinity\" masks (2), using the last mask for the remaining workers");
        assertThat(ConfigLoader.parse("test.conf", "worker_processes auto;\nworker_cpu_affinity 01 10;\n", Path.of("."))
                .warnings()).isEmpty();
    }

    @Test
    void badMasksAreErrorsAtTheArgument() {
        assertThat(errors("worker_cpu_affinity 01 1x0;")).containsExactly(
                "test.conf:1:24: invalid character \"x\" in \"worker_cpu_affinity\" mask \"1x0\" (expected binary digits,"
                        + " CPU 0 rightmost, e.g. 0101)");
        assertThat(errors("worker_cpu_affinity 0000;")).containsExactly(
                "test.conf:1:21: mask \"0000\" in \"worker_cpu_affinity\" directive names no CPU");
        assertThat(errors("worker_cpu_affinity auto 01 10;")).containsExactly(
                "test.conf:1:29: \"worker_cpu_affinity auto\" takes at most one mask");
        assertThat(errors("worker_cpu_affinity " + "1".repeat(1025) + ";")).singleElement().asString()
                .startsWith("test.conf:1:21: too long mask \"111").endsWith("\" in \"worker_cpu_affinity\" directive (at most 1024 CPUs)");
        assertThat(errors("http { worker_cpu_affinity auto; }")).singleElement().asString()
                .startsWith("test.conf:1:8: ").contains("worker_cpu_affinity");
    }

    @Test
    void modelCopiesItsSets() {
        BitSet limit = cpus(1);
        WorkerCpuAffinity.Auto auto = new WorkerCpuAffinity.Auto(Optional.of(limit));
        limit.set(0);
        assertThat(auto.cpusOf(0, cpus(0, 1))).contains(cpus(1));
    }
}
