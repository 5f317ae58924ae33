# Sourced: a private PostgreSQL on loopback for the integration tests, from
# Debian's packages. Starts its own cluster in a temporary directory, so it
# never touches a system cluster, and stops only what it started.
AIP_PG_PORT="${AIP_PG_PORT:-55432}"
AIP_PG_DIR=""

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

postgres_start() {
  local bin; bin="$(pg_bin)"
  [ -n "$bin" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; return 1; }
  local major; major="$(basename "$(dirname "$bin")")"
  AIP_PG_DIR="$(mktemp -d /tmp/aip-pg.XXXXXX)"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$AIP_PG_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$AIP_PG_DIR/data" -U postgres --auth=trust >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$AIP_PG_DIR/data" -l "$AIP_PG_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $AIP_PG_PORT -k $AIP_PG_DIR -c max_connections=300 -c fsync=off" start >/dev/null
  export AIP_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$AIP_PG_PORT"
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=$AIP_TEST_POSTGRES_URL"
  export AIP_TEST_POSTGRES_ID="POSTGRES_${major}"
  printf '\033[1;34m==>\033[0m PostgreSQL %s on 127.0.0.1:%s (%s)\n' "$major" "$AIP_PG_PORT" "$AIP_PG_DIR" >&2
}

postgres_stop() {
  [ -n "$AIP_PG_DIR" ] || return 0
  local bin; bin="$(pg_bin)"
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$bin/pg_ctl" -D "$AIP_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$AIP_PG_DIR"
  AIP_PG_DIR=""
}
