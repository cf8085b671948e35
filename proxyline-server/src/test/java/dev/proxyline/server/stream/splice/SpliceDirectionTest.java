package dev.proxyline.server.stream.splice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.server.stream.RelayWait;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-direction state machine against a scripted kernel: what is asked of it, in which order. */
class SpliceDirectionTest {

    /** What one pump did: bytes taken from the source, bytes given to the sink, and what it waits for. */
    private record Step(long filled, long drained, RelayWait next) {}

    private static Step step(SpliceDirection d) throws IOException {
        long filled = d.filled();
        long drained = d.drained();
        RelayWait next = d.pump();
        return new Step(d.filled() - filled, d.drained() - drained, next);
    }

    /** Answers each call from a script; records the calls as "fill", "drain N" and "end". */
    private static final class ScriptedKernel implements SpliceDirection.Ends {
        final ArrayDeque<Integer> fills = new ArrayDeque<>();
        final ArrayDeque<Integer> drains = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        IOException failDrain;

        ScriptedKernel fills(Integer... n) {
            fills.addAll(List.of(n));
            return this;
        }

        ScriptedKernel drains(Integer... n) {
            drains.addAll(List.of(n));
            return this;
        }

        @Override
        public int fill(int max) {
            calls.add("fill");
            assertThat(max).isEqualTo(SpliceDirection.PIPE_CAPACITY);
            return fills.isEmpty() ? 0 : fills.poll();
        }

        @Override
        public int drain(int max) throws IOException {
            calls.add("drain " + max);
            if (failDrain != null) {
                throw failDrain;
            }
            return drains.isEmpty() ? 0 : Math.min(max, drains.poll());
        }

        @Override
        public void endSink() {
            calls.add("end");
        }
    }

    @Test
    void movesEachPipefulToTheSinkBeforeReadingTheSourceAgain() throws IOException {
        ScriptedKernel k = new ScriptedKernel().fills(100, 50).drains(100, 50);
        SpliceDirection d = new SpliceDirection(k, 16);
        Step step = step(d);
        assertThat(k.calls).containsExactly("fill", "drain 100", "fill", "drain 50", "fill");
        assertThat(step).isEqualTo(new Step(150, 150, RelayWait.SOURCE));
        assertThat(d.inPipe()).isZero();
    }

    @Test
    void aFullSinkStopsReadingTheSourceUntilThePipeIsEmpty() throws IOException {
        ScriptedKernel k = new ScriptedKernel().fills(65536).drains(40000);
        SpliceDirection d = new SpliceDirection(k, 16);
        assertThat(step(d)).isEqualTo(new Step(65536, 40000, RelayWait.SINK));
        assertThat(d.inPipe()).isEqualTo(25536);
        k.calls.clear();

        // Woken for the sink: only the pipe is drained; still full, still no read from the source.
        assertThat(step(d)).isEqualTo(new Step(0, 0, RelayWait.SINK));
        assertThat(k.calls).containsExactly("drain 25536");
        k.calls.clear();

        k.drains(25536);
        assertThat(step(d)).isEqualTo(new Step(0, 25536, RelayWait.SOURCE));
        assertThat(k.calls).containsExactly("drain 25536", "fill");
    }

    @Test
    void nothingToReadBeforeAHangUpIsNotTheEnd() throws IOException {
        ScriptedKernel k = new ScriptedKernel();
        SpliceDirection d = new SpliceDirection(k, 16);
        assertThat(step(d).next()).isEqualTo(RelayWait.SOURCE);
        assertThat(step(d).next()).isEqualTo(RelayWait.SOURCE);
        assertThat(k.calls).containsExactly("fill", "fill");
    }

    @Test
    void afterAHangUpTheQueuedBytesGoFirstThenTheSinkIsEnded() throws IOException {
        ScriptedKernel k = new ScriptedKernel().fills(7, 3).drains(7, 3);
        SpliceDirection d = new SpliceDirection(k, 16);
        d.sourceHungUp();
        assertThat(step(d)).isEqualTo(new Step(10, 10, RelayWait.FINISHED));
        assertThat(k.calls).containsExactly("fill", "drain 7", "fill", "drain 3", "fill", "end");
        k.calls.clear();
        assertThat(step(d)).isEqualTo(new Step(0, 0, RelayWait.FINISHED));
        assertThat(k.calls).isEmpty();
    }

    @Test
    void aHangUpWhileTheSinkIsFullEndsOnlyOnceThePipeIsDrained() throws IOException {
        ScriptedKernel k = new ScriptedKernel().fills(500);
        SpliceDirection d = new SpliceDirection(k, 16);
        assertThat(step(d).next()).isEqualTo(RelayWait.SINK);
        d.sourceHungUp();
        assertThat(d.hasSourceHungUp()).isTrue();
        assertThat(step(d).next()).isEqualTo(RelayWait.SINK);
        assertThat(k.calls).doesNotContain("end");
        k.drains(500);
        assertThat(step(d)).isEqualTo(new Step(0, 500, RelayWait.FINISHED));
        assertThat(k.calls).endsWith("drain 500", "fill", "end");
    }

    @Test
    void bytesThatCameWithTheHangUpAreReadBeforeTheEnd() throws IOException {
        ScriptedKernel k = new ScriptedKernel();
        SpliceDirection d = new SpliceDirection(k, 16);
        assertThat(step(d).next()).isEqualTo(RelayWait.SOURCE);
        // The peer sent its last bytes and FIN; epoll reports both at once.
        d.sourceHungUp();
        k.fills(42).drains(42);
        assertThat(step(d)).isEqualTo(new Step(42, 42, RelayWait.FINISHED));
        assertThat(k.calls).containsExactly("fill", "fill", "drain 42", "fill", "end");
    }

    @Test
    void aBusySourceYieldsAfterItsShareOfOneWakeUp() throws IOException {
        ScriptedKernel k = new ScriptedKernel().fills(10, 10, 10, 10).drains(10, 10, 10, 10);
        SpliceDirection d = new SpliceDirection(k, 2);
        assertThat(step(d)).isEqualTo(new Step(20, 20, RelayWait.MORE));
        assertThat(step(d)).isEqualTo(new Step(20, 20, RelayWait.MORE));
        assertThat(step(d)).isEqualTo(new Step(0, 0, RelayWait.SOURCE));
    }

    @Test
    void aDirectionThatEndedBeforeTheHandOverTouchesNothing() throws IOException {
        ScriptedKernel k = new ScriptedKernel().fills(10);
        SpliceDirection d = new SpliceDirection(k, 16);
        d.alreadyEnded();
        assertThat(d.hasSourceHungUp()).isTrue();
        assertThat(step(d)).isEqualTo(new Step(0, 0, RelayWait.FINISHED));
        assertThat(k.calls).isEmpty();
    }

    @Test
    void kernelErrorsPropagate() {
        ScriptedKernel k = new ScriptedKernel().fills(10);
        k.failDrain = new IOException("splice(..) failed: Broken pipe");
        SpliceDirection d = new SpliceDirection(k, 16);
        assertThatThrownBy(d::pump).isSameAs(k.failDrain);
        assertThat(d.filled()).as("what was moved before the failure is counted").isEqualTo(10);
        assertThat(d.drained()).isZero();
    }

    @Test
    void atLeastOneFillPerPump() {
        assertThatThrownBy(() -> new SpliceDirection(new ScriptedKernel(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
