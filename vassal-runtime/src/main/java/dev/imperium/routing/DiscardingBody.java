package dev.imperium.routing;

import dev.imperium.server.ResponseBody;

import java.nio.channels.FileChannel;

/**
 * The body stream an app gets when routing answered in its place (an error or response route replaced its
 * response): whatever it writes is dropped, as uWSGI ignores the body after such a route.
 */
final class DiscardingBody extends ResponseBody {
    @Override
    public void write(int b) {
        // dropped
    }

    @Override
    public void write(byte[] b, int off, int len) {
        // dropped
    }

    @Override
    public void transferFrom(FileChannel file, long position, long count) {
        // dropped
    }
}
