package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/** PCRE's group names (with {@code _}, in every spelling) read by Java's regexes, and read back as written. */
class NginxRegexTest {
    @Test
    void groupNamesWithUnderscoreMatchAndAreReadBackAsWritten() {
        Pattern p = NginxRegex.compile("^/(?<my_name>[a-z]+)/(?P<_z>\\d+)/(?'zz_9'x)$", 0);
        Matcher m = p.matcher("/abc/42/x");
        assertThat(m.find()).isTrue();
        assertThat(m.group(NginxRegex.javaName("my_name"))).isEqualTo("abc");
        assertThat(m.group(NginxRegex.javaName("_z"))).isEqualTo("42");
        assertThat(m.group(NginxRegex.javaName("zz_9"))).isEqualTo("x");
        assertThat(NginxRegex.groupNames(p)).containsExactly("my_name", "_z", "zz_9");
    }

    @Test
    void namesThatDifferOnlyByUnderscoreOrZStayApart() {
        assertThat(NginxRegex.javaName("a_b")).isNotEqualTo(NginxRegex.javaName("az0b"))
                .isNotEqualTo(NginxRegex.javaName("azb"));
        assertThat(NginxRegex.groupNames(NginxRegex.compile("(?<a_b>1)(?<az0b>2)(?<azb>3)", 0)))
                .containsExactly("a_b", "az0b", "azb");
    }

    @Test
    void backReferencesInEverySpellingFollowTheirGroup() {
        for (String ref : new String[] {"\\k<the_x>", "\\k'the_x'", "\\k{the_x}", "\\g{the_x}", "(?P=the_x)"}) {
            Pattern p = NginxRegex.compile("^(?<the_x>a+)-" + ref + "$", 0);
            assertThat(p.matcher("aa-aa").find()).as(ref).isTrue();
            assertThat(p.matcher("aa-a").find()).as(ref).isFalse();
        }
    }

    @Test
    void lookbehindsEscapesAndClassesAreNotGroupNames() {
        Pattern p = NginxRegex.compile("(?<=a)b(?<!c)\\(?<x_y>[(?<q_r>]", 0);
        assertThat(NginxRegex.groupNames(p)).isEmpty();
        assertThat(p.pattern()).isEqualTo("(?<=a)b(?<!c)\\(?<x_y>[(?<q_r>]");
        assertThat(p.matcher("ab(<x_y>q").find()).isTrue();
    }

    @Test
    void anInvalidRegexIsStillRefused() {
        assertThatThrownBy(() -> NginxRegex.compile("(?<1a>x)", 0)).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> NginxRegex.compile("(unclosed", 0)).isInstanceOf(PatternSyntaxException.class);
    }
}
