package dev.imperium.emperor.foreign;

import java.util.ArrayList;
import java.util.List;

/**
 * The emperor's settings for foreign vassals: uWSGI's {@code emperor-wrapper}, {@code emperor-wrapper-override} and
 * {@code emperor-wrapper-fallback} (uwsgi-features.md §1.2). With any of them set, a vassal file without
 * {@code imperium-runtime} runs under uWSGI, as every vassal of a uWSGI emperor does.
 *
 * @param wrapper the uWSGI binary for vassals ({@code emperor-wrapper}), or null for {@code uwsgi} on the PATH
 * @param overrides binaries to try before it, in order ({@code emperor-wrapper-override})
 * @param fallbacks binaries to try after it, in order ({@code emperor-wrapper-fallback})
 */
public record ForeignSettings(String wrapper, List<String> overrides, List<String> fallbacks) {
    /** No wrapper: vassals run under Imperium unless their file says otherwise. */
    public static final ForeignSettings NONE = new ForeignSettings(null, List.of(), List.of());

    /** The uWSGI binary used when no wrapper is set, looked up on the PATH. */
    public static final String DEFAULT_UWSGI = "uwsgi";

    /** Copies the lists; a blank wrapper counts as none. */
    public ForeignSettings {
        wrapper = wrapper == null || wrapper.isBlank() ? null : wrapper.trim();
        overrides = List.copyOf(overrides);
        fallbacks = List.copyOf(fallbacks);
    }

    /** Returns whether any wrapper option is set: then vassals run under uWSGI by default. */
    public boolean wrapsVassals() {
        return wrapper != null || !overrides.isEmpty() || !fallbacks.isEmpty();
    }

    /** Returns the runtime of a vassal file that does not choose one. */
    public VassalRuntime defaultRuntime() {
        return wrapsVassals() ? VassalRuntime.UWSGI : VassalRuntime.IMPERIUM;
    }

    /**
     * Returns the uWSGI binaries to try for a vassal, in uWSGI's order: the overrides, the wrapper (or
     * {@link #DEFAULT_UWSGI}), the fallbacks.
     */
    public List<String> uwsgiCandidates() {
        List<String> all = new ArrayList<>(overrides);
        all.add(wrapper != null ? wrapper : DEFAULT_UWSGI);
        all.addAll(fallbacks);
        return List.copyOf(all);
    }
}
