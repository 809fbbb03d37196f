#!/usr/bin/env bash
# Peer comparison: serves generated files with nginx on 127.0.0.1 and runs the
# same workloads through range-streams, GDAL's /vsicurl/, fsspec and curl, counting requests and body
# bytes from nginx's access log and timing each. Prints one table.
#
#   benchmarks/peer-compare.sh            # from the repository root
#
# Every tool runs each workload as one process, so each pays its start once: range-streams as its
# command line, ./range-streams (built on first use; its launcher picks a JDK 24 or later if one is
# installed, for the AOT cache), with its defaults (apache transport, memory store): ls for the
# listings, get -o /dev/null for the sequential read, one get with 100 --range options for the random
# reads. The 100 random offsets are drawn before any timing from the file's size on disk, and every
# tool reads the same ones, so none needs a request of its own to learn the length. curl's listing row
# is the download of the whole zip, without listing it.
#
# Options (environment): PORT (default 18087), WORK (default /tmp/rs-peer), INSTALL=0 to skip apt-get,
# SKIP_GIB=1 to skip the 1 GiB sequential workload, ROUNDS=N to run each workload N times and report
# the median time (default 1).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLI="$ROOT/range-streams"
PORT="${PORT:-18087}"
WORK="${WORK:-/tmp/rs-peer}"
PY=/usr/bin/python3   # the Debian python, where python3-fsspec and python3-gdal install
BASE="http://127.0.0.1:$PORT"

if [ "${INSTALL:-1}" = 1 ] && ! { command -v nginx && command -v gdalinfo && $PY -c 'import fsspec, aiohttp, osgeo'; } >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx gdal-bin python3-gdal python3-fsspec \
        python3-aiohttp python3-requests curl >/dev/null
fi
"$CLI" --version >/dev/null # builds the command line first, so the build is not timed

mkdir -p "$WORK/www" "$WORK/logs" "$WORK/tmp"
cd "$WORK"

# ---- the files -------------------------------------------------------------------------------
$PY - "$WORK/www" <<'PYEOF'
import os, random, sys, zipfile
www = sys.argv[1]
def make(path, members, size, stored):
    if os.path.exists(path):
        return
    rnd = random.Random(7)
    comp = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path + ".tmp", "w", comp) as z:
        for i in range(members):
            z.writestr("data/member-%05d.bin" % i, rnd.randbytes(size))
    os.rename(path + ".tmp", path)
