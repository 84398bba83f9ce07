#!/usr/bin/env bash
# Publishes the shipped `gitops` CLI (framework-dependent: needs the .NET 10 runtime).
# Usage: hack/publish-cli.sh [--aot] [OUTPUT_DIR]   (default artifacts/gitops; the executable is OUTPUT_DIR/gitops)
# --aot publishes the Native AOT build instead: 7-14x kubectl on renders (docs/benchmarks.md), but `gitops preview`
# does not work in it (LibGit2Sharp marshals strings with ICustomMarshaler, which Native AOT does not support), so it
# is not what ships until preview's git access is AOT-safe.
set -euo pipefail
cd "$(dirname "$0")/.."
aot=false
if [ "${1:-}" = "--aot" ]; then aot=true; shift; fi
out=${1:-artifacts/gitops}
bash hack/install-deps.sh
dotnet publish src/GitOps.Cli -c Release -o "$out" -p:GitOpsAot=$aot --nologo -v quiet >&2
# The published binary must start and answer (a broken native link fails here, not in the first real use).
"$out/gitops" --version >/dev/null
echo "$out/gitops"
