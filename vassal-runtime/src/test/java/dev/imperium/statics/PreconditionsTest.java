package dev.imperium.statics;

import dev.imperium.http.HttpFields;
import dev.imperium.statics.Preconditions.Outcome;
import dev.imperium.statics.Preconditions.Validators;
import org.junit.jupiter.api.Test;

import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PreconditionsTest {
    private static final String TAG = "\"1f-7-abc\"";
    private static final String LAST_MODIFIED = "Tue, 02 Jan 2024 03:04:05 GMT";
    private static final long MODIFIED = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond();
    private static final Validators FILE = new Validators(TAG, MODIFIED);
    private static final Validators JUST_CHANGED = new Validators("W/" + TAG, MODIFIED);

    private static Outcome get(String... fields) {
        return evaluate("GET", FILE, fields);
    }

    private static Outcome evaluate(String method, Validators file, String... fields) {
        HttpFields request = new HttpFields();
        for (int i = 0; i < fields.length; i += 2) {
            request.add(fields[i], fields[i + 1]);
        }
        return Preconditions.evaluate(method, request, file);
    }

    @Test
    void noConditionsSendTheFile() {
        assertThat(get()).isEqualTo(Outcome.SEND);
    }

    @Test
    void ifNoneMatchGives304ForAMatchingTagWeaklyCompared() {
        assertThat(get("If-None-Match", TAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "W/" + TAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"other\", " + TAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"other\"", "If-None-Match", TAG)).as("list split over two lines")
                .isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "*")).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("GET", JUST_CHANGED, "If-None-Match", TAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("HEAD", FILE, "If-None-Match", TAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"other\"")).isEqualTo(Outcome.SEND);
        assertThat(get("If-None-Match", "1f-7-abc")).as("unquoted: malformed").isEqualTo(Outcome.SEND);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        assertThat(get("If-None-Match", "\"other\"", "If-Modified-Since", LAST_MODIFIED)).isEqualTo(Outcome.SEND);
        assertThat(get("If-None-Match", TAG, "If-Modified-Since", "Mon, 01 Jan 2024 00:00:00 GMT"))
                .isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void ifModifiedSinceGives304WhenNotModifiedAfterTheDate() {
        assertThat(get("If-Modified-Since", LAST_MODIFIED)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", "Wed, 03 Jan 2024 00:00:00 GMT")).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", "Tuesday, 02-Jan-24 03:04:05 GMT")).as("RFC 850 form")
                .isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", "Tue Jan  2 03:04:05 2024")).as("asctime form")
                .isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", "Tue, 02 Jan 2024 03:04:04 GMT")).isEqualTo(Outcome.SEND);
        assertThat(get("If-Modified-Since", "yesterday")).isEqualTo(Outcome.SEND);
        assertThat(get("If-Modified-Since", LAST_MODIFIED, "If-Modified-Since", LAST_MODIFIED))
                .as("sent twice: ignored").isEqualTo(Outcome.SEND);
    }

    @Test
    void ifMatchNeedsAStrongMatchElse412() {
        assertThat(get("If-Match", TAG)).isEqualTo(Outcome.SEND);
        assertThat(get("If-Match", "*")).isEqualTo(Outcome.SEND);
        assertThat(get("If-Match", "\"a\", " + TAG)).isEqualTo(Outcome.SEND);
        assertThat(get("If-Match", "W/" + TAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Match", "\"other\"")).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(evaluate("GET", JUST_CHANGED, "If-Match", TAG)).as("a weak current tag never matches strongly")
                .isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifUnmodifiedSinceGives412WhenModifiedAfterTheDateUnlessIfMatchIsThere() {
        assertThat(get("If-Unmodified-Since", LAST_MODIFIED)).isEqualTo(Outcome.SEND);
        assertThat(get("If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT"))
                .isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Match", TAG, "If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT"))
                .isEqualTo(Outcome.SEND);
        assertThat(get("If-Unmodified-Since", "garbage")).isEqualTo(Outcome.SEND);
    }

    @Test
    void ifMatchIsEvaluatedBeforeIfNoneMatch() {
        assertThat(get("If-Match", "\"other\"", "If-None-Match", TAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifRangeHoldsForTheStrongTagOrTheExactDate() {
        assertThat(Preconditions.ifRangeHolds(null, FILE)).isTrue();
        assertThat(Preconditions.ifRangeHolds(TAG, FILE)).isTrue();
        assertThat(Preconditions.ifRangeHolds(LAST_MODIFIED, FILE)).isTrue();
        assertThat(Preconditions.ifRangeHolds("\"other\"", FILE)).isFalse();
        assertThat(Preconditions.ifRangeHolds("W/" + TAG, FILE)).as("a weak tag never holds").isFalse();
        assertThat(Preconditions.ifRangeHolds("Mon, 01 Jan 2024 00:00:00 GMT", FILE))
                .as("an earlier date: the file changed since").isFalse();
        assertThat(Preconditions.ifRangeHolds("Wed, 03 Jan 2024 00:00:00 GMT", FILE)).as("only an exact match")
                .isFalse();
        assertThat(Preconditions.ifRangeHolds("garbage", FILE)).isFalse();
        assertThat(Preconditions.ifRangeHolds(LAST_MODIFIED, JUST_CHANGED))
                .as("a file changed within the second has no strong date").isFalse();
    }

    @Test
    void entityTagsAreStrongUnlessTheFileChangedWithinTheLastSecond() {
        FileTime modified = FileTime.from(Instant.parse("2024-01-02T03:04:05.123456789Z"));
        String strong = EntityTag.of(0x1f, 7, modified);
        assertThat(strong).startsWith("\"1f-7-").endsWith("\"");
        assertThat(EntityTag.of(0x1f, 7, FileTime.from(Instant.parse("2024-01-02T03:04:05.123456788Z"))))
                .as("nanoseconds count").isNotEqualTo(strong);
        assertThat(EntityTag.of(0x20, 7, modified)).as("another inode").isNotEqualTo(strong);
        assertThat(EntityTag.current(strong, modified, modified.toInstant().plusSeconds(1))).isEqualTo(strong);
        assertThat(EntityTag.current(strong, modified, modified.toInstant().plusMillis(999))).isEqualTo("W/" + strong);
    }

    @Test
    void entityTagListsAreParsedWithCommasInsideTags() {
        assertThat(EntityTag.listMatches("\"a,b\", \"c\"", "\"a,b\"", true)).isTrue();
        assertThat(EntityTag.listMatches("\"a,b\"", "\"a\"", false)).isFalse();
        assertThat(EntityTag.listMatches(" , \"x\" ,", "\"x\"", true)).isTrue();
        assertThat(EntityTag.listMatches("\"x", "\"x\"", false)).isFalse();
        assertThat(EntityTag.listMatches("garbage, \"x\"", "\"x\"", false)).as("a malformed member ends the list")
                .isFalse();
    }
}
