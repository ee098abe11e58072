#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 in the browser) without internet access
# beyond the npm registry. Its own postinstall downloads ripgrep and refuses to run as
# root, so the install is done step by step. Idempotent: a finished install is reused.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${PATCHBAY_CODE_SERVER_DIR:-$root/.tools/code-server}"
version="4.100.3"
marker="$target/.installed-$version"

if [ -f "$marker" ]; then
  echo "code-server $version already installed in $target"
  exit 0
fi

rg_bin="$(command -v rg || true)"
if [ -z "$rg_bin" ]; then
  echo "ripgrep (rg) is missing: install Debian's ripgrep package first" >&2
  exit 1
fi

mkdir -p "$target"
cd "$target"
[ -f package.json ] || echo '{ "name": "patchbay-code-server", "private": true }' > package.json

export npm_config_yes=true npm_config_loglevel=error npm_config_fund=false npm_config_audit=false
npm install --ignore-scripts "code-server@$version"
npm rebuild argon2

cs="$target/node_modules/code-server"
(
  cd "$cs/lib/vscode"
  npm install --omit=dev --ignore-scripts
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$rg_bin" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild
  ln -sfn node_modules node_modules.asar
)
(cd "$cs/lib/vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$cs/lib/vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
(cd "$cs/lib/vscode/extensions" && npm install --omit=dev)

touch "$marker"
echo "code-server $version installed in $target"
