package dev.proxyline.server.variables;

import static dev.proxyline.server.variables.Sessions.NOW;
import static dev.proxyline.server.variables.Sessions.direct;
import static dev.proxyline.server.variables.Sessions.render;
import static dev.proxyline.server.variables.Sessions.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TemplateTest {
    private final SessionSnapshot session = direct().snapshot(NOW);

    @Test
    void aConstantsValueTakesNoSnapshotAndAVariablesTakesOne() {
        assertThat(Template.compile("/errors/404.html", table()).value(() -> {
            throw new AssertionError("a template without variables took a snapshot");
        })).isEqualTo("/errors/404.html");
        assertThat(Template.compile("/errors/$remote_addr", table()).value(() -> session)).isEqualTo("/errors/10.0.0.5");
    }

    @Test
    void plainAndBracedNamesRenderTheSameVariable() {
        assertThat(render("$remote_addr:${remote_port}", session)).isEqualTo("10.0.0.5:40000");
    }

    @Test
    void nameEndsAtTheFirstCharacterThatIsNotLetterDigitOrUnderscore() {
        assertThat(render("[$remote_addr]-$server_port.x", session)).isEqualTo("[10.0.0.5]-443.x");
    }

    @Test
    void bracesLetANameBeFollowedByNameCharacters() {
        assertThat(render("${server_port}_tail", session)).isEqualTo("443_tail");
    }

    @Test
    void namesAreCaseInsensitiveAsInNginx() {
        assertThat(render("$REMOTE_Addr", session)).isEqualTo("10.0.0.5");
    }

    @Test
    void unknownVariableIsRefusedAtCompileTimeWithItsName() {
        assertThatThrownBy(() -> Template.compile("a $remote_adr b", table()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unknown variable \"$remote_adr\"")
                .hasMessageContaining("a $remote_adr b");
    }

    @Test
    void underscoreContinuesTheNameSoTheLongerNameMustExist() {
        assertThatThrownBy(() -> Template.compile("$remote_addr_x", table()))
                .hasMessageContaining("$remote_addr_x");
    }

    @Test
    void dollarWithoutNameIsRefused() {
        assertThatThrownBy(() -> Template.compile("cost 5$", table())).hasMessageContaining("invalid variable name");
        assertThatThrownBy(() -> Template.compile("$ x", table())).hasMessageContaining("invalid variable name");
        assertThatThrownBy(() -> Template.compile("${}", table())).hasMessageContaining("invalid variable name");
    }

    @Test
    void unclosedBraceIsRefused() {
        assertThatThrownBy(() -> Template.compile("${remote_addr x", table()))
                .hasMessageContaining("closing bracket");
        assertThatThrownBy(() -> Template.compile("${remote_addr", table()))
                .hasMessageContaining("closing bracket");
    }

    @Test
    void literalTextBecomesItsUtf8Bytes() {
        assertThat(render("é", session)).isEqualTo("\u00c3\u00a9");
    }

    @Test
    void templateWithoutVariablesIsConstant() {
        assertThat(Template.compile("cluster=eu-1", table()).isConstant()).isTrue();
        assertThat(Template.compile("id=$connection", table()).isConstant()).isFalse();
    }

    @Test
    void constantValueIsOnlyForTemplatesWithoutVariables() {
        assertThat(Template.compile("a-é", table()).constantValue()).isEqualTo("a-\u00c3\u00a9");
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> Template.compile("$pid", table()).constantValue());
    }

    @Test
    void variableNotFoundRendersAsNothingInAValue() {
        assertThat(render("<$upstream_addr>", session)).isEqualTo("<>");
    }
}
