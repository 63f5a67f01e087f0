#!/usr/bin/env bash
# ./node's service logs: appended across restarts, rotated by size at start (open_log), with the
# script sourced so that nothing is started.
set -euo pipefail
fail() { echo "node logs: $*" >&2; exit 1; }
root=${NODE_ROOT:?the repository root}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# shellcheck source=../../../../node
source "$root/node"
LOG_MAX_BYTES=10
LOG_GENERATIONS=2
log=$dir/service.log
for run in first second third fourth; do
  open_log "$log"
  echo "$run run" >>"$log"
done
# each start found the log past 10 bytes: it moved up, and the first run's fell off
grep -q 'fourth run' "$log" || fail "the running log lost its run"
grep -q 'third run' "$log.1" || fail "$log.1 is not the previous run's"
grep -q 'second run' "$log.2" || fail "$log.2 is not the run before"
[ ! -e "$log.3" ] || fail "more than LOG_GENERATIONS kept"
if grep -rq 'first run' "$dir"; then fail "the oldest generation was not dropped"; fi
LOG_MAX_BYTES=52428800
open_log "$log"
echo 'fifth run' >>"$log"
# below the limit a restart appends: the previous run's lines stay
grep -q 'fourth run' "$log" || fail "a restart below the limit truncated the log"
grep -q 'fifth run' "$log" || fail "the new run's lines are missing"
[ "$(grep -c '^=== .* ./node starts this service$' "$log")" = 2 ] || fail "a start not marked"
echo "node logs: ok"
