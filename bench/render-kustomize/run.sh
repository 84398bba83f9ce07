#!/usr/bin/env bash
# Times `gitops render` against `kubectl kustomize` on a generated large overlay (whole processes, hyperfine).
# Usage: bench/render-kustomize/run.sh [GITOPS_COMMAND]
#   GITOPS_COMMAND defaults to the Release-published CLI if present, else `dotnet <Debug gitops.dll>`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$here/generate.py" "$tmp"
# Render from inside the tree: without a git checkout, the CLI's boundary is the current directory.
cd "$tmp"
root="overlays/prod"
cli="${1:-}"
if [ -z "$cli" ]; then
  if [ -x "$repo/artifacts/gitops/gitops" ]; then cli="$repo/artifacts/gitops/gitops"
  else cli="dotnet $repo/src/GitOps.Cli/bin/Debug/net10.0/gitops.dll"; fi
fi
echo "resources: $(kubectl kustomize "$root" | grep -c '^kind:')"
# Same objects from both (order-insensitive, by value) before timing anything.
kubectl kustomize "$root" > "$tmp/kubectl.yaml"
$cli render "$root" > "$tmp/ours.yaml"
python3 - "$tmp/kubectl.yaml" "$tmp/ours.yaml" <<'PY'
import sys, yaml
def idx(p):
    return {(d['apiVersion'], d['kind'], d['metadata'].get('namespace'), d['metadata']['name']): d
            for d in yaml.safe_load_all(open(p)) if d}
a, b = idx(sys.argv[1]), idx(sys.argv[2])
print("outputs identical" if a == b else "OUTPUTS DIFFER"); sys.exit(0 if a == b else 1)
PY
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 2 --runs "${RUNS:-15}" --export-json "$tmp/h.json" \
    -n "kubectl kustomize" "kubectl kustomize $root" -n "gitops render" "$cli render $root" >/dev/null
  python3 - "$tmp/h.json" <<'PY'
import json, sys
r = {x['command']: x for x in json.load(open(sys.argv[1]))['results']}
k, g = r['kubectl kustomize']['median'], r['gitops render']['median']
print(f"kubectl kustomize median {k*1000:.0f} ms; gitops render median {g*1000:.0f} ms; ratio {k/g:.2f}x")
PY
else
  for c in "kubectl kustomize $root" "$cli render $root"; do
    /usr/bin/time -f "%e s  $c" bash -c "for i in 1 2 3 4 5; do $c >/dev/null; done"
  done
fi
