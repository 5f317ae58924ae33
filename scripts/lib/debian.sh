# Sourced: installs Debian packages the test and start commands need, only when missing.
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  printf '\033[1;34m==>\033[0m Installing Debian packages: %s\n' "${missing[*]}" >&2
  mkdir -p "$REPO_ROOT/.tools"
  (
    flock 9
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ) 9>"$REPO_ROOT/.tools/apt.lock"
}
