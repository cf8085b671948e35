package dev.proxyline.server.stream.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.server.stream.RelayWait;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One direction of the raw relay against scripted kernel calls: what it reads, holds, writes, counts and ends. */
class RawRelayDirectionTest {

    private static final int BUFFER = 8;
    private static final Object END = new Object();

    private final Script ends = new Script();
    private final ByteBuffer scratch = ByteBuffer.allocate(BUFFER);
    private RawRelayDirection direction;

    @AfterEach
    void releasePending() {
        if (direction != null) {
            direction.release();
        }
    }

    private RawRelayDirection direction(boolean passFinOn) {
        direction = new RawRelayDirection(true, ends, BUFFER, passFinOn);
        return direction;
    }

    @Test
    void everyReadGoesStraightToTheSinkAndNothingIsHeld() throws Exception {
        RawRelayDirection d = direction(false);
        ends.source("abcdefgh", "ij");

        assertThat(d.pump(scratch, 16, false, false)).isEqualTo(RelayWait.SOURCE);
        assertThat(ends.sunk()).isEqualTo("abcdefghij");
        assertThat(d.read()).isEqualTo(10);
        assertThat(d.written()).isEqualTo(10);
        assertThat(d.pendingBytes()).isZero();
    }

    @Test
    void whatTheSinkDoesNotTakeIsHeldAndTheSourceWaitsUntilItIsWritten() throws Exception {
        RawRelayDirection d = direction(false);
        ends.source("abcdefgh", "ijklmnop");
        ends.room = 3;

        assertThat(d.pump(scratch, 16, false, false)).isEqualTo(RelayWait.SINK);
        assertThat(d.pendingBytes()).isEqualTo(5);
        assertThat(d.written()).isEqualTo(3);
        assertThat(d.pump(scratch, 16, false, false)).as("sink still full").isEqualTo(RelayWait.SINK);
        assertThat(ends.receives).as("the source is not read while bytes are held").isEqualTo(1);

        ends.room = Integer.MAX_VALUE;
        assertThat(d.pump(scratch, 16, false, false)).isEqualTo(RelayWait.SOURCE);
        assertThat(ends.sunk()).isEqualTo("abcdefghijklmnop");
        assertThat(d.pendingBytes()).isZero();
        assertThat(d.written()).isEqualTo(16);
    }

    @Test
    void thePrefaceIsWrittenFirstAndNotCountedEvenInPieces() throws Exception {
        RawRelayDirection d = direction(false);
        ByteBuffer first = ByteBuffer.wrap("PROXY!early".getBytes(StandardCharsets.US_ASCII));
        ends.room = 4;
        d.begin(first, 6, false, scratch);
        assertThat(d.waiting()).isEqualTo(RelayWait.SINK);
        assertThat(d.read()).as("early bytes count as received at once").isEqualTo(5);
        assertThat(d.written()).isZero();

        ends.source("late");
        ends.room = 3;
        d.pump(scratch, 16, false, false);
        assertThat(d.written()).as("the last of the preface and the first early byte").isEqualTo(1);
        ends.room = Integer.MAX_VALUE;
        assertThat(d.pump(scratch, 16, false, false)).isEqualTo(RelayWait.SOURCE);
        assertThat(ends.sunk()).isEqualTo("PROXY!earlylate");
        assertThat(d.written()).isEqualTo(9);
        assertThat(d.read()).isEqualTo(9);
    }

    @Test
    void firstBytesLargerThanTheScratchBufferGoOutInOrder() throws Exception {
        RawRelayDirection d = direction(false);
        d.begin(ByteBuffer.wrap("0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII)), 0, false, scratch);
        assertThat(ends.sunk()).isEqualTo("0123456789abcdefghij");
        assertThat(d.waiting()).isEqualTo(RelayWait.SOURCE);
    }

    @Test
    void aShortReadEndsThePumpUnlessTheSourceHungUp() throws Exception {
        RawRelayDirection d = direction(true);
        ends.source("short");

        assertThat(d.pump(scratch, 16, false, false)).isEqualTo(RelayWait.SOURCE);
        assertThat(ends.receives).isEqualTo(1);
        ends.source("more", END);
        assertThat(d.pump(scratch, 16, true, false)).isEqualTo(RelayWait.FINISHED);
        assertThat(ends.receives).isEqualTo(3);
        assertThat(ends.log).hasToString("FIN after 9");
    }

    @Test
    void theEndIsPassedOnOnlyAfterTheLastHeldByte() throws Exception {
        RawRelayDirection d = direction(true);
        ends.source("abcdefgh", END);
        ends.room = 5;

        assertThat(d.pump(scratch, 16, true, false)).isEqualTo(RelayWait.SINK);
        assertThat(ends.log).isEmpty();
        ends.room = Integer.MAX_VALUE;
        assertThat(d.pump(scratch, 16, false, false)).isEqualTo(RelayWait.FINISHED);
        assertThat(ends.log).hasToString("FIN after 8");
        assertThat(d.sourceEnded()).isTrue();
    }

    @Test
    void withoutHalfCloseTheEndFinishesTheDirectionWithoutAShutdown() throws Exception {
        RawRelayDirection d = direction(false);
        ends.source("ab", END);
        assertThat(d.pump(scratch, 16, true, false)).isEqualTo(RelayWait.FINISHED);
        assertThat(ends.sunk()).isEqualTo("ab");
        assertThat(ends.log).isEmpty();
    }

    @Test
    void anEndSeenByTheFrontFinishesOnceTheFirstBytesAreOut() throws Exception {
        RawRelayDirection d = direction(true);
        ends.room = 2;
        d.begin(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)), 0, true, scratch);
        assertThat(d.waiting()).isEqualTo(RelayWait.SINK);
        ends.room = Integer.MAX_VALUE;
        assertThat(d.pump(scratch, 16, false, false)).isEqualTo(RelayWait.FINISHED);
        assertThat(ends.receives).as("nothing more is read from an ended source").isZero();
        assertThat(ends.log).hasToString("FIN after 3");
    }

