package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.http.HttpFields;
import java.util.List;
import org.junit.jupiter.api.Test;

/** add-header and del-header, as uWSGI applies them to a response. */
class ResponseHeaderRulesTest {
    private static ResponseHeaderRules rules(List<String> add, List<String> delete) {
        return new ResponseHeaderRules(add.stream().map(ResponseHeaderRules::parseAdd).toList(),
                delete.stream().map(ResponseHeaderRules::parseDelete).toList());
    }

    @Test
    void deletedFieldsGoAndAddedOnesComeLastInOrder() {
        ResponseHeaderRules r = rules(List.of("X-Served-By: imperium", "Cache-Control:  no-store "),
                List.of("x-powered-by"));
        HttpFields app = new HttpFields().add("Content-Type", "text/plain").add("X-Powered-By", "app")
                .add("Set-Cookie", "a=1");

        HttpFields sent = r.apply(app);

        assertThat(sent.size()).isEqualTo(4);
        assertThat(sent.get("X-Powered-By")).isNull();
        assertThat(sent.name(2)).isEqualTo("X-Served-By");
        assertThat(sent.value(3)).isEqualTo("no-store");
        assertThat(app.size()).as("the app's fields are not changed").isEqualTo(3);
    }

    @Test
    void anAddedFieldIsNotDeletedByDelHeader() {
        ResponseHeaderRules r = rules(List.of("Server: imperium"), List.of("Server"));
        HttpFields sent = r.apply(new HttpFields().add("Server", "app"));
        assertThat(sent.getAll("Server")).containsExactly("imperium");
    }

    @Test
    void withoutRulesTheExchangeIsUsedAsItIs() {
        assertThat(rules(List.of(), List.of()).isEmpty()).isTrue();
    }

    @Test
    void malformedValuesAreRefusedNamingThem() {
        assertThatThrownBy(() -> ResponseHeaderRules.parseAdd("no colon here"))
                .hasMessage("add-header: expected 'Name: value', got 'no colon here'");
        assertThatThrownBy(() -> ResponseHeaderRules.parseAdd("Bad Name: x")).hasMessageContaining("Bad Name");
        assertThatThrownBy(() -> ResponseHeaderRules.parseDelete("a b")).hasMessageContaining("del-header");
    }
}
