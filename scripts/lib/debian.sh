# Sourced: installs Debian packages the test and start commands need, only when missing.
# Each argument is a package, or package:command when what a step needs is the command: a machine
# may have the command from elsewhere (kubectl from a `kubectl` package, where installing Debian's
# kubernetes-client would fail in dpkg), and then nothing is installed for it.
ensure_debian_packages() {
  local missing=()
  for want in "$@"; do
    local pkg="${want%%:*}" cmd=""
    [ "$pkg" != "$want" ] && cmd="${want#*:}"
    if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then continue; fi
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
