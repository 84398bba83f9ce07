#!/usr/bin/env bash
# The demo (README's first command): a local control plane, a simulated node (docs/node-simulator.md), a git
# server with the examples, the controller syncing them, and the `gitops` CLI telling the story — sync, Healthy
# with real replicas, a commit applied, a live edit self-healed, pause/resume, a bad image rolled back by a
# revert commit, history. Fails loudly if a step does not hold.
#
#   hack/demo.sh          run the demo (leaves the controller and the node simulator running)
#   hack/demo.sh stop     stop the demo's controller, node simulator and git server
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO=${GITOPS_DEMO_DIR:-$HOME/.local/state/gitops-demo}
GRPC=127.0.0.1:9090
HTTP=127.0.0.1:8080
WEBHOOK_SECRET=demo-webhook-secret
# The simulated node drives the demo's namespaces only: tests sharing the cluster keep their Pending Pods.
SIM_NAMESPACES=${GITOPS_DEMO_SIM_NAMESPACES:-demo-nginx,echo-ip-dev,demo-helm}
export GIT_HTTP_USER=gitops GIT_HTTP_PASSWORD=demo-password

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
fail() { printf '\n\033[31mDEMO FAILED: %s\033[0m\n(controller log: %s)\n' "$*" "$DEMO/controller.log" >&2; exit 1; }

stop() {
  if [ -f "$DEMO/controller.pid" ] && kill -0 "$(cat "$DEMO/controller.pid")" 2>/dev/null; then
    kill "$(cat "$DEMO/controller.pid")" && echo "controller stopped"
  fi
  rm -f "$DEMO/controller.pid"
  if [ -f "$DEMO/charts.pid" ] && kill -0 "$(cat "$DEMO/charts.pid")" 2>/dev/null; then kill "$(cat "$DEMO/charts.pid")"; fi
  rm -f "$DEMO/charts.pid"
  [ -d "$DEMO/git" ] && bash hack/git-http-server.sh stop "$DEMO/git" 2>/dev/null || true
  bash hack/node-sim.sh down 2>/dev/null || true
}
if [ "${1:-}" = stop ]; then stop; exit 0; fi

started=$SECONDS
step "1. Local Kubernetes control plane (kube-apiserver + etcd + kube-controller-manager 1.20)"
bash hack/install-deps.sh
KUBECONFIG=$(bash hack/local-cluster.sh up | tail -n 1)
export KUBECONFIG
say "kubeconfig: $KUBECONFIG"

step "2. Build the controller, publish the CLI; start a simulated node (no kubelet here: it binds Pods and reports them Running)"
stop >/dev/null 2>&1 || true
dotnet build src/GitOps.Controller -c Release --nologo -v quiet >/dev/null
GITOPS_BIN=$ROOT/$(bash hack/publish-cli.sh) || fail "publishing the CLI failed"  # the shipped CLI
bash hack/node-sim.sh up --namespace "$SIM_NAMESPACES" || fail "the node simulator did not start"
kubectl get nodes -l sim.gitops.dev/node=true
CONTROLLER="dotnet $ROOT/src/GitOps.Controller/bin/Release/net10.0/gitops-controller.dll"
gitops() { "$GITOPS_BIN" --server "$GRPC" "$@"; }

step "3. A git server (smart HTTP, basic auth) holding the examples"
[ -d "$DEMO/git" ] && bash hack/git-http-server.sh stop "$DEMO/git" 2>/dev/null || true
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

# The seeds' MetalLB story: a chart from a Helm chart repository (three versions, index.yaml), served over HTTP.
CHARTS_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CHARTS=http://127.0.0.1:$CHARTS_PORT/charts
bash examples/chart-repo/publish.sh "$DEMO/chart-repo/charts" >/dev/null
(cd "$DEMO/chart-repo" && setsid nohup python3 -m http.server "$CHARTS_PORT" --bind 127.0.0.1 >"$DEMO/charts.log" 2>&1 </dev/null &
  echo $! >"$DEMO/charts.pid")
say "chart repository: $CHARTS (metallb 0.13.9, 0.13.10, 0.14.0)"

step "4. The controller, following four applications (plain YAML, Kustomize overlay, Helm chart in git, chart from a chart repository)"
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
---
apiVersion: gitops.dev/v1alpha1
kind: Application
metadata: {name: metallb}
spec:
  source:
    repoURL: $CHARTS
    chart: metallb
    targetRevision: "0.13.*"
    helm:
      parameters:
        - {name: controller.tag, value: v0.8.3}
        - {name: configmap.ipRange, value: 192.168.1.11-192.168.1.49}
  destination: {namespace: metallb-system}
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

