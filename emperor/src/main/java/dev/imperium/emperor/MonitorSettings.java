package dev.imperium.emperor;

import java.util.List;

/**
 * Issue 7: monitors. What the emperor watches beyond its first monitor, and which extra file names are vassals:
 * uWSGI's repeatable {@code --emperor} (several directories, globs and {@code pg://} databases at once) and
 * {@code emperor-extra-extension}.
 *
 * @param monitors every {@code --emperor} monitor, in command-line order; empty for the single monitor that
 *     {@link EmperorSettings#vassalDir()} and {@link FleetOptions#glob()} describe
 * @param extraExtensions uWSGI's {@code emperor-extra-extension}s: file name endings that are vassal files too
 */
record MonitorSettings(List<EmperorMonitor> monitors, List<String> extraExtensions) {
    /** The single monitor of the settings, standard extensions only. */
    static final MonitorSettings NONE = new MonitorSettings(List.of(), List.of());

    /** Copies the lists. */
    MonitorSettings {
        monitors = List.copyOf(monitors);
        extraExtensions = List.copyOf(extraExtensions);
    }
}
