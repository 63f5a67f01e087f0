#!/usr/bin/env bash
# event-service benchmark: event -> read model lag at a sustained rate, and backlog projection rate.
# Usage: bench/event-service/run.sh [rate events/s (500)] [seconds (30)] [backlog events (100000)]
# Needs the local infrastructure (./node infra). Uses database substra_test (schema read_model is
# rebuilt) and vhost substra_test: do not run it while event-service tests run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
./mvnw -B -q -Dnode.infra.skip=true -pl event-service -am install -DskipTests
./mvnw -B -q -Dnode.infra.skip=true -pl event-service test-compile
CP=$(./mvnw -B -q -Dnode.infra.skip=true -pl event-service dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
cd event-service
exec java -cp "target/test-classes:target/classes:$CP" \
  org.substra.node.event.bench.EventServiceBenchmark "$@"
