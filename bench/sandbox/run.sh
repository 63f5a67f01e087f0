#!/usr/bin/env bash
# Sandbox benchmark: what running a function in the bubblewrap sandbox costs a task. The real local
# executor runs the same function N times unsandboxed and sandboxed (/bin/true, then python3) and
# prints p50/p95/max of each and the difference of the medians (target: < 20 ms), then what copying
# a 100 MiB input would cost instead of its read-only mount.
# Usage: bench/sandbox/run.sh [runs (50)]   Needs bubblewrap (./node infra installs it).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
./mvnw -B -q -Dnode.infra.skip=true -pl compute-service -am install -DskipTests
./mvnw -B -q -Dnode.infra.skip=true -pl compute-service test-compile
CP=$(./mvnw -B -q -Dnode.infra.skip=true -pl compute-service dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
cd compute-service
exec java -cp "target/test-classes:target/classes:$CP" \
  org.substra.node.compute.executor.local.SandboxCostBenchmark "$@"
