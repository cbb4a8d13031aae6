#!/usr/bin/env bash
# roster check vs ripgrep on a generated newsroom workspace (issue 5).
# Usage: benches/check_vs_rg.sh [PEOPLE] [ARTICLES] [OUT]
# Needs ripgrep and hyperfine: installed with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rg >/dev/null 2>&1 || ! command -v hyperfine >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep hyperfine >/dev/null
  fi
fi
command -v rg >/dev/null 2>&1 || { echo "ripgrep is not installed" >&2; exit 1; }
command -v hyperfine >/dev/null 2>&1 || { echo "hyperfine is not installed" >&2; exit 1; }
people=${1:-10000}
articles=${2:-100000}
out=${3:-/tmp/roster-bench-$people-$articles}
cargo build --release --quiet --bin roster --example gen_workspace
if [ ! -f "$out/names.txt" ]; then
  ./target/release/examples/gen_workspace "$out" --people "$people" --articles "$articles"
fi
roster=$(pwd)/target/release/roster
cd "$out"
du -sh articles people
hyperfine --runs 5 --warmup 1 -i \
  'rg -c -F -f names.txt articles/' \
  "$roster check --workspace . --format text"
