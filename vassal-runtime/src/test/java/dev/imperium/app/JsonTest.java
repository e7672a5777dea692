package dev.imperium.app;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    @Test
    void escapesStringsAsRfc8259Requires() {
        assertThat(Json.quote("plain")).isEqualTo("\"plain\"");
        assertThat(Json.quote("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
        assertThat(Json.quote("\n\r\t\b\f\u0000\u001f")).isEqualTo("\"\\n\\r\\t\\b\\f\\u0000\\u001f\"");
        assertThat(Json.quote("é€😀")).isEqualTo("\"é€😀\"");
        assertThat(Json.quote("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
        assertThat(Json.quote("x\ud800y\udc00")).isEqualTo("\"x\\ud800y\\udc00\"");
        assertThat(Json.quote("</script>")).isEqualTo("\"</script>\"");
    }

    @Test
    void writesObjectsFromKeyValuePairs() {
        assertThat(Json.object("message", "Hello, \"X\"", "n", 3, "ok", true, "none", null))
                .isEqualTo("{\"message\":\"Hello, \\\"X\\\"\",\"n\":3,\"ok\":true,\"none\":null}");
        assertThat(Json.object()).isEqualTo("{}");
    }

    @Test
    void writesNestedMapsListsArraysAndNumbers() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("list", List.of(1, 2.5, -3L));
        map.put("array", new Object[] {"a", null});
        map.put("big", new BigDecimal("1.10"));
        map.put("inner", Map.of("k", "v"));
        assertThat(Json.write(map))
                .isEqualTo("{\"list\":[1,2.5,-3],\"array\":[\"a\",null],\"big\":1.10,\"inner\":{\"k\":\"v\"}}");
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.object("a")).hasMessageContaining("odd");
        assertThatThrownBy(() -> Json.object(1, "a")).hasMessageContaining("keys must be strings");
        assertThatThrownBy(() -> Json.write(Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> Json.write(Float.POSITIVE_INFINITY)).hasMessageContaining("finite");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("cannot write");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("keys must be strings");
    }
}
