#!/usr/bin/env bash
# Orchestrator benchmark (issue 4). Starts orchestrator-service alone on its own database
# (orchestrator_bench, recreated each run) and RabbitMQ vhost substra_test, then measures:
# - a 10 000-task plan registered in batches of 400 (target < 10 s);
# - QueryTasks on one plan, pages of 100, with 100 000 tasks in the database (target p95 < 10 ms);
# - publication lag, commit → delivery from RabbitMQ, at 500 events/s (target p99 < 20 ms).
# Sizes: BENCH_TASKS (10000, the measured plan), BENCH_BATCH (400), BENCH_TOTAL_TASKS (100000 in the
# database for QueryTasks), BENCH_QUERIES (2000), BENCH_EVENT_RATE (500/s), BENCH_EVENT_SECONDS (10),
# BENCH_EVENTS_PER_WRITE (10: the lag is measured with one event per transaction, then with that many).
set -euo pipefail
cd "$(dirname "$0")/.."
./node infra >/dev/null
./mvnw -B -q -Dnode.infra.skip=true -DskipTests install -pl bench,orchestrator-service -am
./mvnw -B -q -Dnode.infra.skip=true dependency:build-classpath -pl bench \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
classpath="bench/target/classes:$(cat bench/target/bench.classpath)"

export PGPASSWORD=substra
psql -h 127.0.0.1 -U substra -d postgres -qc "DROP DATABASE IF EXISTS orchestrator_bench" \
  -c "CREATE DATABASE orchestrator_bench"
grpc_port=19901 http_port=18485
mkdir -p .node/logs
java -Dquarkus.profile=local \
  -Dquarkus.grpc.server.port=$grpc_port -Dquarkus.http.port=$http_port \
  -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/orchestrator_bench \
  -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/orchestrator_bench \
  -Dnode.rabbitmq.virtual-host=substra_test \
  -jar orchestrator-service/target/quarkus-app/quarkus-run.jar >.node/logs/bench-orchestrator.log 2>&1 &
orchestrator=$!
trap 'kill $orchestrator 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs http://127.0.0.1:$http_port/q/health/ready >/dev/null 2>&1 && break
  sleep 1
done
BENCH_ORCHESTRATOR_PORT=$grpc_port BENCH_RABBITMQ_VHOST=substra_test \
  java -cp "$classpath" org.substra.node.bench.OrchestratorBench
