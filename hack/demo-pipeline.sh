#!/usr/bin/env bash
# The pipeline demo (docs/pipelines.md): the notes' delivery story with the sample app (examples/sample-app) on
# the local control plane and a simulated node (docs/node-simulator.md), told with the `gitops` CLI:
#   tag v1.0.0 → the canary syncs, soaks and passes its verification Job → prod waits for approval → approved →
#   promoted by a commit on env/prod; v1.1.0 ships an unpullable image → the canary goes Degraded → blocked;
#   v1.2.0 breaks only prod → approved, promoted, prod goes Degraded → autoRollback reverts the promotion in git →
#   prod back at v1.0.0, Healthy; the history shows it all. Runs unattended; fails loudly if a step does not hold.
#
#   hack/demo-pipeline.sh          run it (stops its controller, node simulator and git server at the end)
#   hack/demo-pipeline.sh --keep   leave them running afterwards (stop with: hack/demo-pipeline.sh stop)
#   hack/demo-pipeline.sh stop
#
# It keeps to its own state directory, ports, namespace (demo-sample) and simulated Node, so it can run beside
# hack/demo.sh and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO=${GITOPS_PIPELINE_DEMO_DIR:-$HOME/.local/state/gitops-demo-pipeline}
NS=demo-sample
ADMIN_TOKEN=demo-admin-token
ALICE_TOKEN=demo-alice-token
export GIT_HTTP_USER=gitops GIT_HTTP_PASSWORD=demo-password
export GITOPS_NODE_SIM_STATE=$DEMO/node-sim GITOPS_NODE_SIM_PREFIX=sim-pipeline-demo

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
fail() { printf '\n\033[31mDEMO FAILED: %s\033[0m\n(controller log: %s)\n' "$*" "$DEMO/controller.log" >&2; exit 1; }

stop() {
  if [ -f "$DEMO/controller.pid" ] && kill -0 "$(cat "$DEMO/controller.pid")" 2>/dev/null; then
    kill "$(cat "$DEMO/controller.pid")" && echo "controller stopped"
  fi
  rm -f "$DEMO/controller.pid"
  [ -d "$DEMO/git" ] && bash hack/git-http-server.sh stop "$DEMO/git" 2>/dev/null || true
  bash hack/node-sim.sh down 2>/dev/null || true
}
case "${1:-}" in
  stop) stop; exit 0 ;;
  --keep) KEEP=1 ;;
  "") KEEP=0 ;;
  *) echo "usage: $0 [--keep|stop]" >&2; exit 2 ;;
esac
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

started=$SECONDS
step "1. Local control plane, the controller and the CLI; a simulated node for namespace $NS"
bash hack/install-deps.sh
KUBECONFIG=$(bash hack/local-cluster.sh up | tail -n 1)
export KUBECONFIG
stop >/dev/null 2>&1 || true
[ "$KEEP" = 1 ] || trap 'stop >/dev/null 2>&1' EXIT
dotnet build src/GitOps.Controller -c Release --nologo -v quiet >/dev/null || fail "building the controller failed"
GITOPS_BIN=$ROOT/$(bash hack/publish-cli.sh) || fail "publishing the CLI failed"
kubectl delete namespace "$NS" --ignore-not-found --wait=true >/dev/null
bash hack/node-sim.sh up --namespace "$NS" || fail "the node simulator did not start"
kubectl get nodes -l sim.gitops.dev/node=true

step "2. A git server holding the sample app (frontend + backend; canary and prod overlays)"
[ -d "$DEMO/git" ] && bash hack/git-http-server.sh stop "$DEMO/git" 2>/dev/null || true
rm -rf "$DEMO"; mkdir -p "$DEMO/git"
git init -q --bare -b main "$DEMO/git/sample-app.git"
git -C "$DEMO/git/sample-app.git" config http.receivepack true
BASE=$(bash hack/git-http-server.sh start "$DEMO/git" | tail -n 1)
REPO="$BASE/sample-app.git"
AUTH_REPO="${REPO/http:\/\//http://$GIT_HTTP_USER:$GIT_HTTP_PASSWORD@}"
echo "$AUTH_REPO" >"$DEMO/git-credentials"; chmod 600 "$DEMO/git-credentials"
git clone -q "$AUTH_REPO" "$DEMO/work" 2>/dev/null
mkdir -p "$DEMO/work/examples" && cp -r examples/sample-app "$DEMO/work/examples/"
# A short progress deadline, so an image that never pulls turns the Deployment Degraded in 20 s, not 10 min.
for f in frontend backend; do
  sed -i 's/^  replicas: 1$/  replicas: 1\n  progressDeadlineSeconds: 20/' "$DEMO/work/examples/sample-app/k8s/base/$f.yaml"
