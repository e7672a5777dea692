package dev.imperium.statics;

import java.util.List;
import java.util.Objects;

/**
 * A vassal's static-file options, as the config gives them (uWSGI syntax) with the rules already parsed, for
 * {@link StaticFiles#create}. Relative paths are resolved later, against the directory the handler is created for.
 *
 * @param staticMaps {@code static-map} values, {@code /mount=/path} (a directory or a file), in order
 * @param staticMaps2 {@code static-map2} values: like {@code static-map}, but the whole request path is looked up
 *     under the path ({@code /mount/x} → {@code /path/mount/x})
 * @param checkStatic {@code check-static} directories, in order
 * @param staticIndex {@code static-index} names tried, in order, when a request maps to a directory
 * @param mimeFiles {@code mimefile} paths; empty means {@code /etc/mime.types} when it exists
 * @param staticSafe {@code static-safe} directories: files resolved (through symlinks) under them are served even
 *     when they lie outside the mapped directory
 * @param skipExtensions {@code static-skip-ext} suffixes: a file whose real path ends with one is never served
 *     statically (the request goes on, as if the file did not exist)
 * @param expires the {@code static-expires*} rules
 * @param gzip the {@code static-gzip*} rules
 * @param honourRange whether {@code Range} requests get 206 ({@code honour-range}; on unless set to false)
 * @param fileServeMode {@code file-serve-mode}
 */
public record StaticSpec(
        List<String> staticMaps,
        List<String> staticMaps2,
        List<String> checkStatic,
        List<String> staticIndex,
        List<String> mimeFiles,
        List<String> staticSafe,
        List<String> skipExtensions,
        ExpiresRules expires,
        GzipRules gzip,
        boolean honourRange,
        FileServeMode fileServeMode) {

    /** Copies the lists; every component is required (use empty lists and the NONE rules). */
    public StaticSpec {
        staticMaps = List.copyOf(staticMaps);
        staticMaps2 = List.copyOf(staticMaps2);
        checkStatic = List.copyOf(checkStatic);
        staticIndex = List.copyOf(staticIndex);
        mimeFiles = List.copyOf(mimeFiles);
        staticSafe = List.copyOf(staticSafe);
        skipExtensions = List.copyOf(skipExtensions);
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(gzip, "gzip");
        Objects.requireNonNull(fileServeMode, "fileServeMode");
    }

    /** Returns a spec with no static options, whose {@link StaticFiles} declines every request. */
    public static StaticSpec none() {
        return builder().build();
    }

    /** Returns a builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns true when neither {@code static-map}, {@code static-map2} nor {@code check-static} is set. */
    public boolean isEmpty() {
        return staticMaps.isEmpty() && staticMaps2.isEmpty() && checkStatic.isEmpty();
    }

    /** Builds a {@link StaticSpec}; every option starts at its default. Not thread-safe. */
    public static final class Builder {
        private List<String> staticMaps = List.of();
        private List<String> staticMaps2 = List.of();
        private List<String> checkStatic = List.of();
        private List<String> staticIndex = List.of();
        private List<String> mimeFiles = List.of();
        private List<String> staticSafe = List.of();
        private List<String> skipExtensions = List.of();
        private ExpiresRules expires = ExpiresRules.NONE;
        private GzipRules gzip = GzipRules.NONE;
        private boolean honourRange = true;
        private FileServeMode fileServeMode = FileServeMode.RAW;

        private Builder() {
        }

        public Builder staticMaps(List<String> values) {
            staticMaps = values;
            return this;
        }

        public Builder staticMaps2(List<String> values) {
            staticMaps2 = values;
            return this;
        }

        public Builder checkStatic(List<String> values) {
            checkStatic = values;
            return this;
        }

        public Builder staticIndex(List<String> values) {
            staticIndex = values;
            return this;
        }

        public Builder mimeFiles(List<String> values) {
            mimeFiles = values;
            return this;
        }

        public Builder staticSafe(List<String> values) {
            staticSafe = values;
            return this;
        }

        public Builder skipExtensions(List<String> values) {
            skipExtensions = values;
            return this;
        }

        public Builder expires(ExpiresRules rules) {
            expires = rules;
            return this;
        }

        public Builder gzip(GzipRules rules) {
            gzip = rules;
            return this;
        }

        public Builder honourRange(boolean honour) {
            honourRange = honour;
            return this;
        }

        public Builder fileServeMode(FileServeMode mode) {
            fileServeMode = mode;
            return this;
        }

        public StaticSpec build() {
            return new StaticSpec(staticMaps, staticMaps2, checkStatic, staticIndex, mimeFiles, staticSafe,
                    skipExtensions, expires, gzip, honourRange, fileServeMode);
        }
    }
}
