package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.apps.FakeExchange;
import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.http.HttpFields;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.statics.MimeTypes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing over an in-memory exchange, with a fake app behind it: what a client and the app would notice. */
class InternalRoutingTest {
    private final List<String> log = new ArrayList<>();
    private RequestHead seen;
    private int appCalls;

    /** The app: 200 (404 under /e404) with X-App and Server fields and the body "app". */
    private final Handler app = exchange -> {
        appCalls++;
        seen = exchange.request();
        int status = seen.path().startsWith("/e404") ? 404 : 200;
        byte[] body = "app".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = exchange.respond(status, new HttpFields().add("Content-Type", "text/plain")
                .add("X-App", "1").add("Server", "app"), body.length)) {
            out.write(body);
        }
        return true;
    };

    private InternalRouting routing(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("app.ini"), i / 2 + 1)));
        }
        return new InternalRouting(RoutingRules.from(entries), new RouteEnvironment(MimeTypes.builtIn(), 3, 4242,
                new JwsgiEnvBuilder("testhost"), log::add, new Htpasswd(log::add)));
    }

    private InternalRouting.Routed serve(InternalRouting routing, FakeExchange exchange) throws Exception {
        return routing.serve(exchange, app);
    }

    @Test
    void anUnmatchedRequestReachesTheAppUnchanged() throws Exception {
        FakeExchange ex = FakeExchange.get("/other?q=1");
        RequestHead original = ex.request();
        InternalRouting.Routed routed = serve(routing("route", "^/admin return:403"), ex);
        assertThat(ex.status()).isEqualTo(200);
        assertThat(seen).isSameAs(original);
        assertThat(routed.doNotLog()).isFalse();
        assertThat(routed.exchange().request()).isSameAs(original);
    }

    @Test
    void redirectWithGroupsAndVariables() throws Exception {
        InternalRouting r = routing("route", "^/old/(.*)$ redirect-permanent:/new/$1?${QUERY_STRING}",
                "route", "^/r redirect:http://${HTTP_HOST}/x");
        FakeExchange ex = FakeExchange.get("/old/a%20b?q=2");
        serve(r, ex);
        assertThat(ex.status()).isEqualTo(301);
        assertThat(ex.responseField("Location")).isEqualTo("/new/a b?q=2");
        assertThat(ex.responseText()).isEqualTo("Moved Permanently");
        assertThat(appCalls).isZero();

        FakeExchange ex2 = FakeExchange.request("GET", "/r").header("Host", "h.example").build();
        serve(r, ex2);
        assertThat(ex2.status()).isEqualTo(302);
        assertThat(ex2.responseField("Location")).isEqualTo("http://h.example/x");
        assertThat(ex2.responseText()).isEqualTo("Moved");
    }

    @Test
    void aCapturedLineBreakCannotSplitTheResponse() throws Exception {
        FakeExchange ex = FakeExchange.request("GET", "/r/x%0D%0ASet-Cookie:%20a=b").path("/r/x\r\nSet-Cookie: a=b")
                .build();
        serve(routing("route", "^/r/([^/]*) redirect:/$1"), ex);
        assertThat(ex.responseField("Location")).isEqualTo("/x%0D%0ASet-Cookie: a=b");
    }

    @Test
    void rewriteChangesPathAndQueryAndRoutingGoesOn() throws Exception {
        InternalRouting r = routing("route", "^/old/(.*)$ rewrite:/new/$1?r=1",
                "route", "^/new/ log:now ${PATH_INFO} ${QUERY_STRING}");
        FakeExchange ex = FakeExchange.get("/old/abc?q=2");
        InternalRouting.Routed routed = serve(r, ex);
        assertThat(seen.path()).isEqualTo("/new/abc");
        assertThat(seen.query()).isEqualTo("r=1&q=2");
        assertThat(seen.target()).as("REQUEST_URI stays").isEqualTo("/old/abc?q=2");
        assertThat(seen.cgiVars().get("PATH_INFO")).isEqualTo("/new/abc");
        assertThat(seen.cgiVars().get("QUERY_STRING")).isEqualTo("r=1&q=2");
        assertThat(log).containsExactly("now /new/abc r=1&q=2");
        assertThat(routed.exchange().request()).isSameAs(seen);
    }

    @Test
    void rewriteLastStopsRouting() throws Exception {
        serve(routing("route", "^/a rewrite-last:/b", "route", "^/b return:403"), FakeExchange.get("/a"));
        assertThat(seen.path()).isEqualTo("/b");
    }

    @Test
    void returnAndBreak() throws Exception {
        InternalRouting r = routing("route", "^/ret return:403", "route", "^/brk break:404", "route", "^/bare break:",
                "route-run", "return:418");
        FakeExchange ret = FakeExchange.get("/ret");
        serve(r, ret);
        assertThat(ret.status()).isEqualTo(403);
        assertThat(ret.responseField("Content-Type")).isEqualTo("text/plain");
        assertThat(ret.responseText()).isEqualTo("Forbidden");

        FakeExchange brk = FakeExchange.get("/brk");
        serve(r, brk);
        assertThat(brk.status()).isEqualTo(404);
        assertThat(brk.responseField("Connection")).isEqualTo("close");
        assertThat(brk.responseText()).isEmpty();

        FakeExchange bare = FakeExchange.get("/bare");
        serve(r, bare);
        assertThat(bare.aborted()).isTrue();
        assertThat(bare.committed()).isFalse();

        FakeExchange teapot = FakeExchange.get("/x");
        serve(r, teapot);
        assertThat(teapot.responseText()).isEqualTo("I'm a teapot");
        assertThat(appCalls).isZero();
    }

    @Test
    void continueAndLastHandTheRequestOver() throws Exception {
        serve(routing("route", "^/a last:", "route-run", "return:403"), FakeExchange.get("/a"));
        assertThat(appCalls).isEqualTo(1);
    }

    @Test
    void headerEditsApplyToTheAppsResponseAndToRoutingAnswers() throws Exception {
        InternalRouting r = routing("route-run", "addheader:X-Added: ${PATH_INFO}", "route", "^/d delheader:x-app",
                "route", "^/auth basicauth:Realm,u:p");
        FakeExchange ex = FakeExchange.get("/d");
        serve(r, ex);
        assertThat(ex.responseField("X-App")).isNull();
        assertThat(ex.responseField("X-Added")).isEqualTo("/d");
        assertThat(ex.responseFields().name(ex.responseFields().size() - 1)).isEqualTo("X-Added");

        FakeExchange auth = FakeExchange.get("/auth");
        serve(r, auth);
        assertThat(auth.status()).isEqualTo(401);
        assertThat(auth.responseField("X-Added")).isEqualTo("/auth");
    }

    @Test
    void basicAuthInline() throws Exception {
        InternalRouting r = routing("route", "^/a basicauth:My Realm,alice:secret");
        FakeExchange none = FakeExchange.get("/a");
        serve(r, none);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.responseField("WWW-Authenticate")).isEqualTo("Basic realm=\"My Realm\"");
        assertThat(none.responseText()).isEqualTo("Unauthorized");

        FakeExchange wrong = FakeExchange.request("GET", "/a").header("Authorization", basic("alice:nope")).build();
        serve(r, wrong);
        assertThat(wrong.status()).isEqualTo(401);

        FakeExchange right = FakeExchange.request("GET", "/a").header("Authorization", basic("alice:secret")).build();
        serve(r, right);
        assertThat(right.status()).isEqualTo(200);
        assertThat(seen.cgiVars().get("REMOTE_USER")).isEqualTo("alice");
    }

    @Test
    void basicAuthNextFallsThroughOnWrongCredentialsOnly() throws Exception {
        InternalRouting r = routing("route", "^/a basicauth-next:R,foo:bar", "route", "^/a basicauth:R,foo2:bar2");
        FakeExchange second = FakeExchange.request("GET", "/a").header("Authorization", basic("foo2:bar2")).build();
        serve(r, second);
        assertThat(second.status()).isEqualTo(200);
        assertThat(seen.cgiVars().get("REMOTE_USER")).isEqualTo("foo2");

        FakeExchange first = FakeExchange.request("GET", "/a").header("Authorization", basic("foo:bar")).build();
        serve(r, first);
        assertThat(first.status()).as("the second rule is skipped once REMOTE_USER is set").isEqualTo(200);

        FakeExchange none = FakeExchange.get("/a");
        serve(r, none);
        assertThat(none.status()).as("no credentials: 401 even from basicauth-next").isEqualTo(401);

        FakeExchange notBasic = FakeExchange.request("GET", "/a").header("Authorization", "Bearer abcdef").build();
        serve(r, notBasic);
        assertThat(notBasic.status()).isEqualTo(401);
    }

    @Test
    void basicAuthWithAnHtpasswdFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("htpasswd"), "bob:{SHA}GpHWL3ymc5liWkNopqtdSjuqYHM=\n");
        InternalRouting r = routing("route", "^/ basicauth:H," + file, "route", "^/nobody basicauth:H,");
        FakeExchange ok = FakeExchange.request("GET", "/x").header("Authorization", basic("bob:pw")).build();
        serve(r, ok);
        assertThat(ok.status()).isEqualTo(200);
        FakeExchange bad = FakeExchange.request("GET", "/x").header("Authorization", basic("bob:px")).build();
        serve(r, bad);
        assertThat(bad.status()).isEqualTo(401);
    }

    @Test
    void gotoSkipsToTheLabel() throws Exception {
        InternalRouting r = routing("route", "^/g goto:lbl", "route-run", "addheader:X-Skipped: no",
                "route-label", "lbl", "route-run", "addheader:X-After: yes");
        FakeExchange g = FakeExchange.get("/g");
        serve(r, g);
        assertThat(g.responseField("X-Skipped")).isNull();
        assertThat(g.responseField("X-After")).isEqualTo("yes");
        FakeExchange other = FakeExchange.get("/other");
        serve(r, other);
        assertThat(other.responseField("X-Skipped")).isEqualTo("no");
    }

    @Test
    void aComputedGotoBackwardsClosesTheRequest() throws Exception {
        InternalRouting r = routing("route-label", "a", "route-host", "(.*) goto:$1", "route-label", "b",
                "route-run", "return:200");
        FakeExchange back = FakeExchange.request("GET", "/").header("Host", "a").build();
        serve(r, back);
        assertThat(back.aborted()).isTrue();
        assertThat(log).containsExactly(
                "[uwsgi-route] ERROR \"goto\" instruction can only jump forward (check your label !!!)");
        FakeExchange forward = FakeExchange.request("GET", "/").header("Host", "b").build();
        serve(r, forward);
        assertThat(forward.status()).isEqualTo(200);
    }

    @Test
    void conditions() throws Exception {
        InternalRouting r = routing("route-if", "equal:${QUERY_STRING};x=1 return:402",
                "route-if", "regexp:${PATH_INFO};^/re/([a-z]+)/ addheader:X-G: $1",
                "route-if-not", "empty:${HTTP_X_T} addheader:X-T: ${HTTP_X_T}",
                "route-if", "ishigher:${CONTENT_LENGTH};5 return:413");
        FakeExchange eq = FakeExchange.get("/?x=1");
        serve(r, eq);
        assertThat(eq.status()).isEqualTo(402);
        FakeExchange re = FakeExchange.request("GET", "/re/abc/").header("X-T", "tt").build();
        serve(r, re);
        assertThat(re.responseField("X-G")).isEqualTo("abc");
        assertThat(re.responseField("X-T")).isEqualTo("tt");
        FakeExchange plain = FakeExchange.get("/");
        serve(r, plain);
        assertThat(plain.responseField("X-T")).isNull();
        FakeExchange big = FakeExchange.request("POST", "/").header("Content-Length", "10").build();
        serve(r, big);
        assertThat(big.status()).isEqualTo(413);
    }

    @Test
    void subjects() throws Exception {
        InternalRouting r = routing("route-user-agent", "curl return:418", "route-referer", "^$ addheader:X-NoRef: 1",
                "route-remote-addr", "^10\\. return:403", "route-uri", "\\?debug addheader:X-Debug: 1",
                "route-qs", "^a= addheader:X-Qs: 1");
        FakeExchange curl = FakeExchange.request("GET", "/").header("User-Agent", "curl/8").build();
        serve(r, curl);
        assertThat(curl.status()).isEqualTo(418);
        FakeExchange remote = FakeExchange.request("GET", "/").remote("10.1.2.3", 1).build();
        serve(r, remote);
        assertThat(remote.status()).isEqualTo(403);
        FakeExchange uri = FakeExchange.get("/x?debug");
        serve(r, uri);
        assertThat(uri.responseField("X-Debug")).isEqualTo("1");
        assertThat(uri.responseField("X-NoRef")).isEqualTo("1");
        FakeExchange qs = FakeExchange.request("GET", "/x?a=1").header("Referer", "http://r").build();
        serve(r, qs);
        assertThat(qs.responseField("X-Qs")).isEqualTo("1");
        assertThat(qs.responseField("X-NoRef")).isNull();
    }

    @Test
    void staticServesAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("logo.css"), "body{}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
        InternalRouting r = routing("route", "^/logo static:" + file, "route", "^/gone static:" + dir.resolve("x"),
                "route", "^/dir static:" + dir, "route", "^/try/(.*) static-next:" + dir + "/$1");
        FakeExchange ex = FakeExchange.get("/logo");
        serve(r, ex);
        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.responseText()).isEqualTo("body{}");
        assertThat(ex.responseField("Content-Type")).isEqualTo("text/css");
        assertThat(ex.responseField("Last-Modified")).isEqualTo("Fri, 02 Jan 2026 03:04:05 GMT");
        assertThat(ex.contentLength()).isEqualTo(6);

        FakeExchange cached = FakeExchange.request("GET", "/logo")
                .header("If-Modified-Since", "Fri, 02 Jan 2026 03:04:05 GMT").build();
        serve(r, cached);
        assertThat(cached.status()).isEqualTo(304);

        for (String missing : List.of("/gone", "/dir")) {
            FakeExchange nf = FakeExchange.get(missing);
            serve(r, nf);
            assertThat(nf.status()).as(missing).isEqualTo(404);
        }
        FakeExchange tried = FakeExchange.get("/try/logo.css");
        serve(r, tried);
        assertThat(tried.responseText()).isEqualTo("body{}");
        FakeExchange next = FakeExchange.get("/try/none");
        serve(r, next);
        assertThat(next.responseText()).isEqualTo("app");
    }

    @Test
    void theErrorChainSeesEveryStatusAndMayReplaceTheResponse() throws Exception {
        InternalRouting r = routing("error-route-run", "log:ERR ${uwsgi[status]} ${PATH_INFO}",
                "error-route-status", "404 redirect:/notfound");
        FakeExchange ok = FakeExchange.get("/fine");
        serve(r, ok);
        assertThat(ok.status()).isEqualTo(200);
        FakeExchange missing = FakeExchange.get("/e404");
        serve(r, missing);
        assertThat(missing.status()).isEqualTo(302);
        assertThat(missing.responseField("Location")).isEqualTo("/notfound");
        assertThat(missing.responseText()).as("the app's body is dropped").isEqualTo("Moved");
        assertThat(missing.responseField("X-App")).isNull();
        assertThat(log).containsExactly("ERR 200 /fine", "ERR 404 /e404");
    }

    @Test
    void theErrorChainSeesRoutingAnswersToo() throws Exception {
        InternalRouting r = routing("route", "^/b break:404", "error-route-status", "404 return:410");
        FakeExchange ex = FakeExchange.get("/b");
        serve(r, ex);
        assertThat(ex.status()).isEqualTo(410);
        assertThat(ex.responseText()).isEqualTo("Gone");
    }

    @Test
    void theResponseChainEditsTheAppsFields() throws Exception {
        InternalRouting r = routing("response-route", "^/rr delheader:Server", "response-route", "^/rr addheader:Server: mine",
                "response-route-status", "404 addheader:X-Missing: 1", "collect-header", "Content-Type CT",
                "pull-header", "X-App APP", "response-route-if", "equal:${CT};text/plain addheader:X-Text: ${APP}");
        FakeExchange ex = FakeExchange.get("/rr");
        serve(r, ex);
        assertThat(ex.responseFields().getAll("Server")).containsExactly("mine");
        assertThat(ex.responseField("X-App")).as("pulled").isNull();
        assertThat(ex.responseField("X-Text")).isEqualTo("1");
        FakeExchange missing = FakeExchange.get("/e404");
        serve(r, missing);
        assertThat(missing.responseField("X-Missing")).isEqualTo("1");
    }

    @Test
    void theFinalChainRunsAfterTheResponse() throws Exception {
        InternalRouting r = routing("final-route-run", "log:FINAL ${uwsgi[status]} ${uwsgi[rsize]} q=${qs[q]}",
                "final-route", "^/quiet donotlog:");
        InternalRouting.Routed loud = serve(r, FakeExchange.get("/loud?q=7"));
        assertThat(loud.doNotLog()).isFalse();
        InternalRouting.Routed quiet = serve(r, FakeExchange.get("/quiet"));
        assertThat(quiet.doNotLog()).isTrue();
        assertThat(log).containsExactly("FINAL 200 3 q=7", "FINAL 200 3 q=");
    }

    @Test
    void donotlogInTheRequestChain() throws Exception {
        assertThat(serve(routing("route", "^/health donotlog:"), FakeExchange.get("/health")).doNotLog()).isTrue();
    }

    @Test
    void logvarSetsTheLogVariablesOfTheRequestLog() throws Exception {
        InternalRouting r = routing("route", "^/(old)/ logvar:moved=$1", "final-route-run", "logvar:status=${uwsgi[status]}");
        InternalRouting.Routed routed = serve(r, FakeExchange.get("/old/x"));
        assertThat(routed.logVars()).containsEntry("moved", "old").containsEntry("status", "200");
        assertThat(serve(routing("route", "^/x donotlog:"), FakeExchange.get("/y")).logVars()).isNull();
        assertThatThrownBy(() -> routing("route", "^/x logvar:novalue")).hasMessageContaining("invalid logvar syntax");
    }

    @Test
    void variableActionsChangeWhatTheAppSees() throws Exception {
        InternalRouting r = routing("route", "^/sm setmethod:POST", "route", "^/sm addvar:X_VAR=${HTTP_HOST}",
                "route", "^/sm seturi:/uri-changed", "route", "^/sm setremoteaddr:10.9.8.7",
                "route", "^/sm setscheme:https", "route", "^/sm setuser:bob:ignored",
                "route", "^/sm setscriptname:/sm", "route", "^/sm fixpathinfo:");
        FakeExchange ex = FakeExchange.request("GET", "/sm/rest").header("Host", "h:1").build();
        InternalRouting.Routed routed = serve(r, ex);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.target()).isEqualTo("/uri-changed");
        assertThat(seen.remoteAddress()).isEqualTo("10.9.8.7");
        assertThat(seen.scheme()).isEqualTo("https");
        assertThat(seen.path()).isEqualTo("/rest");
        assertThat(seen.cgiVars().get("X_VAR")).isEqualTo("h:1");
        assertThat(seen.cgiVars().get("REMOTE_USER")).isEqualTo("bob");
        assertThat(seen.cgiVars().get("SCRIPT_NAME")).isEqualTo("/sm");
        assertThat(seen.cgiVars().get("SERVER_NAME")).isEqualTo("testhost");
        assertThat(seen.cgiVars().get("HTTP_HOST")).isEqualTo("h:1");
        assertThat(routed.exchange().request().target()).as("the log shows the routed request")
                .isEqualTo("/uri-changed");
    }

    @Test
    void routeVars() throws Exception {
        InternalRouting r = routing("route-run", "log:${cookie[c]}|${mime[PATH_INFO]}|${uwsgi[wid]}|${uwsgi[pid]}"
                + "|${hex[REQUEST_METHOD]}|${base64[REQUEST_METHOD]}|${time[nope]}|${uwsgi[uuid]}");
        serve(r, FakeExchange.request("GET", "/a.png").header("Cookie", "a=1; c=2").build());
        assertThat(log).hasSize(1);
        assertThat(log.getFirst()).matches("2\\|image/png\\|3\\|4242\\|474554\\|R0VU\\|\\|[0-9a-f-]{36}");
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
