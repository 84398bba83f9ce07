#!/usr/bin/env bash
# Times `gitops render` against `kubectl kustomize` as whole processes on two kustomizations, after checking
# that both produce the same objects:
#   large  a generated tree (generate.py): 501 objects, many overlay features
#   real   a real public install, e.g. Argo CD's HA install (70 objects, 2 MB), from a checkout you provide:
#          REAL_ROOT=/path/to/argo-cd [REAL_PATH=manifests/ha/cluster-install] (skipped when REAL_ROOT is unset)
# Usage: bench/render-kustomize/run.sh [GITOPS_COMMAND]   (RUNS=15 pairs by default)
#   GITOPS_COMMAND defaults to the published CLI (hack/publish-cli.sh → artifacts/gitops/gitops) if present,
#   else `dotnet <Release gitops.dll>` (the JIT build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cli="${1:-}"
if [ -z "$cli" ]; then
  if [ -x "$repo/artifacts/gitops/gitops" ]; then cli="$repo/artifacts/gitops/gitops"
  else cli="dotnet $repo/src/GitOps.Cli/bin/Release/net10.0/gitops.dll"; fi
fi
echo "gitops: $cli; kubectl: $(kubectl version --client 2>/dev/null | head -n1)"

bench() { # NAME DIR PATH — render from inside DIR: without a git checkout the CLI's boundary is the current directory
  echo "== $1: $3"
  (cd "$2" && kubectl kustomize "$3" > "$tmp/kubectl.yaml" && $cli render "$3" > "$tmp/ours.yaml")
  python3 "$here/measure.py" same "$tmp/kubectl.yaml" "$tmp/ours.yaml"
  python3 "$here/measure.py" time "${RUNS:-15}" "$2" "$cli render $3" "kubectl kustomize $3"
}

python3 "$here/generate.py" "$tmp/large"
bench large "$tmp/large" overlays/prod
if [ -n "${REAL_ROOT:-}" ]; then bench real "$REAL_ROOT" "${REAL_PATH:-manifests/ha/cluster-install}"
else echo "== real: skipped (set REAL_ROOT to a checkout of e.g. github.com/argoproj/argo-cd)"; fi
