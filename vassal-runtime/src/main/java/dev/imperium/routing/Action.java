package dev.imperium.routing;

/**
 * What a rule does when it matches: uWSGI 2.0's routing actions that Imperium implements (uwsgi-docs
 * "InternalRouting", "The available actions"; {@code core/routing.c} and {@code plugins/router_*}). Each says in
 * its Javadoc what it returns to the engine: NEXT (go on with the next rule), CONTINUE (stop routing, serve the
 * request) or BREAK (stop routing, the request is answered or closed).
 */
public sealed interface Action {
    /** {@code continue:} / {@code last:}: CONTINUE. */
    record Continue() implements Action {
    }

    /**
     * {@code break:[STATUS]}: BREAK. With a status, answers it with {@code Content-Type: text/plain}, no body, and
     * closes the connection; without one, closes the connection without an answer. The argument is not expanded.
     *
     * @param status the status, or 0 for none
     */
    record Break(int status) implements Action {
    }

    /**
     * {@code return:STATUS} / {@code break-with-status:STATUS}: BREAK, answering the status with its message as a
     * {@code text/plain} body.
     *
     * @param status the status
     */
    record Return(int status) implements Action {
    }

    /** {@code log:TEXT}: NEXT, after writing the text as a line of the log. */
    record Log(Template text) implements Action {
    }

    /**
     * {@code logvar:KEY=VALUE}: NEXT; sets the log variable a {@code log-format}'s {@code %(KEY)} shows.
     *
     * @param key the variable's name
     * @param value its value
     */
    record LogVar(String key, Template value) implements Action {
    }

    /** {@code donotlog:}: NEXT; the request gets no request log line. */
    record DoNotLog() implements Action {
    }

    /** {@code donotoffload:}: NEXT; nothing to do, Imperium does not offload transfers. */
    record DoNotOffload() implements Action {
    }

    /**
     * {@code goto:LABEL|N}: NEXT, from the rule after the label (or from rule N, counting labels, from 0). Jumps
     * only forward.
     */
    record Goto(Template target) implements Action {
    }

    /**
     * Sets a request variable: {@code addvar:NAME=VALUE}, {@code setmethod}, {@code seturi}, {@code setpathinfo},
     * {@code setscriptname}, {@code setremoteaddr}, {@code setdocroot}, {@code setscheme} and {@code setuser}
     * (the value up to its first {@code :}): NEXT.
     *
     * @param name the variable
     * @param value its new value
     * @param cutAtColon true for {@code setuser}
     */
    record SetVar(String name, Template value, boolean cutAtColon) implements Action {
    }

    /** {@code fixpathinfo:}: NEXT; removes {@code SCRIPT_NAME} from the start of {@code PATH_INFO}. */
    record FixPathInfo() implements Action {
    }

    /** {@code addheader:Name: value}: NEXT; the response gets the field. */
    record AddHeader(Template header) implements Action {
    }

    /** {@code delheader:Name} / {@code remheader:Name}: NEXT; the response loses every field of that name. */
    record DelHeader(Template name) implements Action {
    }

    /**
     * {@code redirect:URL} / {@code redirect-302:URL}, {@code redirect-permanent:URL} / {@code redirect-301:URL}:
     * BREAK, answering 302 or 301 with {@code Location}.
     */
    record Redirect(int status, Template location) implements Action {
    }

    /**
     * {@code rewrite:PATH[?QUERY]}: NEXT; {@code rewrite-last:}: CONTINUE. Sets {@code PATH_INFO} to the path,
     * percent-decoded, and {@code QUERY_STRING} to the new query followed by {@code &} and the old one (or the old
     * one alone when the new text has no {@code ?}). {@code REQUEST_URI} does not change, and routing does not
     * start over.
     */
    record Rewrite(Template target, boolean last) implements Action {
    }

    /**
     * {@code basicauth:REALM,USER:PASSWORD}, {@code basicauth:REALM,HTPASSWD-FILE}, {@code basicauth:REALM,}:
     * NEXT when the request's {@code Authorization: Basic} credentials match (setting {@code REMOTE_USER}) or
     * {@code REMOTE_USER} is already set; otherwise BREAK with 401 and {@code WWW-Authenticate}.
     * {@code basicauth-next:} returns NEXT instead when credentials were sent but are wrong.
     *
     * @param realm the realm
     * @param credentials what is accepted
     * @param next true for {@code basicauth-next}
     */
    record BasicAuth(String realm, BasicAuthCredentials credentials, boolean next) implements Action {
    }

    /**
     * {@code static:PATH}: BREAK, serving the file (404 when it is no readable regular file). {@code static-next:}
     * returns NEXT instead when there is no such file.
     */
    record Static(Template path, boolean next) implements Action {
    }
}