done
# No load balancer answers on the local control plane (a LoadBalancer Service would stay Progressing): ClusterIP.
sed -i 's/type: LoadBalancer/type: ClusterIP/' "$DEMO/work/examples/sample-app/k8s/services/services.yaml"
G() { git -C "$DEMO/work" -c user.name="Demo Dev" -c user.email=dev@example.com "$@"; }
G add -A && G commit -qm "Add the sample app" && G push -q origin main
release() { G commit -q --allow-empty -am "$2" && G tag "$1" && G push -q origin main "$1"; say "tagged $1: $2"; }
tag_image() { sed -i "s/newTag: .*/newTag: \"$1\"/" "$DEMO/work/examples/sample-app/k8s/base/kustomization.yaml"; }
say "repository: $REPO"

step "3. Two applications and one pipeline: canary follows tags v*, prod follows env/prod (only promotions move it)"
# examples/sample-app/applications.yaml, with this repository and namespace.
for app in "canary:'v*':canary" "prod:env/prod:prod"; do
  IFS=: read -r name revision path <<<"$app"
  cat <<EOF
apiVersion: gitops.dev/v1alpha1
kind: Application
metadata: {name: sample-$name}
spec:
  source: {repoURL: $REPO, targetRevision: $revision, path: examples/sample-app/k8s/$path}
  destination: {namespace: $NS}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true]
---
EOF
done >"$DEMO/applications.yaml"
# examples/sample-app/pipeline.yaml with a 10 s soak instead of 2 min, and autoRollback on prod.
cat >"$DEMO/pipelines.yaml" <<'EOF'
apiVersion: gitops.dev/v1alpha1
kind: Pipeline
metadata:
  name: sample
spec:
  stages:
    - name: canary
      application: sample-canary
    - name: prod
      application: sample-prod
      autoRollback: {window: 10m}
      gates:
        requireHealthyFor: 10s
        verification:
          timeout: 5m
          job:
            backoffLimit: 0
            template:
              spec:
                restartPolicy: Never
                containers:
                  - name: smoke
                    image: curlimages/curl:8.10.1
                    command: ["sh", "-c", "curl -fsS http://sample-frontend-canary/ && curl -fsS http://sample-backend-canary:8080/version"]
                    env:   # what the simulated node prints for it (nothing really runs)
                      - {name: SIM_LOG, value: "GET http://sample-frontend-canary/ 200\nGET http://sample-backend-canary:8080/version 200\nsmoke test passed"}
        approval:
          required: true
EOF
cat >"$DEMO/tokens.yaml" <<EOF
tokens:
  - {name: admin, token: $ADMIN_TOKEN, role: admin}
  - {name: alice, token: $ALICE_TOKEN, role: approver, pipelines: [sample]}
EOF
GRPC=127.0.0.1:$(free_port); HTTP=127.0.0.1:$(free_port)
setsid nohup dotnet "$ROOT/src/GitOps.Controller/bin/Release/net10.0/gitops-controller.dll" \
  --applications "$DEMO/applications.yaml" --pipelines "$DEMO/pipelines.yaml" --tokens "$DEMO/tokens.yaml" \
  --state-dir "$DEMO/state" --cache-dir "$DEMO/cache" --kubeconfig "$KUBECONFIG" --git-credentials "$DEMO/git-credentials" \
  --grpc-listen "$GRPC" --http-listen "$HTTP" --interval 00:00:05 --pipeline-interval 00:00:02 \
  >"$DEMO/controller.log" 2>&1 </dev/null &
echo $! >"$DEMO/controller.pid"
for _ in $(seq 1 150); do curl -fs "http://$HTTP/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "http://$HTTP/healthz" >/dev/null || fail "the controller did not start"
say "controller pid $(cat "$DEMO/controller.pid"), gRPC $GRPC, log $DEMO/controller.log"
gitops() { "$GITOPS_BIN" --server "$GRPC" --token "$ADMIN_TOKEN" "$@"; }
as_alice() { "$GITOPS_BIN" --server "$GRPC" --token "$ALICE_TOKEN" "$@"; }

