#!/usr/bin/env bash
# Start-up of the command line, lever by lever: --version and `ls` of a 200-member zip served on
# loopback, each run N times (default 9) as a new JVM; prints the fastest and median wall time and the
# median CPU time (user + system) of each row.
#
#   benchmarks/cli-startup.sh [OLD_JAR]     # from the repository root, after ./range-streams has built
#
# Rows: the jar with no start-up cache and with the class-data archive on the default java (17), and
# with no cache and with the AOT cache on a JDK 24 or later (JDK25, default: the first under
# /usr/lib/jvm); ls once more with the TLS context made when the transport is built (as when the
# transport is named by RANGESTREAMS_TRANSPORT). OLD_JAR, if given, adds rows for another build of
# the jar, started as that build's launcher did (java -jar, its class-data archive or AOT cache
# recorded from its demo). The new jar's caches are recorded from its training run and it is started
# with -cp, as ./range-streams does. Environment: N, PORT (default 18231), WORK (default /tmp/rs-startup).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/cli/target/range-streams.jar"
OLD_JAR="${1:-}"
N="${N:-9}"
PORT="${PORT:-18231}"
WORK="${WORK:-/tmp/rs-startup}"
J17="${JAVA:-java}"
JDK25="${JDK25:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | while read -r j; do
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$(dirname "$j")")/release" 2>/dev/null)
    [[ "${v:-0}" -ge 24 ]] && echo "$j" && break; done)}"
OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseParallelGC '-Xlog:cds*=off')

"$ROOT/range-streams" --version >/dev/null # builds the jar if need be
mkdir -p "$WORK/www"
[[ -f "$WORK/www/200.zip" ]] || python3 - "$WORK/www/200.zip" <<'PY'
import random, sys, zipfile
rnd = random.Random(7)
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    for i in range(200):
        z.writestr("data/member-%05d.bin" % i, rnd.randbytes(25 * 1024))
PY
"$J17" -jar "$JAR" serve "$WORK/www" --port "$PORT" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
URL="http://127.0.0.1:$PORT/200.zip"
for _ in $(seq 100); do curl -sf -o /dev/null -r 0-0 "$URL" && break; sleep 0.1; done

TRAINING=(-cp "$JAR" io.rangestreams.cli.StartupTraining)
"$J17" "${OPTS[@]}" -XX:ArchiveClassesAtExit="$WORK/new.jsa" "${TRAINING[@]}" >/dev/null 2>&1
if [[ -n "$OLD_JAR" ]]; then
    "$J17" "${OPTS[@]}" -XX:ArchiveClassesAtExit="$WORK/old.jsa" -jar "$OLD_JAR" demo >/dev/null 2>&1
fi
if [[ -n "$JDK25" ]]; then
    rm -f "$WORK/new.aot" "$WORK/old.aot"
    "$JDK25" "${OPTS[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$WORK/new.conf" "${TRAINING[@]}" >/dev/null 2>&1
    "$JDK25" "${OPTS[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$WORK/new.conf" -XX:AOTCache="$WORK/new.aot" \
        -cp "$JAR" >/dev/null 2>&1
    if [[ -n "$OLD_JAR" ]]; then
        "$JDK25" "${OPTS[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$WORK/old.conf" -jar "$OLD_JAR" demo >/dev/null 2>&1
        "$JDK25" "${OPTS[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$WORK/old.conf" -XX:AOTCache="$WORK/old.aot" \
            -jar "$OLD_JAR" >/dev/null 2>&1
    fi
fi
MAIN=(-cp "$JAR" io.rangestreams.cli.Main)

row() { # label command...
    local label="$1" tf walls=() cpus=(); shift
    tf=$(mktemp)
    for _ in $(seq "$N"); do
        /usr/bin/time -o "$tf" -f "%e %U %S" "$@" >/dev/null 2>&1
        walls+=("$(awk '{printf "%d", $1 * 1000}' "$tf")")
        cpus+=("$(awk '{printf "%d", ($2 + $3) * 1000}' "$tf")")
    done
    rm -f "$tf"
    local sw sc
    sw=$(printf '%s\n' "${walls[@]}" | sort -n); sc=$(printf '%s\n' "${cpus[@]}" | sort -n)
    printf '%-44s %6s %6s %6s\n' "$label" "$(head -1 <<<"$sw")" "$(sed -n "$(( (N + 1) / 2 ))p" <<<"$sw")" \
        "$(sed -n "$(( (N + 1) / 2 ))p" <<<"$sc")"
}

printf '%-44s %6s %6s %6s\n' "ms" "wall" "median" "cpu"
for verb in --version ls; do
    args=("$verb"); [[ "$verb" == ls ]] && args=(ls "$URL")
    [[ -n "$OLD_JAR" ]] && row "$verb: OLD_JAR, java 17 + class archive" \
        "$J17" "${OPTS[@]}" -XX:SharedArchiveFile="$WORK/old.jsa" -jar "$OLD_JAR" "${args[@]}"
    row "$verb: java 17, no cache" "$J17" "${OPTS[@]}" -Xshare:auto "${MAIN[@]}" "${args[@]}"
    row "$verb: java 17 + class archive" "$J17" "${OPTS[@]}" -XX:SharedArchiveFile="$WORK/new.jsa" "${MAIN[@]}" "${args[@]}"
    if [[ "$verb" == ls ]]; then
        row "ls: java 17 + class archive, TLS made at once" env RANGESTREAMS_TRANSPORT=apache \
            "$J17" "${OPTS[@]}" -XX:SharedArchiveFile="$WORK/new.jsa" "${MAIN[@]}" "${args[@]}"
    fi
    if [[ -n "$JDK25" ]]; then
        [[ -n "$OLD_JAR" ]] && row "$verb: OLD_JAR, JDK 24+ + AOT cache" \
            "$JDK25" "${OPTS[@]}" -XX:AOTCache="$WORK/old.aot" -jar "$OLD_JAR" "${args[@]}"
        row "$verb: JDK 24+, no cache" "$JDK25" "${OPTS[@]}" "${MAIN[@]}" "${args[@]}"
        row "$verb: JDK 24+ + AOT cache" "$JDK25" "${OPTS[@]}" -XX:AOTCache="$WORK/new.aot" "${MAIN[@]}" "${args[@]}"
        row "$verb: JDK 24+ + AOT cache, not relocated" "$JDK25" "${OPTS[@]}" -XX:AOTCache="$WORK/new.aot" \
            -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 "${MAIN[@]}" "${args[@]}"
        row "$verb: ./range-streams (JDK 24+ + AOT cache)" "$ROOT/range-streams" "${args[@]}"
    fi
done
row "java -version (java 17)" "$J17" -version
[[ -n "$JDK25" ]] && row "java -version (JDK 24+)" "$JDK25" -version
