#!/usr/bin/env bash
# Installs what the real-VS-Code tests need and a fresh Debian machine lacks: Debian's
# Chromium and ripgrep (plus the compiler and headers code-server's native modules build
# with), then Node 22 and code-server 4.106.3 from the npm registry. Does nothing for what
# is already there.
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
