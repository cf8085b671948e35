package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxyline.protocol.InetLiterals;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Compares a {@code pp decode} success with a vector's {@code expect} object. */
final class ExpectAssert {
    private ExpectAssert() {
    }

    /**
     * Asserts that {@code actual} is {@code ok:true} and has exactly the fields of {@code expect},
     * with equal values; src and dst are compared as binary addresses when they are IP literals, so
     * that {@code ::FFFF:1.2.3.4} and {@code ::ffff:102:304} match but IPv4 and its mapped form do not.
     */
    static void assertMatches(JsonNode actual, JsonNode expect, String context) {
        assertThat(actual.path("ok").asBoolean()).as(context + ": ok in " + actual).isTrue();
        List<String> expectedFields = fields(expect);
        expectedFields.add(0, "ok");
        assertThat(fields(actual)).as(context + ": fields").containsExactlyElementsOf(expectedFields);
        for (String field : fields(expect)) {
            JsonNode want = expect.get(field);
            JsonNode got = actual.get(field);
            if ((field.equals("src") || field.equals("dst")) && want.isTextual() && got.isTextual()) {
                Optional<InetAddress> wantAddress = InetLiterals.parse(want.asText());
                if (wantAddress.isPresent()) {
                    Optional<InetAddress> gotAddress = InetLiterals.parse(got.asText());
                    assertThat(gotAddress).as(context + ": " + field + " " + got + " is an address").isPresent();
                    assertThat(gotAddress.get().getAddress()).as(context + ": " + field + " " + got + " vs " + want)
                            .isEqualTo(wantAddress.get().getAddress());
                    continue;
                }
            }
            assertThat(got).as(context + ": " + field).isEqualTo(want);
        }
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
