#!/usr/bin/env bash
# Fetches the Ollama release the desktop bundle ships as its sidecar, for each target
# triple, into src-tauri/binaries/ollama-<triple> (what `bundle.externalBin` expects).
#
# Run at packaging time, on a machine with internet access. CI does NOT run it (CI has no
# internet): bundles built there have no sidecar, and the app then uses an Ollama already
# installed on the machine, or the assistant's basic fallback.
#
# Usage: installers/fetch-ollama.sh [--version v0.13.0] [triple ...]
#   default triples: x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu
#                    x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin
# Then: npx @tauri-apps/cli build --config src-tauri/tauri.bundle-ollama.conf.json
#
# The Linux archive is ~1.6 GB (mostly GPU libraries); only the `ollama` binary (~32 MB)
# and its CPU runners are kept: a counter PC runs the model on its CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
version="v0.13.0"
if [[ "${1:-}" == "--version" ]]; then version="$2"; shift 2; fi
triples=("$@")
if ((${#triples[@]} == 0)); then
  triples=(x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin)
fi
echo "Fetching Ollama $version from github.com/ollama/ollama/releases (needs internet; not run in CI)."
out=src-tauri/binaries
resources=src-tauri/binaries/ollama-lib
mkdir -p "$out"
base="https://github.com/ollama/ollama/releases/download/$version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for triple in "${triples[@]}"; do
  case "$triple" in
    x86_64-unknown-linux-gnu)  asset=ollama-linux-amd64.tgz ;;
    aarch64-unknown-linux-gnu) asset=ollama-linux-arm64.tgz ;;
    x86_64-pc-windows-msvc)    asset=ollama-windows-amd64.zip ;;
    aarch64-apple-darwin|x86_64-apple-darwin) asset=ollama-darwin.tgz ;;
    *) echo "unknown target triple: $triple" >&2; exit 1 ;;
  esac
  echo "== $triple <- $asset"
  curl -fL --retry 3 -o "$work/$asset" "$base/$asset"
  # Verify against the release's published checksums.
  curl -fsSL -o "$work/sha256sum.txt" "$base/sha256sum.txt"
  (cd "$work" && grep " \./$asset\$\| $asset\$" sha256sum.txt | sed 's# \./# #' | sha256sum -c -)
  rm -rf "$work/x" && mkdir -p "$work/x"
  case "$asset" in
    *.tgz) tar -xzf "$work/$asset" -C "$work/x" ;;
    *.zip) unzip -q "$work/$asset" -d "$work/x" ;;
  esac
  suffix=""; [[ "$triple" == *windows* ]] && suffix=".exe"
  binary=$(find "$work/x" -type f -name "ollama$suffix" | head -n 1)
  [[ -n "$binary" ]] || { echo "no ollama binary in $asset" >&2; exit 1; }
  install -m 0755 "$binary" "$out/ollama-$triple$suffix"
  # CPU runner libraries only (GPU ones are most of the archive).
  if [[ -d "$work/x/lib/ollama" ]]; then
    mkdir -p "$resources/$triple"
    find "$work/x/lib/ollama" -maxdepth 1 -type f -name '*cpu*' -exec cp {} "$resources/$triple/" \;
  fi
  ls -la "$out/ollama-$triple$suffix"
done
echo "Done. Build with: npx @tauri-apps/cli build --config src-tauri/tauri.bundle-ollama.conf.json"
