package dev.imperium.tests.support;

import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;

/**
 * A lock held across processes on this machine, for tests that change the machine itself (PackagingIT and AnsibleIT
 * install and purge the imperium package, and add and delete its user): two test runs at once (two worktrees, or
 * the suite beside one test) would otherwise purge each other's package or delete each other's user. The lock is a
 * bound name in Linux's abstract UNIX socket namespace: only one socket can hold it, the kernel releases it when the
 * holder closes it or dies, and it leaves no file behind.
 */
public final class MachineLock implements AutoCloseable {
    private final AFUNIXDatagramSocket socket;

    private MachineLock(AFUNIXDatagramSocket socket) {
        this.socket = socket;
    }

    /**
     * Waits for the lock.
     *
     * @param name the lock's name (one per shared resource, e.g. {@code imperium-package})
     * @param timeout how long to wait for another holder to finish
     * @return the held lock; close it to release it
     * @throws AssertionError if another process still holds it after {@code timeout}
     */
    public static MachineLock acquire(String name, Duration timeout) throws IOException, InterruptedException {
        AFUNIXSocketAddress address = AFUNIXSocketAddress.inAbstractNamespace("dev.imperium.tests.lock." + name);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
            try {
                socket.bind(address);
                return new MachineLock(socket);
            } catch (SocketException busy) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("another test on this machine still holds the lock " + name
                            + " after " + timeout, busy);
                }
                Thread.sleep(250);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
