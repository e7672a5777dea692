package dev.imperium.emperor.foreign;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** imperium-command is split into words as a POSIX shell splits them, without expanding anything. */
class CommandWordsTest {
    @Test
    void blanksSeparateWords() {
        assertThat(CommandWords.split("  java -jar\tapp.jar ")).containsExactly("java", "-jar", "app.jar");
    }

    @Test
    void quotesKeepBlanksAndNothingIsExpanded() {
        assertThat(CommandWords.split("sh -c 'exec java -jar \"$APP\"' x"))
                .containsExactly("sh", "-c", "exec java -jar \"$APP\"", "x");
        assertThat(CommandWords.split("echo \"a \\\"b\\\" $HOME\" c\\ d ~"))
                .containsExactly("echo", "a \"b\" $HOME", "c d", "~");
        assertThat(CommandWords.split("a''b \"\"")).containsExactly("ab", "");
    }

    @Test
    void aBlankLineHasNoWords() {
        assertThat(CommandWords.split(" \t ")).isEqualTo(List.of());
    }

    @Test
    void unterminatedQuotesAreErrors() {
        assertThatThrownBy(() -> CommandWords.split("java 'x")).hasMessageContaining("single quote");
        assertThatThrownBy(() -> CommandWords.split("java \"x")).hasMessageContaining("double quote");
        assertThatThrownBy(() -> CommandWords.split("java \\")).hasMessageContaining("backslash");
    }

    @Test
    void theLogQuotesWordsSoTheyCanBeSplitAgain() {
        List<String> words = List.of("python3", "-c", "print('hi'); x = 1", "", "a$b", "plain/path.py");
        String line = CommandVassal.quoted(words);
        assertThat(line).isEqualTo("python3 -c 'print('\\''hi'\\''); x = 1' '' 'a$b' plain/path.py");
        assertThat(CommandWords.split(line)).isEqualTo(words);
    }
}
