package dev.imperium.routing;

import dev.imperium.http.HttpFields;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;

/**
 * Runs one chain's rules over a request's {@link RouteState}, as uWSGI 2.0's {@code uwsgi_apply_routes_do}
 * ({@code core/routing.c}): rules in order; a label is skipped; a rule whose match fails is skipped (NEXT);
 * otherwise its action runs and says what comes next. Every effect lands in the state: variables, header edits,
 * the log flag, and the {@link Reply} when the chain ends with BREAK. No I/O except what conditions and actions
 * look at on disk ({@code isfile}, {@code static}, htpasswd files) and {@code log:} lines.
 */
final class RouteEngine {
    /** How a chain ended. */
    enum Outcome {
        /** Every rule was tried: serve the request. */
        NEXT,
        /** {@code continue:}, {@code last:}, {@code rewrite-last:}: serve the request. */
        CONTINUE,
        /** An action answered ({@link RouteState#reply}) or closed the request. */
        BREAK
    }

    private RouteEngine() {
    }

    /**
     * Runs {@code table} from its first rule.
     *
     * @param table the chain's rules
     * @param state the request
     * @return how the chain ended; with BREAK, {@link RouteState#reply} holds the answer (a
     *     {@link Reply.Close} when there is none)
     */
    static Outcome run(RouteTable table, RouteState state) {
        int jumpTo = 0;
        for (Rule rule : table.rules()) {
            if (rule.isLabel() || rule.position() < jumpTo) {
                continue;
            }
            jumpTo = 0;
            Template.Groups groups = match(rule.match(), state);
            if (groups == null) {
                continue;
            }
            Action action = rule.action();
            if (action instanceof Action.Goto(Template target)) {
                int to = table.target(target.expand(groups, state));
                if (to <= rule.position()) {
                    state.log("[uwsgi-route] ERROR \"goto\" instruction can only jump forward (check your label !!!)");
                    state.reply = new Reply.Close();
                    return Outcome.BREAK;
                }
                jumpTo = to;
                continue;
            }
            Outcome outcome = execute(action, groups, state);
            if (outcome != Outcome.NEXT) {
                if (outcome == Outcome.BREAK && state.reply == null) {
                    state.reply = new Reply.Close();
                }
                return outcome;
            }
        }
        return Outcome.NEXT;
    }

    /** Returns the groups for the action if the rule matches, else null. */
    private static Template.Groups match(Rule.Match match, RouteState state) {
        return switch (match) {
            case Rule.Match.Always a -> Template.Groups.NONE;
            case Rule.Match.OnSubject(Subject subject, java.util.regex.Pattern pattern) -> {
                String value = state.vars.get(subject.variable());
                Matcher m = pattern.matcher(value == null ? "" : value);
                yield m.find() ? Template.Groups.of(m.toMatchResult()) : null;
            }
            case Rule.Match.OnStatus(int status) -> state.status == status ? Template.Groups.NONE : null;
            case Rule.Match.If i -> {
                Template.Groups groups = Template.Groups.NONE;
                boolean holds;
                String left = i.left().expand(Template.Groups.NONE, state);
                if (i.condition() == Condition.REGEXP) {
                    Matcher m = i.regexp().matcher(left);
                    holds = m.find();
                    if (holds) {
                        groups = Template.Groups.of(m.toMatchResult());
                    }
                } else {
                    String right = i.right() == null ? null : i.right().expand(Template.Groups.NONE, state);
                    holds = i.condition().test(left, right);
                }
                if (i.negate()) {
                    yield holds ? null : Template.Groups.NONE;
                }
                yield holds ? groups : null;
            }
        };
    }