# stage NAME JQ: a field of a stage of `gitops pipeline get sample -o json`.
stage() { gitops pipeline get sample -o json | jq -r --arg s "$1" ".stages[] | select(.name == \$s) | $2"; }
# until_true SECONDS WHAT CMD...: poll CMD every second until it succeeds, or fail after SECONDS.
until_true() {
  local limit=$1 what=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@"; do [ $SECONDS -lt $end ] || fail "$what (not within ${limit}s)"; sleep 1; done
}
waits_for_approval() {  # the candidate TAG waits, every gate but the approval passed
  [ "$(stage prod "select(.candidate.tag == \"$1\") | .candidate | [.phase, (.gates | map(select(.kind != \"approval\")) | all(.state == \"GATE_STATE_PASSED\"))] | join(\" \")")" = "CANDIDATE_PHASE_WAITING true" ]
}
prod_at() { [ "$(stage prod '.current | .tag + " " + .syncStatus + " " + .healthStatus')" = "$1 Synced Healthy" ]; }
phase_of() { [ "$(stage prod "select(.candidate.tag == \"$1\") | .candidate.phase")" = "$2" ]; }
prod_log() { G fetch -q origin env/prod && G log --format='     %h %s' origin/env/prod; }

step "4. Tag v1.0.0: the canary syncs and becomes Healthy, soaks 10 s, its verification Job passes"
release v1.0.0 "Release 1.0.0"
gitops app refresh sample-canary >/dev/null
until_true 240 "prod did not wait for approval of v1.0.0 with the other gates passed" waits_for_approval v1.0.0
gitops pipeline get sample
[ "$(git -C "$DEMO/git/sample-app.git" branch --list env/prod)" = "" ] || fail "env/prod exists before any approval"
say "env/prod does not exist yet: nothing reaches prod without the approval"

step "5. Alice (approver token) approves v1.0.0: the controller commits its tree to env/prod; prod syncs"
as_alice pipeline approve sample --stage prod --revision v1.0.0 --comment "canary looks good"
until_true 240 "prod did not become Synced and Healthy at v1.0.0" prod_at v1.0.0
kubectl -n "$NS" get deploy
say "env/prod:"; prod_log
G log -1 --format='%B' origin/env/prod | sed 's/^/     | /'

step "6. Tag v1.1.0 with an image that cannot be pulled: the canary goes Degraded; prod is blocked"
tag_image "1.1.0-unpullable"   # "unpullable": the simulator's rule for an image that never pulls
release v1.1.0 "Release 1.1.0"
gitops app refresh sample-canary >/dev/null
until_true 240 "v1.1.0 was not blocked by a Degraded canary" phase_of v1.1.0 CANDIDATE_PHASE_BLOCKED
gitops pipeline get sample
prod_at v1.0.0 || fail "prod left v1.0.0 while v1.1.0 was blocked"
say "prod still runs v1.0.0"

step "7. Tag v1.2.0: the canary is fine, but prod's overlay names a registry that does not exist"
tag_image "1.2.0"
cat >>"$DEMO/work/examples/sample-app/k8s/prod/deployments/kustomization.yaml" <<'EOF'
images:
  - name: gcr.io/cloud-solutions-images/gceme
    newName: registry.invalid/cloud-solutions-images/gceme
EOF
release v1.2.0 "Release 1.2.0 (prod pulls from a mirror)"
gitops app refresh sample-canary >/dev/null
until_true 240 "v1.2.0 did not wait for approval" waits_for_approval v1.2.0
as_alice pipeline approve sample --stage prod --revision v1.2.0
say "approved; promoted to env/prod; prod's new Pods cannot pull their image ..."
until_true 240 "prod was not rolled back after turning Degraded" phase_of v1.2.0 CANDIDATE_PHASE_ROLLED_BACK
gitops pipeline get sample

step "8. autoRollback reverted the promotion in git: prod converges on the revert, back at v1.0.0 and Healthy"
gitops app wait sample-prod --sync --health --timeout 240s >/dev/null 2>&1 || fail "prod did not become Synced and Healthy after the revert"
image=$(kubectl -n "$NS" get deploy sample-frontend-production -o jsonpath='{.spec.template.spec.containers[0].image}')
[ "$image" = gcr.io/cloud-solutions-images/gceme:1.0.0 ] || fail "prod runs $image after the rollback"
kubectl -n "$NS" get deploy
say "env/prod (promotions and the revert; no force push):"; prod_log
G log -1 --format='%B' origin/env/prod | sed 's/^/     | /'

step "9. The pipeline's history"
gitops pipeline history sample

printf '\n\033[32mPipeline demo complete in %d s.\033[0m\n' $((SECONDS - started))
if [ "$KEEP" = 1 ]; then
  echo "  The controller (gRPC $GRPC), the node simulator and the git server keep running: hack/demo-pipeline.sh stop"
fi
