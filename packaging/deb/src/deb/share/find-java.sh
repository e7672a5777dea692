# Sourced by /usr/bin/emperor, /usr/bin/vassal and /usr/bin/imperium (imperium package) to set JAVA_HOME:
#  1. JAVA_HOME from /etc/default/imperium, the host's choice (the service and the AOT caches use it);
#  2. else JAVA_HOME from the environment, if it is Java 25 or newer;
#  3. else the first Java 25 or newer under /usr/lib/jvm, Temurin 25 first.
# /usr/share/imperium/lib/launcher.sh then refuses anything older than Java 25 with a message that says so.

imperium_java_major() { # the major version of the runtime in $1, from its release file; empty if unknown
    if [ -x "$1/bin/java" ] && [ -r "$1/release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
    fi
}

imperium_java_home=
if [ -r /etc/default/imperium ]; then
    imperium_java_home=$(unset JAVA_HOME; . /etc/default/imperium >/dev/null 2>&1; printf '%s' "${JAVA_HOME:-}")
fi
if [ -z "$imperium_java_home" ] && [ -n "${JAVA_HOME:-}" ] \
        && [ "$(imperium_java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    imperium_java_home=$JAVA_HOME
fi
if [ -z "$imperium_java_home" ]; then
    for imperium_jvm in /usr/lib/jvm/temurin-25-jre* /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/java-25-openjdk* \
            /usr/lib/jvm/*; do
        if [ "$(imperium_java_major "$imperium_jvm")" -ge 25 ] 2>/dev/null; then
            imperium_java_home=$imperium_jvm
            break
        fi
    done
fi
if [ -n "$imperium_java_home" ]; then
    JAVA_HOME=$imperium_java_home
    export JAVA_HOME
fi
unset imperium_java_home imperium_jvm
