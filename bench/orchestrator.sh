#!/usr/bin/env bash
# Orchestrator benchmark (issue 4): RegisterTasks of a 10 000-task plan, QueryTasks latency and the
# publication lag to RabbitMQ. Uses the orchestrator on 127.0.0.1:9000 if one runs (./node up);
# otherwise starts orchestrator-service alone with the local profile for the run.
# Sizes: BENCH_TASKS (10000), BENCH_QUERIES (2000), BENCH_EVENTS (2000).
set -euo pipefail
cd "$(dirname "$0")/.."
./node infra >/dev/null
./mvnw -B -q -Dnode.infra.skip=true -DskipTests install -pl bench,orchestrator-service -am
./mvnw -B -q -Dnode.infra.skip=true dependency:build-classpath -pl bench \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
classpath="bench/target/classes:$(cat bench/target/bench.classpath)"

started=""
if ! (exec 3<>/dev/tcp/127.0.0.1/9000) 2>/dev/null; then
  mkdir -p .node/logs
  java -Dquarkus.profile=local -jar orchestrator-service/target/quarkus-app/quarkus-run.jar \
    >.node/logs/bench-orchestrator.log 2>&1 &
  started=$!
  trap 'kill $started 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -fs http://127.0.0.1:8484/q/health/ready >/dev/null 2>&1 && break
    sleep 1
  done
fi
java -cp "$classpath" org.substra.node.bench.OrchestratorBench
