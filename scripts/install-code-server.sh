#!/usr/bin/env bash
# Installs code-server 4.106.3 (VS Code 1.106.3 in the browser) and the Node 22 it runs on,
# with nothing but the npm registry and Debian's packages. Its own postinstall downloads
# ripgrep and refuses to run as root, and lib/vscode pins @parcel/watcher to a GitHub
# commit, so the install is done step by step. Idempotent: a finished install is reused.
#   PATCHBAY_CODE_SERVER_DIR   where to install (default .tools/code-server-4.106.3)
#   PATCHBAY_NODE22_DIR        where Node 22 is (installed there when missing; default .tools/node-22)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${PATCHBAY_CODE_SERVER_DIR:-$root/.tools/code-server-4.106.3}"
node22="${PATCHBAY_NODE22_DIR:-$root/.tools/node-22}"
version="4.106.3"
marker="$target/.installed-$version"

PATCHBAY_NODE22_DIR="$node22" "$root/scripts/install-node22.sh"

if [ -f "$marker" ]; then
  echo "code-server $version already installed in $target"
  exit 0
fi

rg_bin="$(command -v rg || true)"
if [ -z "$rg_bin" ]; then
  echo "ripgrep (rg) is missing: install Debian's ripgrep package first" >&2
  exit 1
fi

# npm (and the node-gyp it starts) run on Node 22, and native modules build against its
# bundled headers instead of downloading them.
export PATH="$node22/bin:$PATH"
export npm_config_nodedir="$node22"
export npm_config_yes=true npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

mkdir -p "$target"
cd "$target"
[ -f package.json ] || echo '{ "name": "patchbay-code-server", "private": true }' > package.json

npm install --ignore-scripts "code-server@$version"
npm rebuild argon2

cs="$target/node_modules/code-server"
(
  cd "$cs/lib/vscode"
  # The GitHub pin of @parcel/watcher cannot be fetched here; the registry's 2.5.1 can.
  node -e '
    const fs = require("node:fs");
    const manifest = JSON.parse(fs.readFileSync("package.json", "utf8"));
    manifest.dependencies["@parcel/watcher"] = "2.5.1";
    fs.writeFileSync("package.json", JSON.stringify(manifest, null, 2) + "\n");
  '
  [ -f npm-shrinkwrap.json ] && mv npm-shrinkwrap.json npm-shrinkwrap.json.github-pins
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
