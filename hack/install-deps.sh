#!/usr/bin/env bash
# Debian packages the tests and the demo need beyond the .NET SDK (the control plane's own needs are
# installed by hack/local-cluster.sh). Idempotent and quiet when everything is present.
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
command -v flock >/dev/null || need+=(util-linux)
command -v curl >/dev/null || need+=(curl)
command -v jq >/dev/null || need+=(jq)
command -v lighttpd >/dev/null || need+=(lighttpd)
# The web UI (ui/) is built with node + npm when the controller builds; its browser tests drive Debian's chromium.
command -v npm >/dev/null || need+=(nodejs npm)
command -v chromium >/dev/null || need+=(chromium)
# Native AOT publishing of the CLI (hack/publish-cli.sh --aot) links with the system toolchain: clang (or gcc) and zlib.
command -v clang >/dev/null || command -v gcc >/dev/null || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
# OCI chart registries in tests: Debian's distribution 2.8 registry on loopback, htpasswd (bcrypt) for its auth.
command -v docker-registry >/dev/null || [ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "[install-deps] installing: ${need[*]}" >&2
  run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  run env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