    @Test
    void fullReadsStopAtTheReadsOfOneWakeUp() throws Exception {
        RawRelayDirection d = direction(false);
        for (int i = 0; i < 5; i++) {
            ends.source("01234567");
        }
        assertThat(d.pump(scratch, 3, false, false)).isEqualTo(RelayWait.MORE);
        assertThat(ends.receives).isEqualTo(3);
        assertThat(d.takeFullRead()).isTrue();
        assertThat(d.takeFullRead()).as("reported once").isFalse();
    }

    @Test
    void aFullReadStopsThePumpWhenTheRelayMaySwitchToSplice() throws Exception {
        RawRelayDirection d = direction(false);
        ends.source("01234567", "89abcdef");
        assertThat(d.pump(scratch, 16, false, true)).isEqualTo(RelayWait.MORE);
        assertThat(ends.receives).isEqualTo(1);
        assertThat(ends.sunk()).isEqualTo("01234567");
        assertThat(d.takeFullRead()).isTrue();
    }

    @Test
    void failuresNameTheSocketTheyHappenedOn() {
        RawRelayDirection d = direction(false);
        ends.source(new IOException("recv(..) failed: Connection reset by peer"));
        assertThatThrownBy(() -> d.pump(scratch, 16, false, false))
                .isInstanceOfSatisfying(RawRelayDirection.Failed.class, f -> assertThat(f.clientSide()).isTrue())
                .hasMessageContaining("reset");

        RawRelayDirection other = new RawRelayDirection(true, new Script() {
            @Override
            public int send(ByteBuffer from, int position, int limit) throws IOException {
                throw new IOException("send(..) failed: Broken pipe");
            }
        }.source("x"), BUFFER, false);
        assertThatThrownBy(() -> other.pump(scratch, 16, false, false))
                .isInstanceOfSatisfying(RawRelayDirection.Failed.class, f -> assertThat(f.clientSide()).isFalse());
    }

    /** A source that hands out scripted chunks, end or failure, and a sink that takes {@code room} bytes. */
    private static class Script implements RawRelayDirection.Ends {
        final ArrayDeque<Object> source = new ArrayDeque<>();
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final StringBuilder log = new StringBuilder();
        int room = Integer.MAX_VALUE;
        int receives;

        Script source(Object... items) {
            for (Object item : items) {
                source.add(item instanceof String s ? s.getBytes(StandardCharsets.US_ASCII) : item);
            }
            return this;
        }

        String sunk() {
            return sink.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public int receive(ByteBuffer into, int max) throws IOException {
            receives++;
            Object next = source.poll();
            if (next == null) {
                return 0;
            }
            if (next == END) {
                source.addFirst(END);
                return -1;
            }
            if (next instanceof IOException e) {
                throw e;
            }
            byte[] chunk = (byte[]) next;
            int n = Math.min(chunk.length, max);
            into.put(0, chunk, 0, n);
            if (n < chunk.length) {
                source.addFirst(java.util.Arrays.copyOfRange(chunk, n, chunk.length));
            }
            return n;
        }

        @Override
        public int send(ByteBuffer from, int position, int limit) throws IOException {
            int n = Math.min(limit - position, room);
            for (int i = 0; i < n; i++) {
                sink.write(from.get(position + i));
            }
            if (room != Integer.MAX_VALUE) {
                room -= n;
            }
            return n;
        }

        @Override
        public void shutdownSink() {
            log.append("FIN after ").append(sink.size());
        }
    }
}
