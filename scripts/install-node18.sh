#!/usr/bin/env bash
# Node.js 18, the oldest Node the single-file verifier promises to run on, for its test: the npm
# package node@18 in a folder of its own (never the project's node_modules, whose Node is 24).
# Installs it when missing; prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/node18
bin="$dir/node_modules/node/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"offboard-node18","private":true,"allowScripts":{"node":true}}' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-save node@18 >/dev/null
fi
"$bin" --version >/dev/null
echo "$PWD/$bin"
