package dev.imperium.config;

import java.util.List;

/** A file's entries arranged by configuration logic: plain entries and {@code for}/{@code if-*} blocks. */
sealed interface Node permits Node.Leaf, Node.Block {
    /** A plain entry. */
    record Leaf(RawEntry entry) implements Node {
    }

    /**
     * A block opened by a {@code for*} or {@code if-*} entry.
     *
     * @param opener the opening entry, e.g. {@code if-env = HOME}
     * @param kind the canonical option name of the opener, e.g. {@code if-env} (also for {@code ifenv})
     * @param body the nodes up to the matching {@code endif}/{@code endfor}/{@code end}
     */
    record Block(RawEntry opener, String kind, List<Node> body) implements Node {
    }
}
