#!/usr/bin/env bash
# A real, local Kubernetes control plane for tests and the demo: etcd + kube-apiserver +
# kube-controller-manager 1.20.2, built once from Debian's `kubernetes` source package and cached.
#
#   hack/local-cluster.sh up        build if needed, start (idempotent), print the kubeconfig path
#   hack/local-cluster.sh down      stop what `up` started (PID files only) and delete its state
#   hack/local-cluster.sh status    exit 0 if the control plane answers /readyz
#   hack/local-cluster.sh env       print `export KUBECONFIG=...` for eval
#   hack/local-cluster.sh kubeconfig   print the kubeconfig path
#   hack/local-cluster.sh build     only build/cache the binaries
#
# Environment: GITOPS_CLUSTER_CACHE (binaries, default ~/.cache/gitops-local-cluster),
#              GITOPS_CLUSTER_STATE (certs, data, logs, kubeconfig; default ~/.local/state/gitops-local-cluster).
set -euo pipefail

K8S_VERSION=1.20.2
CACHE=${GITOPS_CLUSTER_CACHE:-$HOME/.cache/gitops-local-cluster}
STATE=${GITOPS_CLUSTER_STATE:-$HOME/.local/state/gitops-local-cluster}
BIN=$CACHE/bin-$K8S_VERSION
KUBECONFIG_PATH=$STATE/kubeconfig
LOGS=$STATE/logs
PIDS=$STATE/pids

