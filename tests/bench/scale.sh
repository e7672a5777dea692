#!/bin/sh
# The full-size ScaleIT: N command vassals (default 1000) and two Java vassals under one emperor. Prints the figures
# ([scale] lines): first scan to all running, touch -> reload, rm -> stop, the emperor's CPU, RSS and threads.
# Usage: tests/bench/scale.sh [N]   (from anywhere; builds the distribution without its AOT cache)
set -e
cd "$(dirname "$0")/../.."
N="${1:-1000}"
out=$(mktemp)
if ./mvnw -q -o -pl tests -am verify -Dimperium.aot.skip=true -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=ScaleIT -Dimperium.scale.vassals="$N" >"$out" 2>&1; then
    grep '^\[scale\]' "$out"
    rm -f "$out"
else
    cat "$out" tests/target/failsafe-reports/*ScaleIT.txt
    rm -f "$out"
    exit 1
fi
