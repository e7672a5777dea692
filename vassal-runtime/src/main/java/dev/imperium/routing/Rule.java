package dev.imperium.routing;

import java.util.regex.Pattern;

/**
 * One parsed routing rule: a label, or a match and the action to run when it matches. Immutable.
 *
 * @param chain the chain the rule belongs to
 * @param position its index in that chain, from 0, labels included (what {@code goto:N} counts)
 * @param option the option that declared it, e.g. {@code route-host}
 * @param text the option's value as written
 * @param where where it was written ({@code file:line}), for messages
 * @param label the label's name for {@code route-label}, else null
 * @param match when the action runs, or null for a label
 * @param action what runs, or null for a label
 */
public record Rule(Chain chain, int position, String option, String text, String where, String label, Match match,
        Action action) {

    /** Returns true for a {@code route-label}. */
    public boolean isLabel() {
        return label != null;
    }

    /** When a rule's action runs. */
    public sealed interface Match {
        /** {@code route-run}: always. */
        record Always() implements Match {
        }

        /**
         * {@code route}, {@code route-host}, ...: the subject matches the regular expression (searched anywhere in
         * it, as PCRE does; anchor with {@code ^...$}). The groups are {@code $0}..{@code $9}.
         */
        record OnSubject(Subject subject, Pattern pattern) implements Match {
        }

        /** {@code error-route-status}, {@code response-route-status}, {@code final-route-status}: the status is this. */
        record OnStatus(int status) implements Match {
        }

        /**
         * {@code route-if} / {@code route-if-not}: the condition holds (or, negated, does not).
         *
         * @param condition the condition
         * @param negate true for {@code route-if-not}
         * @param left the first operand
         * @param right the second operand, or null for one-operand conditions and {@link Condition#REGEXP}
         * @param regexp the expression of {@link Condition#REGEXP}, else null
         */
        record If(Condition condition, boolean negate, Template left, Template right, Pattern regexp)
                implements Match {
        }
    }
}
