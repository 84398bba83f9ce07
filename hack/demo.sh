#!/usr/bin/env bash
# The demo (README's first command): a local control plane, a git server with the examples, the controller
# syncing them, and the `gitops` CLI telling the story — sync, a commit applied, a live edit self-healed,
# pause/resume, a bad commit rolled back by a revert commit, history. Fails loudly if a step does not hold.
#
#   hack/demo.sh          run the demo (leaves the controller running)
#   hack/demo.sh stop     stop the demo's controller and git server
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO=${GITOPS_DEMO_DIR:-$HOME/.local/state/gitops-demo}
GRPC=127.0.0.1:9090
HTTP=127.0.0.1:8080
WEBHOOK_SECRET=demo-webhook-secret
export GIT_HTTP_USER=gitops GIT_HTTP_PASSWORD=demo-password

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
fail() { printf '\n\033[31mDEMO FAILED: %s\033[0m\n(controller log: %s)\n' "$*" "$DEMO/controller.log" >&2; exit 1; }

stop() {
  if [ -f "$DEMO/controller.pid" ] && kill -0 "$(cat "$DEMO/controller.pid")" 2>/dev/null; then
    kill "$(cat "$DEMO/controller.pid")" && echo "controller stopped"
  fi
  rm -f "$DEMO/controller.pid"
  [ -d "$DEMO/git" ] && bash hack/git-http-server.sh stop "$DEMO/git" 2>/dev/null || true
}
if [ "${1:-}" = stop ]; then stop; exit 0; fi

started=$SECONDS
step "1. Local Kubernetes control plane (kube-apiserver + etcd + kube-controller-manager 1.20)"
bash hack/install-deps.sh
KUBECONFIG=$(bash hack/local-cluster.sh up | tail -n 1)
export KUBECONFIG
say "kubeconfig: $KUBECONFIG"

step "2. Build the controller and the CLI"
dotnet build src/GitOps.Controller -c Release --nologo -v quiet >/dev/null
dotnet build src/GitOps.Cli -c Release --nologo -v quiet >/dev/null
CONTROLLER="dotnet $ROOT/src/GitOps.Controller/bin/Release/net10.0/gitops-controller.dll"
gitops() { dotnet "$ROOT/src/GitOps.Cli/bin/Release/net10.0/gitops.dll" --server "$GRPC" "$@"; }

step "3. A git server (smart HTTP, basic auth) holding the examples"
stop >/dev/null 2>&1 || true
rm -rf "$DEMO"; mkdir -p "$DEMO/git"
git init -q --bare -b main "$DEMO/git/examples.git"
git -C "$DEMO/git/examples.git" config http.receivepack true
BASE=$(bash hack/git-http-server.sh start "$DEMO/git" | tail -n 1)
REPO="$BASE/examples.git"
AUTH_REPO="${REPO/http:\/\//http://$GIT_HTTP_USER:$GIT_HTTP_PASSWORD@}"
echo "$AUTH_REPO" >"$DEMO/git-credentials"; chmod 600 "$DEMO/git-credentials"
git clone -q "$AUTH_REPO" "$DEMO/work" 2>/dev/null
cp -r examples/rollout-nginx examples/echo-ip examples/helm-echo "$DEMO/work/"
G() { git -C "$DEMO/work" -c user.name="Demo Dev" -c user.email=dev@example.com "$@"; }
G add -A && G commit -qm "Add rollout-nginx, echo-ip and helm-echo" && G push -q origin main
say "repository: $REPO"

step "4. The controller, following three applications (plain YAML, Kustomize overlay, Helm chart)"
cat >"$DEMO/applications.yaml" <<EOF
apiVersion: gitops.dev/v1alpha1
kind: Application
metadata: {name: rollout-nginx}
spec:
  source: {repoURL: $REPO, targetRevision: main, path: rollout-nginx}
  destination: {namespace: demo-nginx}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true]
---
apiVersion: gitops.dev/v1alpha1
kind: Application
metadata: {name: echo-ip-dev}
spec:
  source: {repoURL: $REPO, targetRevision: main, path: echo-ip/overlays/dev}
  destination: {namespace: echo-ip-dev}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true]
---
apiVersion: gitops.dev/v1alpha1
kind: Application
metadata: {name: helm-echo}
spec:
  source:
    repoURL: $REPO
    targetRevision: main
    path: helm-echo
    helm: {valueFiles: [values-dev.yaml]}
  destination: {namespace: demo-helm}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true]
EOF
# Webhook secret through the environment (GITOPS_ prefix maps onto configuration keys).
GITOPS_Webhooks__GogsSecret=$WEBHOOK_SECRET setsid nohup $CONTROLLER --applications "$DEMO/applications.yaml" \
  --state-dir "$DEMO/state" --cache-dir "$DEMO/cache" --kubeconfig "$KUBECONFIG" --git-credentials "$DEMO/git-credentials" \
  --grpc-listen "$GRPC" --http-listen "$HTTP" --interval 00:01:00 >"$DEMO/controller.log" 2>&1 </dev/null &
echo $! >"$DEMO/controller.pid"
say "controller pid $(cat "$DEMO/controller.pid"), log $DEMO/controller.log"
for _ in $(seq 1 100); do curl -fs "http://$HTTP/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "http://$HTTP/healthz" >/dev/null || fail "the controller did not start"
curl -fs "http://$HTTP/" | grep -q '<div id="app">' || fail "the web UI is not served at http://$HTTP/"

