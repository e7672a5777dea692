package dev.imperium.tests.apps;

import dev.imperium.app.HttpApp;
import dev.imperium.app.Request;
import dev.imperium.app.Response;

/** A typed app for the mount tests: answers the path it sees and the target the client sent. */
public final class PathApp implements HttpApp {
    @Override
    public Response handle(Request request) {
        return Response.text("typed path=" + request.path() + " target=" + request.target() + "\n");
    }
}
