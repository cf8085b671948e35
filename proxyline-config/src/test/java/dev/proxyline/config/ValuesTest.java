package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
    @ParameterizedTest
    @CsvSource({"512,512", "16k,16384", "16K,16384", "1m,1048576", "2M,2097152", "1g,1073741824", "0,0"})
    void sizesUseBinarySuffixesCaseInsensitively(String text, long bytes) {
        assertThat(Values.size(text)).hasValue(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "1.5m", "-1", "1kb", "1t", "99999999999999999g"})
    void invalidSizesAreRejected(String text) {
        assertThat(Values.size(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"30,30000", "5s,5000", "500ms,500", "1m,60000", "1m30s,90000", "1h,3600000", "1d,86400000",
            "1w,604800000", "1M,2592000000", "1y,31536000000", "1h30m15s250ms,5415250", "1m30,90000", "0,0"})
    void timesFollowNginxUnits(String text, long millis) {
        assertThat(Values.duration(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "1x", "30s1m", "1s1s", "1.5s", "-5s", "1 s", "5sec"})
    void invalidTimesAreRejected(String text) {
        assertThat(Values.duration(text)).isEmpty();
    }

    @Test
    void flagsAreOnOrOff() {
        assertThat(Values.flag("on")).contains(true);
        assertThat(Values.flag("OFF")).contains(false);
        assertThat(Values.flag("yes")).isEmpty();
    }
}