for app in rollout-nginx echo-ip-dev helm-echo; do
  gitops app wait "$app" --sync --timeout 120s >/dev/null 2>&1 || fail "$app did not sync"
done
gitops app list
say "(no kubelet here: Pods stay Pending, so Deployments with replicas > 0 report Progressing)"

step "5. A commit scales everything to 0 for this node-less cluster; the apps become Healthy"
sed -i 's/replicas: 3/replicas: 0/' "$DEMO/work/rollout-nginx/deployment.yaml"
sed -i 's/count: 1/count: 0/' "$DEMO/work/echo-ip/overlays/dev/kustomization.yaml"
sed -i 's/^replicaCount: .*/replicaCount: 0/' "$DEMO/work/helm-echo/values-dev.yaml"
grep -q '^replicaCount: 0' "$DEMO/work/helm-echo/values-dev.yaml" || echo "replicaCount: 0" >>"$DEMO/work/helm-echo/values-dev.yaml"
G commit -qam "Scale to 0: the demo cluster has no nodes" && G push -q origin main
for app in rollout-nginx echo-ip-dev helm-echo; do
  gitops app refresh "$app" >/dev/null
  gitops app wait "$app" --sync --health --timeout 120s >/dev/null 2>&1 || fail "$app did not become Synced/Healthy"
done
gitops app list

step "6. A commit changes rollout-nginx's image tag; a Gogs push webhook tells the controller"
sed -i 's/nginx:1.15.12/nginx:1.16.0/' "$DEMO/work/rollout-nginx/deployment.yaml"
G commit -qam "rollout-nginx: nginx 1.16.0" && G push -q origin main
sha=$(G rev-parse HEAD)
payload=$(printf '{"ref":"refs/heads/main","before":"0000000000000000000000000000000000000000","after":"%s","repository":{"html_url":"%s","clone_url":"%s"},"commits":[{"id":"%s","modified":["rollout-nginx/deployment.yaml"],"added":[],"removed":[]}]}' "$sha" "${REPO%.git}" "$REPO" "$sha")
signature=$(printf '%s' "$payload" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET" | sed 's/^.* //')
say "webhook: $(curl -fsS -X POST "http://$HTTP/api/webhook" -H 'Content-Type: application/json' -H 'X-Gogs-Event: push' -H "X-Gogs-Signature: $signature" --data "$payload")"
image() { kubectl -n demo-nginx get deploy rollout-nginx -o jsonpath='{.spec.template.spec.containers[0].image}'; }
for _ in $(seq 1 100); do [ "$(image)" = nginx:1.16.0 ] && break; sleep 0.2; done
[ "$(image)" = nginx:1.16.0 ] || fail "the new image tag was not applied"
say "live image: $(image)"

step "7. Someone edits the live Deployment; self-heal puts git's version back"
kubectl -n demo-nginx scale deploy rollout-nginx --replicas=5 >/dev/null
say "scaled to 5 by hand"
replicas() { kubectl -n demo-nginx get deploy rollout-nginx -o jsonpath='{.spec.replicas}'; }
for _ in $(seq 1 100); do [ "$(replicas)" = 0 ] && break; sleep 0.2; done
[ "$(replicas)" = 0 ] || fail "the live edit was not self-healed"
say "replicas back to $(replicas), as git says"

step "8. Pause: a new commit is compared but not applied"
gitops app pause rollout-nginx
sed -i 's/nginx:1.16.0/nginx:1.17.0/' "$DEMO/work/rollout-nginx/deployment.yaml"
G commit -qam "rollout-nginx: nginx 1.17.0" && G push -q origin main
gitops app refresh rollout-nginx
[ "$(image)" = nginx:1.16.0 ] || fail "a paused app was changed"
gitops app diff rollout-nginx || true

step "9. Resume: the commit is applied"
gitops app resume rollout-nginx
gitops app wait rollout-nginx --sync --timeout 60s >/dev/null || fail "resume did not sync"
for _ in $(seq 1 50); do [ "$(image)" = nginx:1.17.0 ] && break; sleep 0.2; done
[ "$(image)" = nginx:1.17.0 ] || fail "resume did not apply the commit"
say "live image: $(image)"

step "10. A bad commit ships; roll it back by reverting it in git"
sed -i 's/nginx:1.17.0/nginx:1.17.0-typo/' "$DEMO/work/rollout-nginx/deployment.yaml"
G commit -qam "rollout-nginx: bump nginx (bad tag)" && G push -q origin main
gitops app refresh rollout-nginx >/dev/null
for _ in $(seq 1 50); do [ "$(image)" = nginx:1.17.0-typo ] && break; sleep 0.2; done
say "live image: $(image)  <- bad"
gitops app rollback rollout-nginx
for _ in $(seq 1 100); do [ "$(image)" = nginx:1.17.0 ] && break; sleep 0.2; done
[ "$(image)" = nginx:1.17.0 ] || fail "the rollback was not applied"
say "live image: $(image); git log of the repository:"
G pull -q origin main 2>/dev/null
G log --format='     %h %s' -5

step "11. History"
gitops app history rollout-nginx
gitops app list

printf '\n\033[32mDemo complete in %d s.\033[0m The controller keeps running (gRPC %s, HTTP %s).\n' $((SECONDS - started)) "$GRPC" "$HTTP"
echo "  Web UI: http://$HTTP/   (the same steps from the page)"
echo "  Try: dotnet src/GitOps.Cli/bin/Release/net10.0/gitops.dll app get rollout-nginx"
echo "  Stop it: hack/demo.sh stop   (and the control plane: hack/local-cluster.sh down)"
