package dev.imperium.cgi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CgiArgumentsTest {

    @Test
    void anIndexedQueryBecomesDecodedArguments() {
        assertThat(CgiArguments.of("a+b%20c+d%3Bx+$y")).containsExactly("a", "b c", "d;x", "$y");
        assertThat(CgiArguments.of("caf%C3%A9")).containsExactly("café");
    }

    @Test
    void aQueryWithAnEqualsSignOrNothingGivesNoArguments() {
        assertThat(CgiArguments.of("a=1+b")).isEmpty();
        assertThat(CgiArguments.of("")).isEmpty();
        assertThat(CgiArguments.of(null)).isEmpty();
    }

    @Test
    void emptyWordsAreSkippedAndNulMeansNoArgumentsAtAll() {
        assertThat(CgiArguments.of("+a++b+")).containsExactly("a", "b");
        assertThat(CgiArguments.of("a+b%00c")).isEmpty();
        assertThat(CgiArguments.of("100%+x%4")).containsExactly("100%", "x%4");
    }
}
