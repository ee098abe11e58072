#!/usr/bin/env bash
# Installs what the real-VS-Code tests need and a fresh Debian machine lacks: Debian's
# Chromium and ripgrep (plus the compiler and headers code-server's native modules build
# with), then from the npm registry the two VS Code releases the tests run in: the oldest
# Patchbay supports (code-server 4.106.3 = VS Code 1.106.3, on Node 22.21.1; every end-to-end
# test) and the newest (code-server 4.139.1 = VS Code 1.139.1, on Node 24.21.0; the
# extension-host suite). Does nothing for what is already there.
#   PATCHBAY_CODE_SERVER_DIR, PATCHBAY_NODE22_DIR                where the oldest goes
#   PATCHBAY_NEWEST_CODE_SERVER_DIR, PATCHBAY_NODE24_DIR         where the newest goes
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

packages=(g++ make python3 libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev ripgrep chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo_cmd=(sudo); else
      echo "missing Debian packages (${missing[*]}) and no root: run 'sudo apt-get install ${missing[*]}'" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$root/scripts/install-code-server.sh"
# The newest release: test/e2e/support/codeServer.ts (newestRelease) names the same versions.
node24="${PATCHBAY_NODE24_DIR:-$root/.tools/node-24}"
"$root/scripts/install-node.sh" 24.21.0 "$node24"
"$root/scripts/install-code-server.sh" 4.139.1 "$node24" "${PATCHBAY_NEWEST_CODE_SERVER_DIR:-$root/.tools/code-server-4.139.1}"
