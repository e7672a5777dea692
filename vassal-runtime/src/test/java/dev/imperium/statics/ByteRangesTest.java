package dev.imperium.statics;

import dev.imperium.statics.ByteRanges.Partial;
import dev.imperium.statics.ByteRanges.Range;
import dev.imperium.statics.ByteRanges.Unsatisfiable;
import dev.imperium.statics.ByteRanges.Whole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangesTest {
    private static final long LENGTH = 10_000;

    private static ByteRanges.Decision eval(String field) {
        return ByteRanges.evaluate(field, LENGTH);
    }

    private static Partial partial(long... bounds) {
        Range[] ranges = new Range[bounds.length / 2];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = new Range(bounds[2 * i], bounds[2 * i + 1]);
        }
        return new Partial(List.of(ranges));
    }

    @Test
    void theThreeFormsOfRfc9110() {
        assertThat(eval("bytes=0-499")).isEqualTo(partial(0, 499));
        assertThat(eval("bytes=500-999")).isEqualTo(partial(500, 999));
        assertThat(eval("bytes=-500")).as("the last 500 bytes").isEqualTo(partial(9500, 9999));
        assertThat(eval("bytes=9500-")).isEqualTo(partial(9500, 9999));
        assertThat(eval("bytes=0-0")).isEqualTo(partial(0, 0));
        assertThat(eval("bytes=-1")).isEqualTo(partial(9999, 9999));
    }

    @Test
    void aLastPositionPastTheEndIsCutAndALongSuffixMeansAll() {
        assertThat(eval("bytes=9000-20000")).isEqualTo(partial(9000, 9999));
        assertThat(eval("bytes=-20000")).isEqualTo(partial(0, 9999));
        assertThat(eval("bytes=0-99999999999999999999999999")).as("saturates instead of overflowing")
                .isEqualTo(partial(0, 9999));
        assertThat(eval("bytes=0-")).as("the whole file is still a 206").isEqualTo(partial(0, 9999));
    }

    @Test
    void unitCaseAndOwsAroundMembersAreAccepted() {
        assertThat(eval("BYTES=0-1")).isEqualTo(partial(0, 1));
        assertThat(eval(" bytes=0-1 , 500-501\t")).isEqualTo(partial(0, 1, 500, 501));
        assertThat(eval("bytes=,0-1,,")).as("empty list members are allowed (§5.6.1)").isEqualTo(partial(0, 1));
    }

    @Test
    void syntaxErrorsAndOtherUnitsAreIgnored() {
        for (String bad : List.of("bytes=", "bytes=,", "bytes=a-b", "bytes=1-a", "bytes=5", "bytes=--5", "bytes=5--",
                "bytes=1 -2", "bytes = 0-1", "items=0-1", "bytes0-1", "0-1", "bytes=0-1;x", "bytes=+1-2",
                "bytes=500-400", "bytes=0-1,500-400", "")) {
            assertThat(eval(bad)).as(bad).isInstanceOf(Whole.class);
        }
        assertThat(eval(null)).isInstanceOf(Whole.class);
    }

    @Test
    void rangesStartingAtOrPastTheEndAreUnsatisfiable() {
        assertThat(eval("bytes=10000-")).isInstanceOf(Unsatisfiable.class);
        assertThat(eval("bytes=10000-20000")).isInstanceOf(Unsatisfiable.class);
        assertThat(eval("bytes=-0")).isInstanceOf(Unsatisfiable.class);
        assertThat(eval("bytes=99999999999999999999-")).isInstanceOf(Unsatisfiable.class);
        assertThat(eval("bytes=20000-30000,0-9")).as("the satisfiable ones are sent").isEqualTo(partial(0, 9));
    }

    @Test
    void anEmptyFileHasNoRanges() {
        assertThat(ByteRanges.evaluate("bytes=0-", 0)).isInstanceOf(Whole.class);
        assertThat(ByteRanges.evaluate("bytes=-5", 0)).isInstanceOf(Whole.class);
    }

    @Test
    void severalRangesKeepTheirOrder() {
        assertThat(eval("bytes=5000-5099,0-99")).isEqualTo(partial(5000, 5099, 0, 99));
    }

    @Test
    void overlappingOrCloseRangesAreMergedInThePlaceOfTheFirstAsked() {
        assertThat(eval("bytes=0-99,50-149")).isEqualTo(partial(0, 149));
        assertThat(eval("bytes=0-99,179-199")).as("79 bytes between: merged").isEqualTo(partial(0, 199));
        assertThat(eval("bytes=0-99,180-199")).as("80 bytes between: two parts").isEqualTo(partial(0, 99, 180, 199));
        assertThat(eval("bytes=9000-9099,0-9,5-20,9050-9200"))
                .isEqualTo(partial(9000, 9200, 0, 20));
        assertThat(eval("bytes=0-,0-,0-,0-")).as("repeats cannot multiply the response").isEqualTo(partial(0, 9999));
    }

    @Test
    void tooManyRangesAreIgnored() {
        StringBuilder many = new StringBuilder("bytes=0-0");
        for (int i = 1; i <= ByteRanges.MAX_RANGES; i++) {
            many.append(',').append(i * 100).append('-').append(i * 100);
        }
        assertThat(eval(many.toString())).isInstanceOf(Whole.class);
        String limit = many.substring(0, many.lastIndexOf(","));
        assertThat(eval(limit)).isInstanceOf(Partial.class);
    }

    @Test
    void randomInputNeverFailsAndPartsStayInsideTheFileWithoutOverlap() {
        Random random = new Random(42);
        String alphabet = "bytes=-0123456789, \t;x*";
        for (int n = 0; n < 50_000; n++) {
            StringBuilder field = new StringBuilder(random.nextBoolean() ? "bytes=" : "");
            int len = random.nextInt(24);
            for (int i = 0; i < len; i++) {
                field.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            long length = random.nextInt(3) == 0 ? random.nextInt(3) : 1 + random.nextInt(100_000);
            ByteRanges.Decision decision = ByteRanges.evaluate(field.toString(), length);
            if (decision instanceof Partial(List<Range> ranges)) {
                long total = 0;
                for (Range r : ranges) {
                    assertThat(r.first()).as(field.toString()).isBetween(0L, r.last());
                    assertThat(r.last()).as(field.toString()).isLessThan(length);
                    total += r.length();
                }
                assertThat(total).as("merged parts never exceed the file: " + field).isLessThanOrEqualTo(length);
                List<Range> sorted = ranges.stream().sorted((a, b) -> Long.compare(a.first(), b.first())).toList();
                for (int i = 1; i < sorted.size(); i++) {
                    assertThat(sorted.get(i).first() - sorted.get(i - 1).last())
                            .as("kept parts lie more than the coalescing gap apart: " + field)
                            .isGreaterThan(ByteRanges.COALESCE_GAP);
                }
            }
        }
    }
}