log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local missing=()
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v go >/dev/null || missing+=(golang-go)
  command -v rsync >/dev/null || missing+=(rsync)
  command -v jq >/dev/null || missing+=(jq)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  command -v dpkg-source >/dev/null || missing+=(dpkg-dev)
  dpkg -s golang-github-modern-go-reflect2-dev >/dev/null 2>&1 || missing+=(golang-github-modern-go-reflect2-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_deb_src() {
  if ! grep -rqs 'deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    log "adding a deb-src entry for bookworm main"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | as_root tee /etc/apt/sources.list.d/gitops-deb-src.sources >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  fi
}

# Build kube-apiserver and kube-controller-manager from the vendored Debian source tree, once.
build() {
  if [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kube-controller-manager" ]; then return 0; fi
  ensure_packages
  ensure_deb_src
  local work=$CACHE/src
  mkdir -p "$work"
  local tree
  tree=$(find "$work" -maxdepth 1 -type d -name "kubernetes-*$K8S_VERSION*" | head -n1)
  if [ -z "$tree" ]; then
    log "downloading the Debian kubernetes source package"
    (cd "$work" && apt-get source -qq kubernetes >"$work/apt-source.log" 2>&1) \
      || die "apt-get source kubernetes failed; see $work/apt-source.log"
    tree=$(find "$work" -maxdepth 1 -type d -name "kubernetes-*$K8S_VERSION*" | head -n1)
    [ -n "$tree" ] || die "no kubernetes-$K8S_VERSION tree after apt-get source (see $work/apt-source.log)"
  fi
  # The vendored reflect2 1.0.1 crashes under Go >= 1.18 on the first custom resource; use Debian's 1.0.2.
  local vendored=$tree/vendor/github.com/modern-go/reflect2
  local fixed
  fixed=$(dpkg -L golang-github-modern-go-reflect2-dev | grep -E '/reflect2/[^/]+\.(go|s)$' | grep -v '_test.go' || true)
  [ -n "$fixed" ] || die "golang-github-modern-go-reflect2-dev installs no sources"
  if [ ! -f "$vendored/.gitops-reflect2-1.0.2" ]; then
    log "replacing vendored reflect2 with Debian's 1.0.2"
    find "$vendored" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) -delete
    for f in $fixed; do cp "$f" "$vendored/"; done
    touch "$vendored/.gitops-reflect2-1.0.2"
  fi
  mkdir -p "$tree/.go/src/k8s.io"
  ln -sfn ../../.. "$tree/.go/src/k8s.io/kubernetes"
  local start=$SECONDS
  for what in kube-apiserver kube-controller-manager; do
    if [ ! -x "$tree/_output/bin/$what" ]; then
      log "building $what $K8S_VERSION (the first build takes ~10-15 min on 2 cores); log: $work/build-$what.log"
      (cd "$tree/.go/src/k8s.io/kubernetes" && GOPATH=$tree/.go CGO_ENABLED=0 \
        make WHAT=cmd/$what >"$work/build-$what.log" 2>&1) \
        || { tail -n 30 "$work/build-$what.log" >&2; die "building $what failed; see $work/build-$what.log"; }
    fi
  done
  mkdir -p "$BIN"
  cp "$tree/_output/bin/kube-apiserver" "$tree/_output/bin/kube-controller-manager" "$BIN/"
  log "built in $((SECONDS - start)) s; binaries cached in $BIN"
}

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

# A PID file counts only if the process is alive and is the binary we started.
pid_alive() {
  local name=$1 f=$PIDS/$1.pid pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$name"
}

ready() {
  [ -f "$STATE/endpoint" ] && [ -f "$STATE/token" ] || return 1
  curl -fsS --max-time 2 -k -H "Authorization: Bearer $(cat "$STATE/token")" "$(cat "$STATE/endpoint")/readyz" >/dev/null 2>&1
}

wait_for() {
  local what=$1 deadline=$((SECONDS + $2)); shift 2
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      log "$what did not become ready; logs in $LOGS:"
      for f in "$LOGS"/*.log; do [ -f "$f" ] && { log "--- $f (last 15 lines)"; tail -n 15 "$f" >&2; }; done
      return 1
    fi
    sleep 0.2
  done
}

start_bg() {
  local name=$1; shift
  # 9>&-: the daemons must not inherit (and hold) the lock.
  setsid nohup "$@" >"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$PIDS/$name.pid"
}

etcd_ready() { curl -fsS --max-time 1 "http://127.0.0.1:$(cat "$STATE/etcd-port")/health" >/dev/null 2>&1; }

all_alive() { pid_alive etcd && pid_alive kube-apiserver && pid_alive kube-controller-manager; }

up() {
  # Processes alive but /readyz slow (a loaded machine): wait rather than tear down a cluster others use.
  if all_alive && { ready || wait_for "running control plane" 60 ready; }; then
    echo "$KUBECONFIG_PATH"; return 0
  fi
  build
  command -v etcd >/dev/null || ensure_packages
  stop_processes
  rm -rf "$STATE"
  mkdir -p "$STATE/etcd" "$STATE/certs" "$LOGS" "$PIDS"
  local etcd_port peer_port api_port token
  etcd_port=$(free_port); peer_port=$(free_port); api_port=$(free_port)
  echo "$etcd_port" >"$STATE/etcd-port"
  token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo "$token" >"$STATE/token"; chmod 600 "$STATE/token"
  echo "$token,admin,admin,system:masters" >"$STATE/tokens.csv"; chmod 600 "$STATE/tokens.csv"
  openssl genrsa -out "$STATE/sa.key" 2048 2>/dev/null
  openssl rsa -in "$STATE/sa.key" -pubout -out "$STATE/sa.pub" 2>/dev/null
  echo "https://127.0.0.1:$api_port" >"$STATE/endpoint"

  start_bg etcd etcd --data-dir "$STATE/etcd" --name local \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "local=http://127.0.0.1:$peer_port"
  wait_for etcd 30 etcd_ready || die "etcd failed to start (log: $LOGS/etcd.log)"

  start_bg kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address=127.0.0.1 --secure-port="$api_port" --advertise-address=127.0.0.1 --insecure-port=0 \
    --cert-dir "$STATE/certs" --token-auth-file "$STATE/tokens.csv" --authorization-mode=RBAC \
    --service-account-key-file="$STATE/sa.pub" --service-account-signing-key-file="$STATE/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc --service-cluster-ip-range=10.96.0.0/16 \
    --enable-priority-and-fairness=false
  wait_for kube-apiserver 60 ready || die "kube-apiserver failed to start (log: $LOGS/kube-apiserver.log)"

  local ca=$STATE/certs/apiserver.crt
  cat >"$KUBECONFIG_PATH" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(base64 -w0 "$ca")
users:
- name: admin
  user:
    token: $token
contexts:
- name: local
  context:
    cluster: local
    user: admin
current-context: local
EOF
  chmod 600 "$KUBECONFIG_PATH"

  start_bg kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$KUBECONFIG_PATH" \
    --service-account-private-key-file="$STATE/sa.key" --root-ca-file="$ca" --leader-elect=false \
    --bind-address=127.0.0.1 --secure-port=0 --port=0 --controllers='*,-nodeipam' --use-service-account-credentials
  # The controller-manager has no health port here (--secure-port=0); it is up once the default
  # ServiceAccount of `default` exists (the serviceaccount controller creates it).
  wait_for kube-controller-manager 60 controller_manager_ready \
    || die "kube-controller-manager failed to start (log: $LOGS/kube-controller-manager.log)"
  log "control plane up at https://127.0.0.1:$api_port (logs: $LOGS)"
  echo "$KUBECONFIG_PATH"
}

controller_manager_ready() {
  pid_alive kube-controller-manager || return 1
  curl -fsS --max-time 2 -k -H "Authorization: Bearer $(cat "$STATE/token")" \
    "$(cat "$STATE/endpoint")/api/v1/namespaces/default/serviceaccounts/default" >/dev/null 2>&1
}

stop_processes() {
  [ -d "$PIDS" ] || return 0
  local name pid
  for name in kube-controller-manager kube-apiserver etcd; do
    if pid_alive "$name"; then
      pid=$(cat "$PIDS/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDS/$name.pid"
  done
}

down() {
  stop_processes
  rm -rf "$STATE"
  log "control plane stopped"
}

status() {
  local name ok=0
  for name in etcd kube-apiserver kube-controller-manager; do
    if pid_alive "$name"; then echo "$name: running (pid $(cat "$PIDS/$name.pid"))"; else echo "$name: stopped"; ok=1; fi
  done
  if ready; then echo "apiserver: ready at $(cat "$STATE/endpoint")"; echo "kubeconfig: $KUBECONFIG_PATH"; else echo "apiserver: not ready"; ok=1; fi
  return $ok
}

# Test projects run in parallel and each may call `up`: serialise up/down/build on one lock.
with_lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  "$@"
}

case "${1:-}" in
  up) with_lock up ;;
  down) with_lock down ;;
  status) status ;;
  env) ready || die "control plane is not running; run: $0 up"; echo "export KUBECONFIG=$KUBECONFIG_PATH" ;;
  kubeconfig) echo "$KUBECONFIG_PATH" ;;
  build) with_lock build ;;
  *) echo "usage: $0 up|down|status|env|kubeconfig|build" >&2; exit 2 ;;
esac
