# Shared by bin/emperor, bin/vassal and bin/imperium (sourced, not run).
# The caller sets IMPERIUM_MAIN (main class) and IMPERIUM_JVM_FLAGS before sourcing this file.
# Finds Java through JAVA_HOME, then PATH, refuses anything older than Java 25, and execs the JVM
# so that the process id stays the JVM's (signals, pidfiles and systemd see the real process).

IMPERIUM_HOME=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
imperium_prog=$(basename "$0")

if [ -n "$JAVA_HOME" ]; then
    JAVA="$JAVA_HOME/bin/java"
else
    JAVA=$(command -v java || true)
fi
if [ -z "$JAVA" ] || [ ! -x "$JAVA" ]; then
    echo "$imperium_prog: no Java runtime found (JAVA_HOME=${JAVA_HOME:-unset}, and no java on PATH)." >&2
    echo "$imperium_prog: Imperium needs Java 25 or newer; set JAVA_HOME, e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64" >&2
    exit 1
fi

# The runtime's release file tells its version without starting a JVM; fall back to java -version.
imperium_java_real=$(readlink -f "$JAVA")
imperium_release="$(dirname "$(dirname "$imperium_java_real")")/release"
imperium_java_version=
if [ -r "$imperium_release" ]; then
    imperium_java_version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$imperium_release")
fi
if [ -z "$imperium_java_version" ]; then
    imperium_java_version=$("$JAVA" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
fi
if [ "${imperium_java_version:-0}" -lt 25 ] 2>/dev/null || [ -z "$imperium_java_version" ]; then
    echo "$imperium_prog: $JAVA is Java ${imperium_java_version:-of unknown version}; Imperium needs Java 25 or newer." >&2
    echo "$imperium_prog: set JAVA_HOME to a Java 25 runtime, e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64" >&2
    exit 1
fi

# An explicit class path in a fixed order (the shell sorts the glob): an AOT cache is only used with the class path
# it was recorded with, and the order of a java -cp 'lib/*' wildcard is unspecified.
imperium_cp=
for imperium_jar in "$IMPERIUM_HOME"/lib/*.jar; do
    imperium_cp="${imperium_cp:+$imperium_cp:}$imperium_jar"
done

# AOT cache (JDK 25, JEP 483/514/515): classes loaded and linked ahead of time, recorded by `imperium aot-cache`
# (run at build time) into lib/aot/. The caller sets IMPERIUM_AOT_CACHE (the file name) and IMPERIUM_AOT_RECORDER
# (yes when this JVM records that file in a training run, no when another one does: a vassal master shares
# vassal.aot with its workers, and a worker records it). IMPERIUM_AOT_RECORD=DIR makes this a training run;
# IMPERIUM_AOT=off runs without caches. A cache from another JDK build or class path is not used (the JVM then
# starts as without one); -Xlog keeps that quiet.
# JDK 25.0.3 and older keep using a cache after a jar it was recorded from changed, running the old classes
# (JDK-8377932, fixed in 25.0.4): a cache older than any jar in lib/ is not used.
imperium_aot_current() {
    for imperium_jar in "$IMPERIUM_HOME"/lib/*.jar; do
        if [ "$imperium_jar" -nt "$1" ]; then
            return 1
        fi
    done
    return 0
}
imperium_aot=
if [ -n "${IMPERIUM_AOT_RECORD:-}" ]; then
    imperium_aot="-Dimperium.aot.record=$IMPERIUM_AOT_RECORD"
    if [ "${IMPERIUM_AOT_RECORDER:-no}" = yes ] && [ -n "${IMPERIUM_AOT_CACHE:-}" ]; then
        imperium_aot="$imperium_aot -XX:AOTCacheOutput=$IMPERIUM_AOT_RECORD/$IMPERIUM_AOT_CACHE"
    fi
elif [ -n "${IMPERIUM_AOT_CACHE:-}" ] && [ -r "$IMPERIUM_HOME/lib/aot/$IMPERIUM_AOT_CACHE" ] \
        && [ "${IMPERIUM_AOT:-on}" != off ] && imperium_aot_current "$IMPERIUM_HOME/lib/aot/$IMPERIUM_AOT_CACHE"; then
    imperium_aot="-XX:AOTCache=$IMPERIUM_HOME/lib/aot/$IMPERIUM_AOT_CACHE -Xlog:aot=off -Xlog:cds=off"
    imperium_aot="$imperium_aot -Dimperium.aot=$IMPERIUM_HOME/lib/aot"
    if [ "${IMPERIUM_AOT_SHARED:-no}" = yes ]; then
        # Map the cache at the address it was written for, so that its pages stay clean and are shared by every
        # JVM using it (a relocated cache is a private copy per process: ~14 MiB each).
        imperium_aot="$imperium_aot -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
    fi
fi

# shellcheck disable=SC2086 # flag lists are split on purpose
exec "$JAVA" $IMPERIUM_JVM_FLAGS $imperium_aot $JAVA_OPTS \
    -Dimperium.home="$IMPERIUM_HOME" -Dimperium.java="$JAVA" \
    -cp "$imperium_cp" "$IMPERIUM_MAIN" "$@"
