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
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest methods of a JFR recording's execution samples: self (top frame) and total (anywhere
 * on the stack), with the threads sampled. JDK 17's {@code jfr print} fails on some method
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
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals(eventName) || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            threads.merge(event.getThread("sampledThread").getJavaName(), 1, Integer::sum);
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                if (seen.add(name(frame.getMethod()))) {
                    total.merge(name(frame.getMethod()), 1, Integer::sum);
                }
            }
        }
        System.out.println(samples + " " + eventName + " events");
        print("threads", threads, samples, top);
        print("self (top frame)", self, samples, top);
        print("total (on the stack)", total, samples, top);
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("\n" + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }
}
