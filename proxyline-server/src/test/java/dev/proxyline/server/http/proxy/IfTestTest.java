package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.IfCondition;
import dev.proxyline.config.Position;
import dev.proxyline.config.CaptureVariable;
import dev.proxyline.server.variables.Exchanges;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.SetVariable;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The conditions of {@code if} decided for hand-built requests, without a network. */
class IfTestTest {
    private static final Position AT = new Position("test.conf", 1, 1);

    /** The http variables with what the configuration's if regexes assign: $1..$9 and a named group. */
    private static final VariableTable TABLE = table();

    private static VariableTable table() {
        List<CaptureVariable> captures = new ArrayList<>();
        for (String name : List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "ver")) {
            captures.add(new CaptureVariable(AT, name, "if"));
        }
        List<String> problems = new ArrayList<>();
        VariableTable table = Exchanges.table().withSets(List.of(), captures, Set.of(), problems);
        assertThat(problems).isEmpty();
        return table;
    }

    private static boolean holds(IfCondition condition, SessionSnapshot session, String[] values) {
        return IfTest.compile(condition, TABLE).holds(session, values);
    }

    private static int slot(String name) {
        return ((SetVariable) TABLE.require(name)).index();
    }

    @Test
    void aVariableIsFalseOnlyWhenEmptyOrZero() {
        IfCondition v = new IfCondition.Variable("arg_v");
        assertThat(holds(v, Exchanges.get().target("/x").snapshot(), null)).isFalse();
        assertThat(holds(v, Exchanges.get().target("/x?v=0").snapshot(), null)).isFalse();
        assertThat(holds(v, Exchanges.get().target("/x?v=00").snapshot(), null)).isTrue();
        assertThat(holds(v, Exchanges.get().target("/x?v=no").snapshot(), null)).isTrue();
        assertThat(IfTest.compile(v, TABLE).assigns()).isFalse();
    }

    @Test
    void comparisonsAreExactAndTheValueMayHoldVariables() {
        SessionSnapshot post = Exchanges.get().method("POST").snapshot();
        assertThat(holds(new IfCondition.Compare("request_method", true, "POST"), post, null)).isTrue();
        assertThat(holds(new IfCondition.Compare("request_method", true, "post"), post, null)).isFalse();
        assertThat(holds(new IfCondition.Compare("request_method", false, "POST"), post, null)).isFalse();
        SessionSnapshot forwarded = Exchanges.get().header("X-Forwarded-Proto", "http").snapshot();
        assertThat(holds(new IfCondition.Compare("http_x_forwarded_proto", false, "https"), forwarded, null)).isTrue();
        assertThat(holds(new IfCondition.Compare("http_x_forwarded_proto", true, "$scheme"), forwarded, null)).isTrue();
        assertThat(holds(new IfCondition.Compare("http_x_missing", true, ""), forwarded, null))
                .as("a variable not found is empty").isTrue();
    }

    @Test
    void aRegexMatchAssignsItsCapturesAndAMissEmptiesTheNumberedOnes() {
        IfCondition.Match curl = new IfCondition.Match("http_user_agent",
                Pattern.compile("^curl/(?<ver>[0-9.]+)"), false);
        String[] values = new String[TABLE.setSlots()];
        assertThat(holds(curl, Exchanges.get().header("User-Agent", "curl/8.1.2").snapshot(), values)).isTrue();
        assertThat(values[slot("1")]).isEqualTo("8.1.2");
        assertThat(values[slot("ver")]).isEqualTo("8.1.2");
        assertThat(values[slot("2")]).isNull();
        assertThat(holds(curl, Exchanges.get().header("User-Agent", "Mozilla/5.0").snapshot(), values)).isFalse();
        assertThat(values[slot("1")]).isNull();
        assertThat(values[slot("ver")]).as("a named group keeps its value, as in nginx").isEqualTo("8.1.2");
        assertThat(IfTest.compile(curl, TABLE).assigns()).isTrue();
    }

    @Test
    void caseAndNegationFollowTheOperator() {
        IfCondition.Match bots = new IfCondition.Match("http_user_agent",
                Pattern.compile("(bot|crawler)", Pattern.CASE_INSENSITIVE), true);
        String[] values = new String[TABLE.setSlots()];
        assertThat(holds(bots, Exchanges.get().header("User-Agent", "GoogleBOT/2.1").snapshot(), values)).isFalse();
        assertThat(values[slot("1")]).as("a negated test still captures").isEqualTo("BOT");
        assertThat(holds(bots, Exchanges.get().header("User-Agent", "Mozilla").snapshot(), values)).isTrue();
    }

    @Test
    void anUnknownVariableIsAStartupProblem() {
        assertThatThrownBy(() -> IfTest.compile(new IfCondition.Variable("no_such_thing"), TABLE))
                .isInstanceOf(TemplateException.class).hasMessageContaining("no_such_thing");
    }
}