    private static Outcome execute(Action action, Template.Groups groups, RouteState state) {
        switch (action) {
            case Action.Continue c -> {
                return Outcome.CONTINUE;
            }
            case Action.Break(int status) -> {
                if (status > 0) {
                    state.reply = new Reply.Fixed(status, new HttpFields(2).add("Content-Type", "text/plain")
                            .add("Connection", "close"), new byte[0]);
                }
                return Outcome.BREAK;
            }
            case Action.Return(int status) -> {
                state.reply = Reply.Fixed.text(status, new HttpFields(1).add("Content-Type", "text/plain"),
                        StatusMessages.message(status));
                return Outcome.BREAK;
            }
            case Action.Log(Template text) -> state.log(text.expand(groups, state));
            case Action.DoNotLog d -> state.doNotLog = true;
            case Action.LogVar(String key, Template value) -> state.logVar(key, value.expand(groups, state));
            case Action.DoNotOffload d -> {
                // Imperium never offloads a transfer
            }
            case Action.Goto g -> throw new IllegalStateException("goto is run by the loop");
            case Action.SetVar(String name, Template value, boolean cutAtColon) -> {
                String v = value.expand(groups, state);
                if (cutAtColon && v.indexOf(':') >= 0) {
                    v = v.substring(0, v.indexOf(':'));
                }
                state.vars.set(name, v);
            }
            case Action.FixPathInfo f -> {
                String script = state.vars.get("SCRIPT_NAME");
                String path = state.vars.get("PATH_INFO");
                if (script != null && !script.isEmpty() && path != null && path.startsWith(script)) {
                    state.vars.set("PATH_INFO", path.substring(script.length()));
                }
            }
            case Action.AddHeader(Template header) -> state.addHeaders.add(header.expand(groups, state));
            case Action.DelHeader(Template name) -> state.delHeaders.add(name.expand(groups, state).strip());
            case Action.Redirect(int status, Template location) -> {
                state.reply = Reply.Fixed.text(status, new HttpFields(1).add("Location",
                        HeaderText.value(location.expand(groups, state))), status == 301 ? "Moved Permanently"
                        : "Moved");
                return Outcome.BREAK;
            }
            case Action.Rewrite(Template target, boolean last) -> {
                rewrite(target.expand(groups, state), state);
                return last ? Outcome.CONTINUE : Outcome.NEXT;
            }
            case Action.BasicAuth auth -> {
                return basicAuth(auth, state);
            }
            case Action.Static(Template path, boolean next) -> {
                String name = path.expand(groups, state);
                Path file = name.indexOf('\0') < 0 ? Path.of(name) : null;
                if (file != null && Files.isRegularFile(file) && Files.isReadable(file)) {
                    state.reply = new Reply.File(file);
                    return Outcome.BREAK;
                }
                if (next) {
                    return Outcome.NEXT;
                }
                state.reply = Reply.Fixed.text(404, new HttpFields(1).add("Content-Type", "text/plain"),
                        "Not Found");
                return Outcome.BREAK;
            }
        }
        return Outcome.NEXT;
    }

    /** uWSGI's {@code router_rewrite}: new PATH_INFO (decoded) and QUERY_STRING (new items first). */
    static void rewrite(String target, RouteState state) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String oldQuery = state.vars.get("QUERY_STRING");
        String query;
        if (q < 0) {
            query = oldQuery == null ? "" : oldQuery;
        } else {
            query = target.substring(q + 1);
            if (oldQuery != null && !oldQuery.isEmpty()) {
                query = query + "&" + oldQuery;
            }
        }
        state.vars.set("PATH_INFO", UrlPath.decode(path));
        state.vars.set("QUERY_STRING", query);
    }

    /** uWSGI's {@code router_basicauth}. */
    private static Outcome basicAuth(Action.BasicAuth auth, RouteState state) {
        String user = state.vars.get("REMOTE_USER");
        if (user != null && !user.isEmpty()) {
            return Outcome.NEXT;
        }
        String header = state.vars.get("HTTP_AUTHORIZATION");
        if (header != null && header.length() > 7 && !(auth.credentials() instanceof BasicAuthCredentials.Nobody)
                && header.startsWith("Basic ")) {
            String decoded = decodeBase64(header.substring(6).strip());
            if (decoded != null) {
                int colon = decoded.indexOf(':');
                String name = colon < 0 ? null : decoded.substring(0, colon);
                boolean ok = colon >= 0 && switch (auth.credentials()) {
                    case BasicAuthCredentials.Inline(String u, String p) -> decoded.equals(u + ":" + p);
                    case BasicAuthCredentials.File(Path file) ->
                            colon > 0 && state.env.htpasswd().check(file, name, decoded.substring(colon + 1));
                    case BasicAuthCredentials.Nobody n -> false;
                };
                if (ok) {
                    state.vars.set("REMOTE_USER", name);
                    return Outcome.NEXT;
                }
                if (auth.next()) {
                    return Outcome.NEXT;
                }
            }
        }
        state.reply = Reply.Fixed.text(401, new HttpFields(1).add("WWW-Authenticate", "Basic realm=\""
                + HeaderText.value(auth.realm()) + "\""), "Unauthorized");
        return Outcome.BREAK;
    }

    private static String decodeBase64(String text) {
        try {
            return new String(Base64.getMimeDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
