#!/usr/bin/env bash
# Installs the plugin set into a fresh app from the current @backstage/create-app,
# the way docs/install.md tells an adopter to: packs every package with `yarn pack`
# (the tarballs stand in for the npm registry), runs the guide's `yarn add` and
# `backend.add` lines, type-checks the app, starts it against kube-sim and checks
# in Debian's Chromium that the AI Platform page, a workload's entity card and a
# template work (e2e-fresh-app/). Nothing else is copied from this repository.
#   scripts/lib/fresh-app.sh            the new frontend system (create-app's default)
#   scripts/lib/fresh-app.sh --legacy   create-app --legacy, wired with the guide's App.tsx,
#                                       Root.tsx and EntityPage.tsx lines (scripts/lib/legacy-wiring.mjs)
# The created app (one per create-app version) is kept in $AIP_FRESH_APP_CACHE,
# by default outside the clone (CI runs in a fresh clone on the same machine), and
# Yarn keeps its package cache machine-wide as usual, so a second run skips
# create-app and downloads nothing.
# Ports: backend and app on $AIP_FRESH_APP_PORT (default 7100).
LEGACY=""
for arg in "$@"; do
  case "$arg" in
    --legacy) LEGACY="-legacy" ;;
    *) echo "unknown option $arg (known: --legacy)" >&2; exit 2 ;;
  esac
done
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
source "$REPO_ROOT/scripts/lib/debian.sh"
source "$REPO_ROOT/scripts/lib/devinstance.sh"

CACHE_ROOT="${AIP_FRESH_APP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ai-platform/fresh-app}"
PORT="${AIP_FRESH_APP_PORT:-7100}"
REGISTRY_PORT="${AIP_FRESH_APP_REGISTRY_PORT:-7190}"
RUN_DIR="$TOOLS_DIR/fresh-app$LEGACY"
APP="" # set by created_app
TARBALLS="$RUN_DIR/tarballs"
GUIDE="$REPO_ROOT/docs/install.md"
# kube-sim's kubeconfig and log go here, not into the dev instance's folder.
AIP_DEV_DIR="$RUN_DIR/kube-sim"
BACKEND_PID=""
REGISTRY_PID=""
started=$SECONDS

