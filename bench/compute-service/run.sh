#!/usr/bin/env bash
# compute-service benchmark: a plan of N trivial sequential tasks run by the packaged service (local
# executor, python3 functions) against the real orchestrator: task ready -> process started
# percentiles and the plan's wall time.
# Usage: bench/compute-service/run.sh [tasks (100)]
# Needs the local infrastructure (./node infra). Uses database orchestrator_compute_test (emptied)
# and the compute-test.* queues of vhost substra_test: do not run it while compute-service tests run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
./mvnw -B -q -Dnode.infra.skip=true -pl orchestrator-service,compute-service -am install -DskipTests
./mvnw -B -q -Dnode.infra.skip=true -pl compute-service test-compile
CP=$(./mvnw -B -q -Dnode.infra.skip=true -pl compute-service dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
cd compute-service
exec java -cp "target/test-classes:target/classes:$CP" \
  org.substra.node.compute.bench.ComputeServiceBenchmark "$@"
