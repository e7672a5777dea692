package dev.imperium.config;

import java.util.List;

/** An entry while a config is being loaded: logic applied, value not yet (or already) expanded. Mutable. */
final class WorkEntry {
    enum State { PENDING, RESOLVING, DONE }

    final String key;
    String value;
    final Origin origin;
    final boolean bare;
    /** The files this entry was read through (include and inherit chain, outermost first): inherit cycle checks. */
    final List<FileKey> via;
    State state = State.PENDING;

    WorkEntry(String key, String value, Origin origin, boolean bare, List<FileKey> via) {
        this.key = key;
        this.value = value;
        this.origin = origin;
        this.bare = bare;
        this.via = via;
    }

    ConfigEntry toConfigEntry() {
        return new ConfigEntry(key, value, origin);
    }

    /**
     * A file read with one section: what include cycles are made of.
     *
     * @param path the file's real path
     * @param section the section, or null for the default one
     */
    record FileKey(java.nio.file.Path path, String section) {
        @Override
        public String toString() {
            return section == null ? path.toString() : path + ":" + section;
        }
    }
}
