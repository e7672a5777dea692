package dev.imperium.vassal;

import picocli.CommandLine;

/** Imperium's version, for banners and {@code --version}. */
public final class Version implements CommandLine.IVersionProvider {
    /** The version of this build. */
    public static final String VERSION = version();

    private static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Imperium " + VERSION + " (Java " + Runtime.version() + ")"};
    }
}
