#!/usr/bin/env bash
# The MapDB store's speed beside the disk's and a plain file's, in one run on one file system:
#
#   benchmarks/mapdb-speed.sh            # from the repository root
#
# 1. dd if=/dev/zero of=WORK/dd.bin bs=1M count=1024 conv=fdatasync, before and after the store runs
#    (the machine may be shared: both are printed, and the ratios use their mean).
# 2. MapDbSpeed: 1 GiB written into a fresh store in 256 KiB writes, close (commit and sync)
#    included; then warm reads of the store beside the same reads of a plain file in WORK.
# 3. With nginx on the path: ./range-streams --store mapdb:WORK/cli.db get URL -o /dev/null of a
#    1 GiB file served by nginx on 127.0.0.1 into a fresh store, beside the same with the memory store.
#
# Environment: WORK (default /tmp/rs-mapdb-speed; its file system is the one measured), PORT (default
# 18089), ROUNDS (warm read rounds, default 5), JAVA_OPTS (default -Xmx1g).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/rs-mapdb-speed}"
PORT="${PORT:-18089}"
ROUNDS="${ROUNDS:-5}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
mkdir -p "$WORK"

if [ ! -f "$JAR" ]; then
    mvn -B -ntp -q -f "$ROOT/pom.xml" -pl benchmarks -am package -DskipTests
fi

dd_mbps() { # MB/s of dd writing 1 GiB with a final fdatasync
    local line
    line=$(dd if=/dev/zero of="$WORK/dd.bin" bs=1M count=1024 conv=fdatasync 2>&1 | tail -1)
    rm -f "$WORK/dd.bin"
    echo "$line" | awk -F', ' '{split($3, t, " "); printf "%.1f", 1073741824 / t[1] / 1e6}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

DD1=$(dd_mbps)
echo "dd (before): $DD1 MB/s"
OUT=$(java ${JAVA_OPTS:--Xmx1g} -cp "$JAR" io.rangestreams.bench.store.MapDbSpeed "$WORK" 1 "$ROUNDS" 2>&1 | tee /dev/stderr)
DD2=$(dd_mbps)
echo "dd (after): $DD2 MB/s"
DD=$(awk -v a="$DD1" -v b="$DD2" 'BEGIN {printf "%.1f", (a + b) / 2}')
STORE=$(echo "$OUT" | awk '/^store write:/ {for (i = 1; i <= NF; i++) if ($(i + 1) == "MB/s") print $i}')
echo "store write $STORE MB/s against dd $DD MB/s (mean of before and after): $(ratio "$STORE" "$DD")x"

if command -v nginx >/dev/null 2>&1; then
    mkdir -p "$WORK/www" "$WORK/logs" "$WORK/tmp"
    [ -f "$WORK/www/1g.bin" ] || head -c 1073741824 /dev/urandom > "$WORK/www/1g.bin"
    cat "$WORK/www/1g.bin" > /dev/null
    cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
    uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
    sendfile on;
    server { listen 127.0.0.1:$PORT; root $WORK/www; default_type application/octet-stream; }
}
NGINX
    nginx -p "$WORK" -c "$WORK/nginx.conf"
    trap 'nginx -p "$WORK" -c "$WORK/nginx.conf" -s quit 2>/dev/null || true' EXIT
    for _ in $(seq 50); do curl -s -o /dev/null -r 0-0 "http://127.0.0.1:$PORT/1g.bin" && break; sleep 0.1; done
    "$ROOT/range-streams" --version >/dev/null # builds the command line first, so the build is not timed
    cli_mbps() { # store spec
        local start end
        start=$(date +%s%N)
        "$ROOT/range-streams" --store "$1" get "http://127.0.0.1:$PORT/1g.bin" -o /dev/null
        end=$(date +%s%N)
        awk -v ns="$((end - start))" 'BEGIN {printf "%.1f", 1073741824 / (ns / 1e9) / 1e6}'
    }
    rm -f "$WORK"/cli.db*
    MAPDB=$(cli_mbps "mapdb:$WORK/cli.db")
    MEMORY=$(cli_mbps "memory")
    rm -f "$WORK"/cli.db*
    echo "range-streams get of 1 GiB from nginx into a fresh store: mapdb $MAPDB MB/s ($(ratio "$MAPDB" "$DD")x dd)," \
        "memory $MEMORY MB/s"
fi
