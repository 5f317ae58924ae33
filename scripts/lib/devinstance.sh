# Sourced: the pieces of the dev instance — the simulated GPU fleet (kube-sim),
# the app-config fragment that points Backstage at it, and Debian's Prometheus
# scraping its DCGM and vLLM metrics (app-config.yaml's aiPlatform.prometheus.url).
AIP_DEV_DIR="$REPO_ROOT/.tools/dev"
AIP_FLEET="${AIP_FLEET:-examples/fleet/demo.yaml}"
AIP_KUBE_SIM_PID=""
AIP_DEV_CONFIG_ARGS=(--config "$REPO_ROOT/app-config.yaml")
AIP_PROMETHEUS_BIN="${AIP_PROMETHEUS_BIN:-/usr/bin/prometheus}"
# Must match aiPlatform.prometheus.url in app-config.yaml.
AIP_PROMETHEUS_PORT="${AIP_PROMETHEUS_PORT:-9090}"
AIP_PROMETHEUS_PID=""

# Starts kube-sim with the demo fleet in the background (when the package has
# its CLI), waits for the kubeconfig, and writes the app-config fragment.
kube_sim_start() {
  mkdir -p "$AIP_DEV_DIR"
  if [ ! -f "$REPO_ROOT/packages/kube-sim/src/cli.ts" ] || [ ! -f "$REPO_ROOT/$AIP_FLEET" ]; then
    printf '\033[1;33m==>\033[0m kube-sim or %s is not there yet; starting without a simulated fleet\n' "$AIP_FLEET" >&2
    return 0
  fi
  local kubeconfig="$AIP_DEV_DIR/kubeconfig"
  rm -f "$kubeconfig"
  printf '\033[1;34m==>\033[0m Starting kube-sim with %s (log: %s)\n' "$AIP_FLEET" "$AIP_DEV_DIR/kube-sim.log" >&2
  (cd "$REPO_ROOT" && exec yarn kube-sim --fleet "$REPO_ROOT/$AIP_FLEET" --kubeconfig "$kubeconfig" ${AIP_KUBE_SIM_ARGS:-}) \
    >"$AIP_DEV_DIR/kube-sim.log" 2>&1 &
  AIP_KUBE_SIM_PID=$!
  for _ in $(seq 1 120); do
    [ -s "$kubeconfig" ] && break
    kill -0 "$AIP_KUBE_SIM_PID" 2>/dev/null || { cat "$AIP_DEV_DIR/kube-sim.log" >&2; echo "kube-sim exited during start-up" >&2; return 1; }
    sleep 0.5
  done
  [ -s "$kubeconfig" ] || { echo "kube-sim did not write $kubeconfig within 60 s" >&2; return 1; }
  node "$REPO_ROOT/scripts/lib/kubeconfig-to-app-config.mjs" "$kubeconfig" > "$AIP_DEV_DIR/app-config.kube-sim.yaml"
  AIP_DEV_CONFIG_ARGS+=(--config "$AIP_DEV_DIR/app-config.kube-sim.yaml")
  grep -E '^\s*(cluster|http)' "$AIP_DEV_DIR/kube-sim.log" >&2 || true
}

kube_sim_stop() {
  [ -n "$AIP_KUBE_SIM_PID" ] || return 0
  pkill -TERM -P "$AIP_KUBE_SIM_PID" 2>/dev/null || true
  kill -TERM "$AIP_KUBE_SIM_PID" 2>/dev/null || true
  wait "$AIP_KUBE_SIM_PID" 2>/dev/null || true
  AIP_KUBE_SIM_PID=""
}

# Starts Prometheus scraping every kube-sim cluster's /metrics (the URLs
# kube-sim prints at start-up). Optional: without the binary or the fleet the
# instance runs on, and the cost views say utilization and tokens are unknown.
prometheus_start() {
  local warn='\033[1;33m==>\033[0m'
  if [ ! -x "$AIP_PROMETHEUS_BIN" ]; then
    printf "$warn %s is missing (apt-get install prometheus); starting without Prometheus: GPU utilization and token figures will show as unknown\n" "$AIP_PROMETHEUS_BIN" >&2
    return 0
  fi
  local targets
  targets="$(grep -E '^cluster ' "$AIP_DEV_DIR/kube-sim.log" 2>/dev/null | sed -E 's|^cluster +([^ ]+) .* metrics +http://([^/ ]+)(/[^ ]*).*$|\1 \2 \3|' || true)"
  if [ -z "$targets" ]; then
    printf "$warn kube-sim reported no metrics endpoints; starting without Prometheus\n" >&2
    return 0
  fi
  local dir="$AIP_DEV_DIR/prometheus"
  mkdir -p "$dir"
  {
    echo 'global:'
    echo '  scrape_interval: 15s'
    echo '  evaluation_interval: 15s'
    echo 'scrape_configs:'
    while read -r name hostport path; do
      # honor_labels: kube-sim's namespace/pod labels are the workloads' own.
      printf '  - job_name: kube-sim-%s\n    honor_labels: true\n    metrics_path: %s\n    static_configs:\n      - targets: [%s]\n        labels: { cluster: %s }\n' \
        "$name" "$path" "'$hostport'" "$name"
    done <<<"$targets"
  } >"$dir/prometheus.yml"
  printf '\033[1;34m==>\033[0m Starting Prometheus on http://127.0.0.1:%s scraping kube-sim (log: %s)\n' "$AIP_PROMETHEUS_PORT" "$dir/prometheus.log" >&2
  "$AIP_PROMETHEUS_BIN" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --storage.tsdb.retention.time=7d --web.listen-address="127.0.0.1:$AIP_PROMETHEUS_PORT" \
    >"$dir/prometheus.log" 2>&1 &
  AIP_PROMETHEUS_PID=$!
  if ! wait_for_url "http://127.0.0.1:$AIP_PROMETHEUS_PORT/-/ready" 30 "$dir/prometheus.log"; then
    printf "$warn Prometheus did not start (port %s taken? set AIP_PROMETHEUS_PORT and aiPlatform.prometheus.url); continuing without it\n" "$AIP_PROMETHEUS_PORT" >&2
    prometheus_stop
  fi
  return 0
}

prometheus_stop() {
  [ -n "$AIP_PROMETHEUS_PID" ] || return 0
  kill -TERM "$AIP_PROMETHEUS_PID" 2>/dev/null || true
  wait "$AIP_PROMETHEUS_PID" 2>/dev/null || true
  AIP_PROMETHEUS_PID=""
}

# Waits until a URL answers, or fails with the log that explains why.
# Fails, naming what holds it, when a TCP port is taken: a second dev instance
# would otherwise answer the checks meant for this one.
require_free_port() {
  local port="$1"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use (another dev instance or scripts/test?): $(ss -ltnp "sport = :$port" 2>/dev/null | tail -n +2 | tr -s ' ' | cut -d' ' -f6-)" >&2
    echo "stop it, then run this again" >&2
    return 1
  fi
}

wait_for_url() {
  local url="$1" seconds="$2" log="$3"
  for _ in $(seq 1 "$seconds"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 1
  done
  echo "$url did not answer within ${seconds}s; last lines of $log:" >&2
  tail -40 "$log" >&2
  return 1
}
