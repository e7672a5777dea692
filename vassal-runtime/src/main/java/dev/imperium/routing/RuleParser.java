package dev.imperium.routing;

import dev.imperium.http.FieldTokens;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses one routing option into a {@link Rule}, as uWSGI 2.0's {@code uwsgi_opt_add_route} ({@code core/routing.c})
 * reads it: {@code route = REGEXP ACTION:ARG} (the regular expression ends at the first space),
 * {@code route-if = COND:SUBJECT[;PATTERN] ACTION:ARG}, {@code route-run = ACTION:ARG},
 * {@code route-label = NAME}, {@code error-route-status = STATUS ACTION:ARG}, and the same with the {@code error-},
 * {@code response-} and {@code final-} prefixes. Pure: every problem uWSGI would exit on (and a few it would only
 * notice per request) is a {@link RouteSyntaxException}.
 */
public final class RuleParser {
    /** uWSGI 2.0 routing actions Imperium does not implement: named as such in the error. */
    private static final Set<String> UNSUPPORTED_ACTIONS = Set.of(
            "send", "send-crnl", "flush", "fixcl", "forcecl", "clearheaders", "resetheaders", "disableheaders",
            "signal", "chdir", "setapp", "sethome", "setfile", "setprocname", "alarm", "setmodifier1", "setmodifier2",
            "+", "-", "*", "/", "harakiri", "file", "file-next", "sendfile", "sendfile-next", "fastfile",
            "fastfile-next", "uwsgi", "http", "httpconnect", "httpdumb", "proxyhttp", "proxyhttpconnect",
            "proxyuwsgi", "cache", "cache-continue", "cache-store", "cachestore", "cachevar", "cacheset", "cacheinc",
            "cachedec", "cachemul", "cachediv", "memcached", "memcached-continue", "memcached-store",
            "memcachedstore", "redis", "redis-continue", "redis-store", "redisstore", "rpc", "call", "rpcret",
            "rpcblob", "rpcnext", "rpcraw", "rpcvar", "access", "spnego", "spnego-next", "radius", "radius-next",
            "ldapauth", "ldapauth-next", "xslt", "toxslt", "ssi", "cgi", "cgihelper", "symcall", "symcall-next",
            "xmldir", "gridfs", "hash", "expires", "metricinc", "metricdec", "metricset", "metricmul", "metricdiv",
            "offload", "gzip", "chunked", "toupper", "template", "tofile", "to-file");
    private static final Set<String> UNSUPPORTED_CONDITIONS = Set.of("incache", "lord");

    private RuleParser() {
    }

    /** Returns the chain an option belongs to, or null if it is no routing rule option. */
    public static Chain chainOf(String option) {
        for (Chain chain : Chain.values()) {
            String p = chain.prefix();
            if (option.startsWith(p) && option.startsWith("route", p.length())) {
                String rest = option.substring(p.length());
                if (rest.equals("route") || rest.startsWith("route-")) {
                    return chain != Chain.REQUEST || !rest.equals("route-status") ? chain : null;
                }
            }
        }
        return null;
    }