cleanup() {
  if [ -n "$BACKEND_PID" ]; then
    pkill -TERM -P "$BACKEND_PID" 2>/dev/null || true
    kill -TERM "$BACKEND_PID" 2>/dev/null || true
    wait "$BACKEND_PID" 2>/dev/null || true
  fi
  [ -z "$REGISTRY_PID" ] || kill -TERM "$REGISTRY_PID" 2>/dev/null || true
  kube_sim_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

timed() {
  local name="$1" start=$SECONDS
  shift
  log "$name"
  "$@"
  log "$name: $((SECONDS - start)) s"
}

# The app as create-app makes it, made once per create-app version and committed to a
# git repository of its own; each run resets its files to that commit and reuses its
# node_modules (copying them costs minutes on a busy machine).
created_app() {
  local version
  version="$(npm view @backstage/create-app version)"
  APP="$CACHE_ROOT/create-app-$version$LEGACY"
  # create-app makes its own git repository, so only the commit below says a past run finished.
  if [ "$(git -C "$APP" log -1 --format=%s 2>/dev/null)" != "as create-app $version made it" ]; then
    rm -rf "$APP"
    mkdir -p "$CACHE_ROOT"
    log "Creating an app with @backstage/create-app@$version (kept in $APP)"
    # A new app writes its yarn.lock: with CI=true Yarn would refuse that (immutable installs) and create-app fail.
    printf 'fresh-app\n' | YARN_ENABLE_IMMUTABLE_INSTALLS=false npx --yes "@backstage/create-app@$version" --path "$APP" ${LEGACY:+--legacy} \
      >"$CACHE_ROOT/create-app$LEGACY.log" 2>&1 || { tail -40 "$CACHE_ROOT/create-app$LEGACY.log" >&2; return 1; }
    # create-app cannot fetch its yarn.lock seed here, so it resolves the newest version in each range, and the
    # signals backend then needs the newest backend-defaults (ENVIRONMENT.md).
    (cd "$APP/packages/backend" && YARN_ENABLE_IMMUTABLE_INSTALLS=false yarn add @backstage/backend-defaults@latest >"$CACHE_ROOT/backend-defaults.log" 2>&1) ||
      { tail -40 "$CACHE_ROOT/backend-defaults.log" >&2; return 1; }
    git -C "$APP" init -q
    git -C "$APP" add -A
    git -C "$APP" -c user.name=fresh-app -c user.email=fresh-app@localhost commit -qm "as create-app $version made it"
  fi
  log "create-app $version in $APP"
  git -C "$APP" reset -q --hard
  git -C "$APP" clean -qfd
}

# Builds and packs every published package; fails on a tarball without its
# built entry point or with a workspace: range left in.
pack_plugins() {
  rm -rf "$TARBALLS" && mkdir -p "$TARBALLS"
  # The packages' .d.ts files come from tsc's output; its errors are the type-check step's to report.
  yarn tsc >"$RUN_DIR/tsc.log" 2>&1 || log "tsc reported errors (see $RUN_DIR/tsc.log); packing the declarations it wrote"
  local dir name
  for dir in plugins/ai-platform-common plugins/ai-platform-scheduler plugins/ai-platform-node \
    plugins/ai-platform-backend plugins/catalog-backend-module-ai-platform \
    plugins/scaffolder-backend-module-ai-platform plugins/ai-platform packages/kube-sim; do
    name="$(node -p "require('./$dir/package.json').name")"
    (cd "$dir" && yarn backstage-cli package build && yarn pack --out "$TARBALLS/%s.tgz") >"$RUN_DIR/pack.log" 2>&1 ||
      { tail -40 "$RUN_DIR/pack.log" >&2; return 1; }
    local tarball="$TARBALLS/${name/\//-}.tgz"
    tar xzf "$tarball" -O package/package.json | node -e '
      const pkg = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const left = Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies }).filter(([, r]) => r.startsWith("workspace:"));
      if (left.length) throw new Error(`${pkg.name}: workspace ranges left in the tarball: ${left.map(e => e.join("@"))}`);
      if (!/^\.?\/?dist\//.test(pkg.main)) throw new Error(`${pkg.name}: main is ${pkg.main}, not in dist/`);'
    tar tzf "$tarball" >"$RUN_DIR/tarball-files.txt"
    grep -qE '^package/dist/index\.(cjs|esm)\.js$' "$RUN_DIR/tarball-files.txt" || { echo "$tarball has no dist/index" >&2; return 1; }
  done
  # Each run publishes a new patch release of the same minor, so Yarn's cache and the app's node_modules
  # cannot hand back an earlier run's package under the same version.
  local release tarball
  release="$(node -p "require('./plugins/ai-platform-common/package.json').version.replace(/\\.\\d+$/, '')").$(date +%s)"
  for tarball in "$TARBALLS"/*.tgz; do
    rm -rf "$RUN_DIR/repack" && mkdir -p "$RUN_DIR/repack"
    tar xzf "$tarball" -C "$RUN_DIR/repack"
    node -e '
      const fs = require("fs");
      const [file, version] = process.argv.slice(1);
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), version }, null, 2) + "\n");
    ' "$RUN_DIR/repack/package/package.json" "$release"
    tar czf "$tarball" -C "$RUN_DIR/repack" package
  done
  log "packed as $release"
  ls -l "$TARBALLS" >&2
}

# The tarballs, served by a registry on loopback for the @ai-platform scope, stand in for
# the npm registry. The age gate line is the one the guide gives for fresh releases.
serve_tarballs_as_registry() {
  node "$REPO_ROOT/scripts/lib/tarball-registry.mjs" "$TARBALLS" "$REGISTRY_PORT" >"$RUN_DIR/registry.log" 2>&1 &
  REGISTRY_PID=$!
  wait_for_url "http://localhost:$REGISTRY_PORT/@ai-platform/scheduler" 30 "$RUN_DIR/registry.log"
  cat >>"$APP/.yarnrc.yml" <<EOF
npmScopes:
  ai-platform:
    npmRegistryServer: 'http://localhost:$REGISTRY_PORT'
unsafeHttpWhitelist: [localhost]
EOF
  local approve
  approve="$(guide_lines "  - '@ai-platform/*'")"
  [ -n "$approve" ] || { echo "the guide has no npmPreapprovedPackages line for @ai-platform" >&2; return 1; }
  awk -v approve="$approve" '{ print } /^  - .@backstage\/\*.$/ { print approve }' "$APP/.yarnrc.yml" >"$RUN_DIR/yarnrc.yml"
  mv "$RUN_DIR/yarnrc.yml" "$APP/.yarnrc.yml"
}

# Lines of the guide's code blocks that start with $1.
guide_lines() {
  awk -v prefix="$1" '/^```/ { inside = !inside; next } inside && index($0, prefix) == 1' "$GUIDE"
}

install_as_the_guide_says() {
  local line
  while read -r line; do
    log "$line"
    (cd "$APP" && eval "$line") || return 1
  done < <(guide_lines 'yarn --cwd packages/')
  local index="$APP/packages/backend/src/index.ts"
  guide_lines "backend.add(import('" >"$RUN_DIR/backend-lines.ts"
  [ -s "$RUN_DIR/backend-lines.ts" ] || { echo "no backend.add lines in $GUIDE" >&2; return 1; }
  node -e '
    const fs = require("fs");
    const [index, lines] = process.argv.slice(1);
    const source = fs.readFileSync(index, "utf8");
    if (!source.includes("backend.start();")) throw new Error(`${index} has no backend.start()`);
    fs.writeFileSync(index, source.replace("backend.start();", `${fs.readFileSync(lines, "utf8")}\nbackend.start();`));
  ' "$index" "$RUN_DIR/backend-lines.ts"
}

# The guide's configuration (the first yaml block of its section 4), the guest's team from
# "Teams are groups", then kube-sim's clusters in place of the guide's example cluster.
write_config() {
  awk '/^## 4\./ { section = 1 } /^## 5\./ { section = 0 }
       section && /^```yaml/ && !done { inside = 1; next }
       inside && /^```/ { inside = 0; done = 1 }
       inside' "$GUIDE" >"$APP/app-config.guide.yaml"
  awk '/^```yaml/ { block = "" ; inside = 1; next } inside && /^```/ { inside = 0; if (block ~ /ownershipEntityRefs/) printf "%s", block; next }
       inside { block = block $0 "\n" }' "$GUIDE" >"$APP/app-config.guest.yaml"
  [ -s "$APP/app-config.guide.yaml" ] && [ -s "$APP/app-config.guest.yaml" ] ||
    { echo "could not find the configuration blocks in $GUIDE" >&2; return 1; }
  cat >"$APP/app-config.fresh-app-test.yaml" <<EOF
# Only what differs in this test: the ports (the dev instance has 3000 and 7007) and the built app served by the backend.
app:
  baseUrl: http://localhost:$PORT
backend:
  baseUrl: http://localhost:$PORT
  listen:
    port: $PORT
  cors:
    origin: http://localhost:$PORT
EOF
}

start_backend() {
  local log="$RUN_DIR/backend.log"
  (cd "$APP/packages/backend" && GPU_EAST_TOKEN=unused GPU_EAST_CA_DATA=unused exec yarn start \
    --config ../../app-config.yaml --config ../../app-config.guide.yaml --config ../../app-config.guest.yaml \
    "${AIP_DEV_CONFIG_ARGS[@]:2}" --config ../../app-config.fresh-app-test.yaml) >"$log" 2>&1 &
  BACKEND_PID=$!
  wait_for_url "http://localhost:$PORT/.backstage/health/v1/readiness" 300 "$log"
}

ensure_debian_packages chromium
mkdir -p "$RUN_DIR"
timed "fresh app from create-app" created_app
timed "build and pack the plugin set" pack_plugins
serve_tarballs_as_registry
timed "install as docs/install.md says" install_as_the_guide_says
[ -z "$LEGACY" ] || node "$REPO_ROOT/scripts/lib/legacy-wiring.mjs" "$GUIDE" "$APP"
timed "type-check the app (yarn tsc)" bash -c "cd '$APP' && yarn tsc"
timed "build the app" bash -c "cd '$APP' && yarn --cwd packages/app build >'$RUN_DIR/app-build.log' 2>&1 || { tail -40 '$RUN_DIR/app-build.log' >&2; exit 1; }"
write_config
# Once seen on a busy machine: kube-sim gone within a second, with an empty log; a second start worked.
kube_sim_start || { log "kube-sim did not start; starting it once more"; kube_sim_start; }
timed "start the backend against kube-sim" start_backend
log "browser checks (Debian's Chromium)"
rc=0
PLAYWRIGHT_URL="http://localhost:$PORT" yarn playwright test --config "$REPO_ROOT/e2e-fresh-app/playwright.config.ts" || rc=$?
log "fresh-app test took $((SECONDS - started)) s"
exit $rc
