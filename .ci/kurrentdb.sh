# Sourced by .ci/run: the KurrentDB part of CI, which needs a Docker engine.
# Starts the compose file's KurrentDB, waits for its health check and exports LEDGER_KURRENTDB_URL,
# so `npm test` runs the suites that need a server; after the tests, builds and starts the whole
# stack (both ledger instances) and waits for every health check.

compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

# Waits until every named compose service reports healthy (or the deadline passes).
wait_healthy() {
  local deadline=$((SECONDS + $1)); shift
  for service in "$@"; do
    local id
    id=$(compose --profile two-instances ps -q "$service")
    until [ "$(docker inspect --format '{{.State.Health.Status}}' "$id" 2>/dev/null)" = healthy ]; do
      if [ $SECONDS -ge $deadline ]; then
        echo "$service did not become healthy in time"; compose --profile two-instances logs --tail 50 "$service"; return 1
      fi
      sleep 2
    done
    echo "$service is healthy"
  done
}

kurrentdb_up() {
  compose up -d kurrentdb
  wait_healthy 180 kurrentdb
  export LEDGER_KURRENTDB_URL="kurrentdb://localhost:2113?tls=false"
  trap 'compose --profile two-instances down -v --remove-orphans >/dev/null 2>&1 || true' EXIT
}

# The stack as a user starts it: both instances built from the Dockerfile, healthy, answering /ready.
compose_stack_check() {
  compose --profile two-instances up -d --build
  wait_healthy 300 kurrentdb ledger ledger-b
  curl -fsS http://localhost:3000/ready && echo
  curl -fsS http://localhost:3001/ready && echo
}
