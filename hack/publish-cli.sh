#!/usr/bin/env bash
# Publishes the shipped `gitops` CLI: a Native AOT executable (no .NET runtime needed; starts in ~20 ms, which is
# most of a small render — docs/benchmarks.md). Linking needs clang (or gcc) and zlib's headers (hack/install-deps.sh).
# Usage: hack/publish-cli.sh [--jit] [OUTPUT_DIR]   (default artifacts/gitops; the executable is OUTPUT_DIR/gitops)
# --jit publishes the framework-dependent build instead (needs the .NET 10 runtime; prints the same).
set -euo pipefail
cd "$(dirname "$0")/.."
aot=true
if [ "${1:-}" = "--jit" ]; then aot=false; shift; fi
out=${1:-artifacts/gitops}
bash hack/install-deps.sh
dotnet publish src/GitOps.Cli -c Release -o "$out" -p:GitOpsAot=$aot --nologo -v quiet >&2
# The published binary must start and answer (a broken native link fails here, not in the first real use).
"$out/gitops" --version >/dev/null
echo "$out/gitops"
