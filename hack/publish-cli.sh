#!/usr/bin/env bash
# Publishes the shipped `gitops` CLI: one Native AOT executable (no .NET runtime needed to run it).
# Usage: hack/publish-cli.sh [OUTPUT_DIR]   (default artifacts/gitops; the binary is OUTPUT_DIR/gitops)
# Takes 1–3 minutes on 2 cores the first time; an unchanged tree republishes in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/gitops}
bash hack/install-deps.sh
dotnet publish src/GitOps.Cli -c Release -o "$out" --nologo -v quiet >&2
# The published binary must start and answer (a broken native link fails here, not in the first real use).
"$out/gitops" --version >/dev/null
echo "$out/gitops"
