#!/usr/bin/env bash
# Packages examples/chart-repo/metallb as versions 0.13.9, 0.13.10 and 0.14.0 into a chart repository directory
# (metallb-VERSION.tgz + index.yaml in Helm's format, digests included) — what `helm package` + `helm repo index`
# would write, without helm. Serve the directory over HTTP and point an Application at it (README.md).
#
#   examples/chart-repo/publish.sh OUTDIR [VERSION ...]
set -euo pipefail
out=${1:?usage: $0 OUTDIR [VERSION ...]}
shift
versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(0.13.9 0.13.10 0.14.0)
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

index="apiVersion: v1
entries:
  metallb:"
for version in "${versions[@]}"; do
  rm -rf "$work/metallb"
  cp -r "$here/metallb" "$work/metallb"
  sed -i "s/^version: .*/version: $version/" "$work/metallb/Chart.yaml"
  # Fixed owner and mtime: the same version packs to the same bytes, hence the same digest.
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2024-01-01 00:00Z' -C "$work" -cf - metallb \
    | gzip -n > "$out/metallb-$version.tgz"
  digest=$(sha256sum "$out/metallb-$version.tgz" | cut -d' ' -f1)
  index+="
  - apiVersion: v2
    appVersion: v0.8.3
    created: \"2024-01-01T00:00:00Z\"
    description: Layer-2 load balancer for bare-metal clusters (example chart)
    digest: $digest
    name: metallb
    type: application
    urls:
    - metallb-$version.tgz
    version: $version"
done
printf '%s\ngenerated: "2024-01-01T00:00:00Z"\n' "$index" > "$out/index.yaml"
echo "$out"
