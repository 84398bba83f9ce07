#!/usr/bin/env bash
# The node simulator (src/GitOps.NodeSimulator, docs/node-simulator.md) against the local control plane: fake
# Nodes that bind Pods and drive their status as a kubelet would, so Deployments and Jobs get real status.
# A simulator, not a kubelet: nothing runs.
#
#   hack/node-sim.sh up [ARGS...]   build, start in the background (idempotent), wait until its Nodes are Ready.
#                                   ARGS go to gitops-node-sim, e.g. --namespace 'demo-*' --nodes 2 (default: all
#                                   namespaces — on a cluster shared with running tests, pass --namespace)
#   hack/node-sim.sh down           stop it (SIGTERM: it deletes its Nodes first)
#   hack/node-sim.sh status         exit 0 if it is running
#
# Environment: KUBECONFIG (default: the local control plane's), GITOPS_NODE_SIM_STATE (pid file and log; default
# ~/.local/state/gitops-node-sim), GITOPS_NODE_SIM_PREFIX (node names PREFIX-0..; default sim-node).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=${GITOPS_NODE_SIM_STATE:-$HOME/.local/state/gitops-node-sim}
PREFIX=${GITOPS_NODE_SIM_PREFIX:-sim-node}
DLL=$ROOT/src/GitOps.NodeSimulator/bin/Release/net10.0/gitops-node-sim.dll

log() { printf '[node-sim] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

running() {
  [ -f "$STATE/pid" ] || return 1
  local pid cmdline; pid=$(cat "$STATE/pid")
  # Read first: `tr | grep -q` under pipefail fails when grep exits before tr is done.
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *gitops-node-sim* ]]
}

kubeconfig() { echo "${KUBECONFIG:-$(bash hack/local-cluster.sh kubeconfig)}"; }

up() {
  if running; then log "already running (pid $(cat "$STATE/pid"), log $STATE/node-sim.log)"; return 0; fi
  mkdir -p "$STATE"
  dotnet build src/GitOps.NodeSimulator -c Release --nologo -v quiet >"$STATE/build.log" 2>&1 \
    || { tail -n 20 "$STATE/build.log" >&2; die "build failed"; }
  local kc; kc=$(kubeconfig)
  [ -f "$kc" ] || die "no kubeconfig at $kc (start the control plane: hack/local-cluster.sh up)"
  setsid nohup dotnet "$DLL" --kubeconfig "$kc" --node-prefix "$PREFIX" "$@" \
    >"$STATE/node-sim.log" 2>&1 </dev/null &
  echo $! >"$STATE/pid"
  # Ready once the first Node reports Ready (it registers within a second or two).
  for _ in $(seq 1 150); do
    if ! running; then tail -n 20 "$STATE/node-sim.log" >&2; die "the simulator exited"; fi
    if [ "$(kubectl --kubeconfig "$kc" get node "$PREFIX-0" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; then
      log "up: node $PREFIX-0 Ready (pid $(cat "$STATE/pid"), log $STATE/node-sim.log)"
      return 0
    fi
    sleep 0.2
  done
  tail -n 20 "$STATE/node-sim.log" >&2
  die "node $PREFIX-0 did not become Ready"
}

down() {
  if running; then
    local pid; pid=$(cat "$STATE/pid")
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log "still running after 20 s; killing"; kill -9 "$pid"; }
    log "stopped"
  fi
  rm -f "$STATE/pid"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) if running; then echo "node-sim: running (pid $(cat "$STATE/pid"))"; else echo "node-sim: stopped"; exit 1; fi ;;
  *) echo "usage: $0 up [ARGS...]|down|status" >&2; exit 2 ;;
esac
