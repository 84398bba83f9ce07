#!/usr/bin/env bash
# The demo (README's first command). Until the controller lands, it brings up the local control plane
# and shows it working; the full story (sync, self-heal, pause, rollback) is added as the pieces land.
set -euo pipefail
cd "$(dirname "$0")/.."
bash hack/install-deps.sh
kubeconfig=$(bash hack/local-cluster.sh up | tail -n 1)
echo "== control plane up; kubeconfig: $kubeconfig"
KUBECONFIG=$kubeconfig kubectl get --raw /version
KUBECONFIG=$kubeconfig kubectl get namespaces
echo "== demo stub: the controller and CLI story are not wired yet (see README 'What works today')"
