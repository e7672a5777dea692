package dev.imperium.apps;

import java.util.List;

/**
 * Picks the app for a request among a vassal's apps and their mountpoints, as uWSGI does (uWSGI 2.0
 * {@code core/protocol.c}, {@code manage_script_name}; {@code core/utils.c}, {@code uwsgi_get_app_id}). Pure.
 *
 * <ol>
 *   <li>With {@code manage-script-name}, a {@code PATH_INFO} longer than {@code /} under a mountpoint (whole
 *       segments; the longest wins; the root mountpoint never) is split: the mountpoint becomes {@code SCRIPT_NAME},
 *       the rest {@code PATH_INFO} ({@code /app/x} under {@code /app}: {@code /app} and {@code /x}).</li>
 *   <li>The app is the one whose mountpoint equals {@code SCRIPT_NAME} (the front server's, or the one just set;
 *       {@code ""} for HTTP without the option); a trailing {@code /} on either does not count.</li>
 *   <li>Otherwise the default app, as uWSGI's Python plugin has it: the first app loaded (the one of
 *       {@code jwsgi}/{@code imperium-app} when set, else the first {@code mount}); none with
 *       {@code no-default-app}.</li>
 * </ol>
 *
 * uWSGI keeps a mountpoint's trailing slash in {@code SCRIPT_NAME} and cuts it from {@code PATH_INFO} (a
 * {@code /app/} mountpoint turns {@code /app/x} into {@code /app/} and {@code x}); Imperium cuts it from the
 * mountpoint ({@code /app} and {@code /x}), as CGI expects {@code PATH_INFO} to start with {@code /}.
 */
public final class MountTable {
    private final List<String> mountpoints;
    private final boolean manageScriptName;
    private final boolean defaultApp;

    /**
     * Where a request goes.
     *
     * @param app the index of the app in the table's order, or -1 for none
     * @param scriptName the request's {@code SCRIPT_NAME}
     * @param pathInfo the request's {@code PATH_INFO}
     * @param rewritten true if {@code manage-script-name} moved a mountpoint from {@code PATH_INFO} to
     *     {@code SCRIPT_NAME}
     */
    public record Selection(int app, String scriptName, String pathInfo, boolean rewritten) {
    }

    /**
     * Creates the table.
     *
     * @param mountpoints each app's mountpoint, in load order ({@code ""} for the {@code jwsgi}/{@code imperium-app}
     *     one)
     * @param manageScriptName {@code manage-script-name}
     * @param defaultApp false under {@code no-default-app}
     */
    public MountTable(List<String> mountpoints, boolean manageScriptName, boolean defaultApp) {
        this.mountpoints = mountpoints.stream().map(MountTable::trim).toList();
        this.manageScriptName = manageScriptName;
        this.defaultApp = defaultApp;
    }

    /**
     * Picks the app for one request.
     *
     * @param scriptName the request's {@code SCRIPT_NAME} ({@code ""} when none)
     * @param pathInfo the request's {@code PATH_INFO}, decoded
     * @return the app and the request's {@code SCRIPT_NAME}/{@code PATH_INFO}
     */
    public Selection select(String scriptName, String pathInfo) {
        String script = scriptName;
        String path = pathInfo;
        boolean rewritten = false;
        if (manageScriptName && pathInfo.length() > 1) {
            String best = "";
            for (String m : mountpoints) {
                if (m.length() > best.length() && pathInfo.startsWith(m)
                        && (pathInfo.length() == m.length() || pathInfo.charAt(m.length()) == '/')) {
                    best = m;
                }
            }
            if (!best.isEmpty()) {
                script = best;
                path = pathInfo.substring(best.length());
                rewritten = true;
            }
        }
        String key = trim(script);
        for (int i = 0; i < mountpoints.size(); i++) {
            if (mountpoints.get(i).equals(key)) {
                return new Selection(i, script, path, rewritten);
            }
        }
        return new Selection(defaultApp && !mountpoints.isEmpty() ? 0 : -1, script, path, rewritten);
    }

    /** {@code /app/} and {@code /app} are one mountpoint; {@code /} is the root, {@code ""}. */
    static String trim(String mountpoint) {
        return mountpoint.endsWith("/") ? mountpoint.substring(0, mountpoint.length() - 1) : mountpoint;
    }
}
