#!/usr/bin/env bash
# api-service read benchmark: GET /task/ over a read model of 100 000 tasks (100 plans) and 10 000
# data samples. Fills its own database (api_reads_bench, recreated each run: schema read_model from
# event-service's migrations, then bench/api-service/fill.sql), starts the packaged api-service on it
# (orchestrator pointed at an unused port: the lists never call it), logs in as the SDK does and
# prints p50/p95/p99 per query (target: p95 < 20 ms for a plan's tasks filtered by status).
# Usage: bench/api-service/run.sh [requests per query (500)] [warm-up requests per query (300)].
# Needs PostgreSQL on 127.0.0.1:5432. BENCH_NO_BUILD=1 reuses the packaged api-service.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
requests=${1:-500} warmup=${2:-300}
db=api_reads_bench http_port=18600

[ -n "${BENCH_NO_BUILD:-}" ] ||
  ./mvnw -B -q -Dnode.infra.skip=true -pl api-service -am install -DskipTests

export PGPASSWORD=substra
psql -h 127.0.0.1 -U substra -d postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -h 127.0.0.1 -U substra -d $db -qc "CREATE SCHEMA read_model"
# Applied in version order, as Flyway would in event-service.
for migration in $(ls event-service/src/main/resources/db/migration/V*__*.sql | sort -V); do
  PGOPTIONS='-c search_path=read_model' psql -h 127.0.0.1 -U substra -d $db -q -v ON_ERROR_STOP=1 \
    -f "$migration"
done
start=$(date +%s)
psql -h 127.0.0.1 -U substra -d $db -q -v ON_ERROR_STOP=1 -f bench/api-service/fill.sql
echo "read model filled in $(( $(date +%s) - start )) s"

mkdir -p .node/logs
# a key of its own for the web login (api-service refuses to start without one)
API_JWT_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') \
  java -Dquarkus.http.port=$http_port \
  -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$db \
  -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/$db \
  -Dquarkus.grpc.clients.orchestrator.port=19998 \
  -Dapi.host=http://127.0.0.1:$http_port \
  -Dapi.first-user.username=bench -Dapi.first-user.password=bench-password \
  -Dquarkus.log.level=WARN \
  -jar api-service/target/quarkus-app/quarkus-run.jar >.node/logs/bench-api-service.log 2>&1 &
api=$!
trap 'kill $api 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs http://127.0.0.1:$http_port/q/health/live >/dev/null 2>&1 && break
  sleep 1
done

plan=$(psql -h 127.0.0.1 -U substra -d $db -tAc "SELECT md5('plan42')::uuid")
java -Dbench.requests="$requests" -Dbench.warmup="$warmup" bench/api-service/ApiReadsBench.java \
  http://127.0.0.1:$http_port bench bench-password "$plan"