    /**
     * Parses one rule.
     *
     * @param option the option's name, e.g. {@code route-if-not} or {@code error-route-status}
     * @param value the option's value
     * @param position the rule's index in its chain
     * @param where where it was written, for messages
     * @return the rule
     * @throws RouteSyntaxException naming what is wrong
     */
    public static Rule parse(String option, String value, int position, String where) {
        Chain chain = chainOf(option);
        if (chain == null) {
            throw new RouteSyntaxException("'" + option + "' is no routing option");
        }
        String kind = option.substring(chain.prefix().length() + "route".length());
        if (kind.equals("-label")) {
            if (value.isEmpty()) {
                throw new RouteSyntaxException("route-label needs a name");
            }
            return new Rule(chain, position, option, value, where, value, null, null);
        }
        if (kind.equals("-run")) {
            return new Rule(chain, position, option, value, where, null, new Rule.Match.Always(),
                    action(value, value));
        }
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new RouteSyntaxException("invalid route syntax: '" + value + "' (expected '" + option
                    + " = " + (kind.startsWith("-if") ? "CONDITION:ARGS" : kind.equals("-status") ? "STATUS"
                    : "REGEXP") + " ACTION:ARG')");
        }
        String left = value.substring(0, space);
        String actionText = value.substring(space + 1).stripLeading();
        Rule.Match match = switch (kind) {
            case "-if", "-if-not" -> condition(left, kind.equals("-if-not"));
            case "-status" -> status(left);
            default -> {
                Subject subject = subject(kind);
                if (subject == null) {
                    throw new RouteSyntaxException("'" + option + "' is no routing option");
                }
                yield new Rule.Match.OnSubject(subject, regexp(left));
            }
        };
        return new Rule(chain, position, option, value, where, null, match, action(actionText, value));
    }

    private static Subject subject(String kind) {
        for (Subject s : Subject.values()) {
            if (s.suffix().equals(kind)) {
                return s;
            }
        }
        return null;
    }

    private static Rule.Match status(String text) {
        if (text.length() != 3 || !allDigits(text)) {
            throw new RouteSyntaxException("invalid status '" + text + "' (expected a 3-digit HTTP status)");
        }
        return new Rule.Match.OnStatus(Integer.parseInt(text));
    }

    private static Rule.Match condition(String text, boolean negate) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new RouteSyntaxException("invalid route condition syntax: '" + text + "' (expected CONDITION:ARGS)");
        }
        String name = text.substring(0, colon);
        String args = text.substring(colon + 1);
        Condition condition = Condition.named(name);
        if (condition == null) {
            if (UNSUPPORTED_CONDITIONS.contains(name)) {
                throw new RouteSyntaxException("route condition '" + name + "' is a uWSGI condition Imperium does"
                        + " not implement");
            }
            throw new RouteSyntaxException("unable to find \"" + name + "\" route condition");
        }
        if (condition.operands() == 1) {
            return new Rule.Match.If(condition, negate, Template.parse(args), null, null);
        }
        int semicolon = args.indexOf(';');
        if (semicolon < 0) {
            throw new RouteSyntaxException("route condition '" + name + "' needs two operands: '" + name
                    + ":SUBJECT;PATTERN', got '" + text + "'");
        }
        Template subject = Template.parse(args.substring(0, semicolon));
        String pattern = args.substring(semicolon + 1);
        if (condition == Condition.REGEXP) {
            return new Rule.Match.If(condition, negate, subject, null, regexp(pattern));
        }
        return new Rule.Match.If(condition, negate, subject, Template.parse(pattern), null);
    }

    private static Pattern regexp(String text) {
        try {
            // PCRE's default: only LF ends a line for '.', '^' and '$'
            return Pattern.compile(text, Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new RouteSyntaxException("invalid regular expression '" + text + "': "
                    + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
    }

    /**
     * Parses {@code NAME:ARG}.
     *
     * @param text the action as written
     * @param value the whole option value, for messages
     */
    static Action action(String text, String value) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new RouteSyntaxException("invalid route syntax: action '" + text + "' has no ':' (write '" + text
                    + ":' for an action without argument)");
        }
        String name = text.substring(0, colon);
        String arg = text.substring(colon + 1);
        return switch (name) {
            case "continue", "last" -> new Action.Continue();
            case "break" -> new Action.Break(arg.isEmpty() ? 0 : breakStatus(arg));
            case "return", "break-with-status" -> new Action.Return(returnStatus(arg));
            case "log" -> new Action.Log(Template.parse(arg));
            case "donotlog" -> new Action.DoNotLog();
            case "logvar" -> {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new RouteSyntaxException("invalid logvar syntax, must be key=value: '" + arg + "'");
                }
                yield new Action.LogVar(arg.substring(0, eq), Template.parse(arg.substring(eq + 1)));
            }
            case "donotoffload" -> new Action.DoNotOffload();
            case "goto" -> new Action.Goto(nonEmpty(name, arg));
            case "addvar" -> {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new RouteSyntaxException("invalid addvar syntax, must be KEY=VAL: '" + arg + "'");
                }
                yield new Action.SetVar(arg.substring(0, eq), Template.parse(arg.substring(eq + 1)), false);
            }
            case "setmethod" -> new Action.SetVar("REQUEST_METHOD", Template.parse(arg), false);
            case "seturi" -> new Action.SetVar("REQUEST_URI", Template.parse(arg), false);
            case "setpathinfo" -> new Action.SetVar("PATH_INFO", Template.parse(arg), false);
            case "setscriptname" -> new Action.SetVar("SCRIPT_NAME", Template.parse(arg), false);
            case "setremoteaddr" -> new Action.SetVar("REMOTE_ADDR", Template.parse(arg), false);
            case "setdocroot" -> new Action.SetVar("DOCUMENT_ROOT", Template.parse(arg), false);
            case "setscheme" -> new Action.SetVar("UWSGI_SCHEME", Template.parse(arg), false);
            case "setuser" -> new Action.SetVar("REMOTE_USER", Template.parse(arg), true);
            case "fixpathinfo" -> new Action.FixPathInfo();
            case "addheader" -> new Action.AddHeader(header(arg));
            case "delheader", "remheader" -> new Action.DelHeader(nonEmpty(name, arg));
            case "redirect", "redirect-302" -> new Action.Redirect(302, nonEmpty(name, arg));
            case "redirect-permanent", "redirect-301" -> new Action.Redirect(301, nonEmpty(name, arg));
            case "rewrite" -> new Action.Rewrite(nonEmpty(name, arg), false);
            case "rewrite-last" -> new Action.Rewrite(nonEmpty(name, arg), true);
            case "basicauth", "basicauth-next" -> basicAuth(arg, name.endsWith("-next"));
            case "static" -> new Action.Static(nonEmpty(name, arg), false);
            case "static-next" -> new Action.Static(nonEmpty(name, arg), true);
            default -> {
                if (UNSUPPORTED_ACTIONS.contains(name)) {
                    throw new RouteSyntaxException("routing action '" + name + "' is a uWSGI action Imperium does"
                            + " not implement");
                }
                throw new RouteSyntaxException("unable to register route \"" + value + "\": unknown action '"
                        + name + "'");
            }
        };
    }

    private static Template nonEmpty(String action, String arg) {
        if (arg.isEmpty()) {
            throw new RouteSyntaxException("action '" + action + "' needs an argument: '" + action + ":...'");
        }
        return Template.parse(arg);
    }

    private static Template header(String arg) {
        Template t = nonEmpty("addheader", arg);
        if (t.isConstant()) {
            int colon = arg.indexOf(':');
            if (colon <= 0 || !FieldTokens.isToken(arg.substring(0, colon).strip())) {
                throw new RouteSyntaxException("addheader: expected 'Name: value', got '" + arg + "'");
            }
        }
        return t;
    }

    private static Action basicAuth(String arg, boolean next) {
        int comma = arg.indexOf(',');
        if (comma < 0) {
            throw new RouteSyntaxException("invalid route syntax: " + arg + " (expected 'basicauth:REALM,USER:PASSWORD',"
                    + " 'basicauth:REALM,HTPASSWD-FILE' or 'basicauth:REALM,')");
        }
        String realm = arg.substring(0, comma);
        if (realm.indexOf('"') >= 0 || realm.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new RouteSyntaxException("basicauth: the realm must not hold quotes or control characters: '"
                    + realm + "'");
        }
        return new Action.BasicAuth(realm, BasicAuthCredentials.parse(arg.substring(comma + 1)), next);
    }

    /** {@code break:404} or {@code break:403 Forbidden}: the first three characters are the status. */
    private static int breakStatus(String arg) {
        int status = leadingStatus(arg);
        if (status < 200 || status > 599) {
            throw new RouteSyntaxException("break: expected an HTTP status 200..599 (e.g. 'break:404'), got '" + arg
                    + "'");
        }
        return status;
    }

    private static int returnStatus(String arg) {
        int status = leadingStatus(arg);
        if (status < 200 || status > 599 || StatusMessages.message(status) == null) {
            throw new RouteSyntaxException("return: expected an HTTP status uWSGI knows, 200..599 (e.g. 'return:403'),"
                    + " got '" + arg + "'");
        }
        return status;
    }

    private static int leadingStatus(String arg) {
        if (arg.length() < 3 || !allDigits(arg.substring(0, 3)) || arg.length() > 3 && arg.charAt(3) != ' ') {
            return -1;
        }
        return Integer.parseInt(arg.substring(0, 3));
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Returns the names of every routing option: each chain's rule kinds. */
    public static List<String> optionNames() {
        List<String> names = new java.util.ArrayList<>();
        for (Chain chain : Chain.values()) {
            String p = chain.prefix() + "route";
            for (Subject s : Subject.values()) {
                names.add(p + s.suffix());
            }
            if (chain != Chain.REQUEST) {
                names.add(p + "-status");
            }
            names.add(p + "-label");
            names.add(p + "-if");
            names.add(p + "-if-not");
            names.add(p + "-run");
        }
        return List.copyOf(names);
    }
}
