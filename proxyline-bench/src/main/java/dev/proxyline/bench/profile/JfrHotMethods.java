package dev.proxyline.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest methods of a JFR recording's execution samples: self (top frame) and total (anywhere
 * on the stack), with the threads sampled. For {@code jdk.ObjectAllocationSample} the shares are of
 * the sampled bytes ({@code weight}) instead of the samples. JDK 17's {@code jfr print} fails on some method
 * descriptors of Netty's generated classes, so this reads the recording through the
 * {@code jdk.jfr.consumer} API instead.
 *
 * <pre>java -cp benchmarks.jar dev.proxyline.bench.profile.JfrHotMethods recording.jfr [top] [jdk.NativeMethodSample]</pre>
 */
public final class JfrHotMethods {
    private JfrHotMethods() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String eventName = args.length > 2 ? args[2] : "jdk.ExecutionSample";
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        long samples = 0;
        long weight = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals(eventName) || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            long w = event.hasField("weight") ? event.getLong("weight") : 1;
            weight += w;
            RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread();
            threads.merge(thread == null ? "?" : thread.getJavaName(), w, Long::sum);
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                self.merge(name(frames.get(0).getMethod()), w, Long::sum);
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                if (seen.add(name(frame.getMethod()))) {
                    total.merge(name(frame.getMethod()), w, Long::sum);
                }
            }
        }
        System.out.println(samples + " " + eventName + " events, weight " + weight);
        print("threads", threads, weight, top);
        print("self (top frame)", self, weight, top);
        print("total (on the stack)", total, weight, top);
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    private static void print(String title, Map<String, Long> counts, long samples, int top) {
        System.out.println("\n" + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }
}
