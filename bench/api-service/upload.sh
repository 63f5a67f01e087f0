#!/usr/bin/env bash
# api-service upload benchmark: a data sample of N MiB (default 100) posted to an api-service whose
# heap is capped at 64 MiB, against the raw S3 put of the same file to the same store.
# The first upload of a fresh JVM also pays for class loading and JIT compilation: the same upload is
# timed again on the warm service, and the heap is read from the GC log.
# Usage: [ROUNDS=3] [WARMUP=3] bench/api-service/upload.sh [MiB (100)]
# Needs a running node (./node up): a second api-service, heap-capped, joins it on port 8100.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SIZE_MIB=${1:-100}
PORT=8100
S3=http://127.0.0.1:${NODE_S3_PORT:-9100}
S3_KEY=${NODE_S3_ACCESS_KEY:-minio}
S3_SECRET=${NODE_S3_SECRET_KEY:-minio1234}
USERNAME=${NODE_ADMIN_USERNAME:-org-1}
PASSWORD=${NODE_ADMIN_PASSWORD:-p@sswr0d44}
WORK=$(mktemp -d)
# The samples' files are removed at the end (their registrations stay): a store filling up with
# gigabytes of them writes back more and more slowly, run after run.
cleanup() {
  kill "$API_PID" 2>/dev/null || true
  while read -r key; do
    curl -fsS -o /dev/null -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:us-east-1:s3" \
      --user "$S3_KEY:$S3_SECRET" -X DELETE "$S3/substra-datasample/$key" || true
  done <"$WORK/keys" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

curl -fsS http://localhost:8000/readiness >/dev/null || { echo "start the node first: ./node up" >&2; exit 1; }

# A stored (uncompressed) zip of random bytes: what the SDK sends for a folder of binary files.
python3 - "$WORK/sample.zip" "$SIZE_MIB" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    with z.open("data.bin", "w", force_zip64=True) as f:
        for _ in range(int(sys.argv[2])):
            f.write(os.urandom(1 << 20))
PY
BYTES=$(stat -c %s "$WORK/sample.zip")

# a key of its own for the web login (api-service refuses to start without one)
NODE_JWT_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') \
  java -Xmx64m -XX:+UseSerialGC -Xlog:gc:file="$WORK/gc.log" -Dquarkus.profile=local -Dquarkus.http.port=$PORT \
  -jar api-service/target/quarkus-app/quarkus-run.jar >"$WORK/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "http://localhost:$PORT/readiness" >/dev/null 2>&1 && break
  sleep 0.5
done

mib_per_s() { python3 -c "print(f'{$BYTES / 1048576 / $1:.1f}')"; }

# Each figure is the median of ROUNDS runs: one run of a 2-core machine varies by a tenth of a second.
ROUNDS=${ROUNDS:-3}
median() { python3 -c "import statistics, sys; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }
raws=()
for _ in $(seq 1 "$ROUNDS"); do
  start=$(date +%s.%N)
  curl -fsS -o /dev/null -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_KEY:$S3_SECRET" \
    -T "$WORK/sample.zip" "$S3/substra-datasample/bench-raw-put"
  raws+=("$(python3 -c "print($(date +%s.%N) - $start)")")
  curl -fsS -o /dev/null -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_KEY:$S3_SECRET" \
    -X DELETE "$S3/substra-datasample/bench-raw-put"
done
raw=$(median "${raws[@]}")

TOKEN=$(curl -fsS -X POST -d "username=$USERNAME" --data-urlencode "password=$PASSWORD" \
  "http://localhost:$PORT/api-token-auth/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Token $TOKEN"
printf '# opener\n' >"$WORK/opener.py"
printf '# bench\n' >"$WORK/description.md"
DATASET=$(curl -fsS -H "$AUTH" -F 'json={"name": "upload bench", "permissions": {"public": false, "authorized_ids": []}}' \
  -F "data_opener=@$WORK/opener.py" -F "description=@$WORK/description.md" \
  "http://localhost:$PORT/data_manager/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

post() {
  local start
  start=$(date +%s.%N)
  curl -fsS -o "$WORK/answer.json" -H "$AUTH" -F "json={\"data_manager_keys\": [\"$DATASET\"]}" \
    -F "path=@$WORK/sample.zip" "http://localhost:$PORT/data_sample/"
  python3 -c "print($(date +%s.%N) - $start)"
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["key"])' "$WORK/answer.json" >>"$WORK/keys"
}
api=$(post)
# The JIT compiles the upload path over the first few uploads: a server's speed is the one after.
WARMUP=${WARMUP:-3}
for _ in $(seq 1 "$WARMUP"); do post >/dev/null; done
warms=()
for _ in $(seq 1 "$ROUNDS"); do warms+=("$(post)"); done
warm=$(median "${warms[@]}")

echo "data sample of $SIZE_MIB MiB ($BYTES bytes), api-service heap capped at 64 MiB (-Xmx64m)"
echo "  raw S3 put          $(printf '%.2f' "$raw") s   $(mib_per_s "$raw") MiB/s  (median of $ROUNDS: ${raws[*]})"
echo "  POST /data_sample/  $(printf '%.2f' "$warm") s   $(mib_per_s "$warm") MiB/s  (upload, checksum, store, register, visible; after $WARMUP uploads, median of $ROUNDS: ${warms[*]})"
python3 -c "print(f'  ratio               {$raw / $warm * 100:.0f} % of the raw put speed (target >= 70 %)')"
echo "  first upload        $(printf '%.2f' "$api") s   $(mib_per_s "$api") MiB/s  (of the fresh JVM: class loading, JIT; $(python3 -c "print(f'{$raw / $api * 100:.0f}')") %)"
python3 - "$WORK/gc.log" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
def sizes(kind):
    return [tuple(map(int, m)) for line in lines if kind in line
            for m in re.findall(r"(\d+)M->(\d+)M\(\d+M\)", line)]
every, full = sizes("Pause"), sizes("Pause Full")
# Class loading at start-up fills the metadata space: those collections are not the upload's.
metadata = [line for line in lines if "Pause Full (Metadata GC Threshold)" in line]
print(f"  heap (-Xmx64m)      peak {max(b for b, _ in every)} MiB used; {len(full) - len(metadata)} full"
      f" collections for want of heap ({len(metadata)} for class metadata)"
      + (f", at most {max(a for _, a in full)} MiB live after one" if full else ""))
PY
grep -c "OutOfMemoryError" "$WORK/api.log" >/dev/null && { echo "  OutOfMemoryError in api-service" >&2; exit 1; } || true