for app in rollout-nginx echo-ip-dev helm-echo metallb; do
  gitops app wait "$app" --sync --timeout 120s >/dev/null 2>&1 || fail "$app did not sync"
done
gitops app list

step "4b. The chart from the chart repository: installed with parameters, upgraded by widening its version range"
say "what the controller applies, as \`helm template --repo\` would print it:"
gitops render --repo "$CHARTS" metallb --version '0.13.*' --set controller.tag=v0.8.3 \
  --set configmap.ipRange=192.168.1.11-192.168.1.49 -n metallb-system | grep -E '^kind:|^  name:|image:|192\.168' | sed 's/^/     /'
gitops app get metallb | grep -E '^(Source|Chart):' | sed 's/^/   /'
gitops app get metallb | grep -q '^Chart:       metallb 0.13.10' || fail "metallb is not at 0.13.10 (the highest 0.13.*)"
sed -i 's/targetRevision: "0.13.\*"/targetRevision: "0.14.*"/' "$DEMO/applications.yaml"
say "targetRevision 0.13.* → 0.14.* (in a real setup the Application is in git; here the controller's applications file)"
for _ in $(seq 1 150); do gitops app get metallb 2>/dev/null | grep -q '^Chart:       metallb 0.14.0' && break; sleep 0.4; done
gitops app wait metallb --sync --timeout 60s >/dev/null 2>&1 || fail "metallb did not sync after the upgrade"
gitops app get metallb | grep -q '^Chart:       metallb 0.14.0' || fail "metallb was not upgraded to 0.14.0"
gitops app get metallb | grep -E '^(Chart|Sync):' | sed 's/^/   /'

step "5. The simulated node runs their Pods: the apps become Healthy with real replicas"
for app in rollout-nginx echo-ip-dev helm-echo; do
  gitops app wait "$app" --sync --health --timeout 180s >/dev/null 2>&1 || fail "$app did not become Synced/Healthy"
done
gitops app list
ready() { kubectl -n demo-nginx get deploy rollout-nginx -o jsonpath='{.status.readyReplicas}'; }
[ "$(ready)" = 3 ] || fail "rollout-nginx has $(ready) ready replicas, not 3"
kubectl -n demo-nginx get pods -o wide

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
for _ in $(seq 1 100); do [ "$(replicas)" = 3 ] && break; sleep 0.2; done
[ "$(replicas)" = 3 ] || fail "the live edit was not self-healed"
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

step "10. A bad commit ships an image that cannot be pulled; roll it back by reverting it in git"
# "unpullable" in the tag is the simulator's rule for an image that never pulls (docs/node-simulator.md).
sed -i 's/nginx:1.17.0/nginx:1.17.0-unpullable/' "$DEMO/work/rollout-nginx/deployment.yaml"
G commit -qam "rollout-nginx: bump nginx (bad tag)" && G push -q origin main
gitops app refresh rollout-nginx >/dev/null
for _ in $(seq 1 50); do [ "$(image)" = nginx:1.17.0-unpullable ] && break; sleep 0.2; done
say "live image: $(image)  <- bad"
backoff() { kubectl -n demo-nginx get pods -o jsonpath='{.items[*].status.containerStatuses[*].state.waiting.reason}'; }
for _ in $(seq 1 150); do [[ "$(backoff)" == *ImagePullBackOff* ]] && break; sleep 0.2; done
[[ "$(backoff)" == *ImagePullBackOff* ]] || fail "the bad image did not fail to pull"
kubectl -n demo-nginx get pods
gitops app list
gitops app rollback rollout-nginx
for _ in $(seq 1 100); do [ "$(image)" = nginx:1.17.0 ] && break; sleep 0.2; done
[ "$(image)" = nginx:1.17.0 ] || fail "the rollback was not applied"
gitops app wait rollout-nginx --health --timeout 180s >/dev/null 2>&1 || fail "rollout-nginx did not become Healthy after the rollback"
[ "$(ready)" = 3 ] || fail "rollout-nginx has $(ready) ready replicas after the rollback, not 3"
say "live image: $(image), $(ready) ready replicas; git log of the repository:"
G pull -q origin main 2>/dev/null
G log --format='     %h %s' -5

step "11. History"
gitops app history rollout-nginx
gitops app list

printf '\n\033[32mDemo complete in %d s.\033[0m The controller and the node simulator keep running (gRPC %s, HTTP %s).\n' $((SECONDS - started)) "$GRPC" "$HTTP"
echo "  Web UI: http://$HTTP/   (the same steps from the page)"
echo "  Try: artifacts/gitops/gitops app get rollout-nginx"
echo "  Stop it: hack/demo.sh stop   (and the control plane: hack/local-cluster.sh down)"
