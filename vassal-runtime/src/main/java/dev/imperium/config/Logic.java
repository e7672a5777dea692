package dev.imperium.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * uWSGI's configuration logic keys ({@code ConfigLogic.html}; {@code core/config.c} {@code uwsgi_logic_opt_*}) and
 * the parser that turns a file's entries into blocks.
 *
 * <p>uWSGI keeps one global "current block": a block opened inside another one makes it exit ("recursive logic in
 * options is not supported") when the outer block is active, and otherwise the inner {@code endif} closes the outer
 * block. Imperium nests blocks properly and warns that uWSGI would not. Any closer ({@code endif}, {@code end-if},
 * {@code endfor}, {@code end-for}, {@code end}) closes the innermost block, as in uWSGI; a mismatched one (an
 * {@code endfor} closing an {@code if}) and a block still open at the end of its file get a warning; blocks never
 * span files.
 */
final class Logic {
    static final Set<String> LOOPS = Set.of("for", "for-glob", "for-times", "for-readline");
    static final Set<String> CONDITIONS = Set.of("if-opt", "if-not-opt", "if-env", "if-not-env", "if-reload",
            "if-not-reload", "if-hostname", "if-not-hostname", "if-hostname-match", "if-not-hostname-match",
            "if-exists", "if-not-exists", "if-plugin", "if-not-plugin", "if-file", "if-not-file", "if-dir",
            "if-not-dir");
    static final Set<String> CLOSERS = Set.of("endif", "endfor", "end");
    /** The deepest block nesting allowed (blocks are evaluated recursively). */
    static final int MAX_NESTING = 64;

    private Logic() {
    }

    /** Returns the canonical option name for a key, or the canonical key when it is no option. */
    static String optionName(String key) {
        Option option = OptionTable.lookup(key);
        return option == null ? LoadSession.canonicalKey(key) : option.name();
    }

    static boolean opensBlock(String name) {
        return LOOPS.contains(name) || CONDITIONS.contains(name);
    }

    static boolean isLogicKey(String name) {
        return opensBlock(name) || CLOSERS.contains(name);
    }

    /** Arranges a file's entries into blocks, reporting unbalanced ones. */
    static List<Node> parse(List<RawEntry> entries, Diagnostics diagnostics) {
        List<Node> top = new ArrayList<>();
        Deque<Open> open = new ArrayDeque<>();
        boolean warnedNesting = false;
        for (RawEntry entry : entries) {
            String name = optionName(entry.key());
            List<Node> current = open.isEmpty() ? top : open.peek().body;
            if (opensBlock(name)) {
                if (open.size() >= MAX_NESTING) {
                    diagnostics.error(entry.origin(), entry.key(), "for/if blocks are nested more than " + MAX_NESTING
                            + " deep");
                    return top;
                }
                if (!open.isEmpty() && !warnedNesting) {
                    diagnostics.warning(entry.origin(), entry.key(), "'" + entry.key() + "' opens a block inside the"
                            + " '" + open.peek().opener.key() + "' block of line " + open.peek().opener.origin().line()
                            + ": Imperium nests blocks, uWSGI 2.0 does not (it exits, or ends the outer block at the"
                            + " first end)");
                    warnedNesting = true;
                }
                open.push(new Open(entry, name, new ArrayList<>()));
            } else if (CLOSERS.contains(name)) {
                if (open.isEmpty()) {
                    diagnostics.warning(entry.origin(), entry.key(), "'" + entry.key() + "' without an open for/if"
                            + " block is ignored");
                    continue;
                }
                Open block = open.pop();
                if (!name.equals("end") && name.equals("endif") != CONDITIONS.contains(block.kind)) {
                    diagnostics.warning(entry.origin(), entry.key(), "'" + entry.key() + "' closes the '"
                            + block.opener.key() + "' block of line " + block.opener.origin().line());
                }
                (open.isEmpty() ? top : open.peek().body).add(block.toNode());
            } else {
                current.add(new Node.Leaf(entry));
            }
        }
        while (!open.isEmpty()) {
            Open block = open.pop();
            diagnostics.warning(block.opener.origin(), block.opener.key(), "the '" + block.opener.key()
                    + "' block is not closed; it ends at the end of the file");
            (open.isEmpty() ? top : open.peek().body).add(block.toNode());
        }
        return top;
    }

    private record Open(RawEntry opener, String kind, List<Node> body) {
        Node.Block toNode() {
            return new Node.Block(opener, kind, List.copyOf(body));
        }
    }
}