make(os.path.join(www, "200.zip"), 200, 25 * 1024, True)      # about 5 MB
make(os.path.join(www, "20000.zip"), 20000, 100, True)        # 20,000 small members
PYEOF
[ -f www/1g.bin ] || { truncate -s 1G www/1g.bin.tmp && mv www/1g.bin.tmp www/1g.bin; }
# Into the page cache before any timing: the tool run first (range-streams) paid for reading the files
# from disk (1.5-2 s for the 1 GiB), the others did not.
cat www/* > /dev/null

# ---- nginx -------------------------------------------------------------------------------------
cat > nginx.conf <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 256; }
http {
    log_format peer '\$request|\$status|\$body_bytes_sent|\$http_range';
    access_log $WORK/logs/access.log peer;
    client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
    uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
    sendfile on;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:$PORT;
        root $WORK/www;
        default_type application/octet-stream;
    }
}
NGINX
: > logs/access.log
nginx -p "$WORK" -c "$WORK/nginx.conf"
trap 'nginx -p "$WORK" -c "$WORK/nginx.conf" -s quit 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "$BASE/200.zip" -r 0-0 && break; sleep 0.1; done

# ---- running and counting ----------------------------------------------------------------------
ROWS=()
# compare WORKLOAD URL TOOL FUNCTION [TOOL FUNCTION]...: ROUNDS rounds, each running every tool once in
# turn, so a busier moment of the machine falls on all of them alike; a row per tool with its median
# time and the requests and body bytes of its last run, from nginx's log.
compare() {
    local workload="$1" url="$2"; shift 2
    local tools=() fns=() i before after start end
    while (($#)); do tools+=("$1"); fns+=("$2"); shift 2; done
    local -A times=() stats=() failed=()
    for _ in $(seq "${ROUNDS:-1}"); do
        for i in "${!tools[@]}"; do
            [[ -n "${failed[$i]:-}" ]] && continue
            before=$(wc -l < logs/access.log)
            start=$(date +%s%N)
            if ! "${fns[$i]}" "$url" >/dev/null 2>"$WORK/last.err"; then
                failed[$i]=1
                sed 's/^/    /' "$WORK/last.err" | tail -3 >&2
                continue
            fi
            end=$(date +%s%N)
            times[$i]+="$(((end - start) / 1000000)) "
            sleep 0.2 # nginx writes the log line after the response
            after=$(wc -l < logs/access.log)
            stats[$i]=$(tail -n +"$((before + 1))" logs/access.log | head -n "$((after - before))" \
                | awk -F'|' '{n++; b+=$3} END {printf "%d %d", n, b}')
        done
    done
    for i in "${!tools[@]}"; do
        if [[ -n "${failed[$i]:-}" ]]; then
            ROWS+=("$(printf '%-22s %-14s %9s %14s %10s' "$workload" "${tools[$i]}" failed - -)")
            continue
        fi
        local median
        median=$(printf '%s\n' ${times[$i]} | sort -n | sed -n "$(( ($(wc -w <<< "${times[$i]}") + 1) / 2 ))p")
        ROWS+=("$(printf '%-22s %-14s %9s %14s %10s' "$workload" "${tools[$i]}" ${stats[$i]% *} ${stats[$i]#* } "$median")")
    done
}

rs_list() { "$CLI" ls "$1"; }
rs_seq() { "$CLI" get "$1" -o /dev/null; }
rs_random() { # the 100 ranges in one run, fetched together; the options are made before any timing
    # shellcheck disable=SC2086 # one word per option
    "$CLI" get "$1" -o /dev/null $RANGES
}
gdal_list() { $PY -c "from osgeo import gdal; import sys; gdal.UseExceptions(); print(len(gdal.ReadDirRecursive('/vsizip//vsicurl/' + sys.argv[1])))" "$1"; }
gdal_seq() { $PY - "$1" <<'P'
import sys
from osgeo import gdal
gdal.UseExceptions()
f = gdal.VSIFOpenL('/vsicurl/' + sys.argv[1], 'rb'); n = 0
while True:
    b = gdal.VSIFReadL(1, 1 << 20, f)
    if not b: break
    n += len(b)
gdal.VSIFCloseL(f); print(n)
P
}
gdal_random() { $PY - "$1" "$WORK/offsets" <<'P'
import sys
from osgeo import gdal
gdal.UseExceptions()
f = gdal.VSIFOpenL('/vsicurl/' + sys.argv[1], 'rb')
for line in open(sys.argv[2]):
    gdal.VSIFSeekL(f, int(line), 0); gdal.VSIFReadL(1, 4096, f)
gdal.VSIFCloseL(f)
P
}
fsspec_list() { $PY -c "import sys, zipfile, fsspec; print(len(zipfile.ZipFile(fsspec.filesystem('http').open(sys.argv[1])).namelist()))" "$1"; }
fsspec_seq() { $PY - "$1" <<'P'
import sys, fsspec
n = 0
with fsspec.filesystem('http').open(sys.argv[1]) as f:
    while True:
        b = f.read(1 << 20)
        if not b: break
        n += len(b)
print(n)
P
}
fsspec_random() { $PY - "$1" "$WORK/offsets" <<'P'
import sys, fsspec
starts = [int(line) for line in open(sys.argv[2])]
fsspec.filesystem('http').cat_ranges([sys.argv[1]] * len(starts), starts, [s + 4096 for s in starts])
P
}
curl_list() { curl -sf -o /dev/null "$1"; } # the whole zip; listing it would be a second process
curl_seq() { curl -sf -o /dev/null "$1"; }
curl_random() { # 100 ranges, one process, one connection
    awk -v url="$1" '{printf "url = \"%s\"\nrange = %d-%d\noutput = /dev/null\n", url, $1, $1 + 4095}' \
        "$WORK/offsets" > "$WORK/tmp/curl.cfg"
    curl -sf -K "$WORK/tmp/curl.cfg"
}

# The 100 random 4 KiB reads: offsets drawn once, from the size on disk, read by every tool.
$PY -c "import random, sys; r = random.Random(1); s = int(sys.argv[1])
for _ in range(100):
    print(int(r.random() * (s - 4096)))" "$(stat -c %s www/1g.bin)" > "$WORK/offsets"

RANGES=$(awk '{printf "-r %d-%d ", $1, $1 + 4095}' "$WORK/offsets")

for zip in 200.zip 20000.zip; do
    compare "list $zip" "$BASE/$zip" range-streams rs_list gdal gdal_list fsspec fsspec_list curl curl_list
done
if [ "${SKIP_GIB:-0}" != 1 ]; then
    compare "1 GiB sequential" "$BASE/1g.bin" range-streams rs_seq gdal gdal_seq fsspec fsspec_seq curl curl_seq
fi
compare "100 x 4 KiB random" "$BASE/1g.bin" range-streams rs_random gdal gdal_random fsspec fsspec_random \
    curl curl_random

printf '%-22s %-14s %9s %14s %10s\n' workload tool requests bytes ms
printf '%s\n' "${ROWS[@]}"
