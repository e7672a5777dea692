package dev.imperium.emperor;

import java.io.IOException;

/**
 * Issue 7: scale. Starts every vassal process in new Linux namespaces ({@code emperor-use-clone}, {@link CloneFlags}):
 * each command line becomes {@code unshare OPTIONS -- COMMAND...} before the launcher below runs it. It sits under
 * the foreign-vassal launcher, so an Imperium vassal, a uWSGI vassal and a command vassal's program alike start in
 * the namespaces.
 */
final class CloneLauncher implements VassalLauncher {
    /** util-linux's unshare(1). */
    static final String UNSHARE = "unshare";

    private final VassalLauncher delegate;
    private final CloneFlags flags;
    private final String unshare;

    private CloneLauncher(VassalLauncher delegate, CloneFlags flags, String unshare) {
        this.delegate = delegate;
        this.flags = flags;
        this.unshare = unshare;
    }

    /**
     * Returns {@code delegate} when no namespace is asked for, else a launcher that wraps each command in
     * {@code unshare}. A missing {@code unshare} fails each launch with the reason (the vassal backs off).
     *
     * @param delegate the launcher that runs processes
     * @param flags {@code emperor-use-clone}
     */
    static VassalLauncher wrap(VassalLauncher delegate, CloneFlags flags) {
        if (!flags.enabled()) {
            return delegate;
        }
        return new CloneLauncher(delegate, flags, find(System.getenv("PATH")));
    }

    /** Finds unshare on {@code path}, then in /usr/bin and /bin; null when there is none. */
    static String find(String path) {
        java.util.List<String> dirs = new java.util.ArrayList<>();
        if (path != null) {
            dirs.addAll(java.util.List.of(path.split(":")));
        }
        dirs.addAll(java.util.List.of("/usr/bin", "/bin"));
        for (String dir : dirs) {
            java.nio.file.Path candidate = dir.isEmpty() ? null : java.nio.file.Path.of(dir, UNSHARE);
            if (candidate != null && candidate.isAbsolute() && java.nio.file.Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    @Override
    public void launch(SpawnRequest request, Callback callback) {
        if (unshare == null) {
            callback.failed(new IOException("emperor-use-clone needs unshare (util-linux), and none is on the PATH"));
            return;
        }
        delegate.launch(new SpawnRequest(request.vassalName(), flags.wrap(unshare, request.command()),
                request.workingDirectory(), request.environment()), callback);
    }
}
