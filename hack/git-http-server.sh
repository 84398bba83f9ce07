#!/usr/bin/env bash
# Smart-HTTP git server on loopback for tests and demos: lighttpd + CGI to `git http-backend`,
# basic auth, receive-pack (push) enabled.
#
#   hack/git-http-server.sh start DIR [PORT]   serve the bare repositories under DIR at
#                                               http://127.0.0.1:PORT/git/<name>.git ; prints that base URL
#   hack/git-http-server.sh stop DIR           stop the server started for DIR
#
# Credentials: GIT_HTTP_USER / GIT_HTTP_PASSWORD (default git / secret). GIT_HTTP_AUTH=none serves
# without authentication. Installs lighttpd from Debian when it is missing and we are root.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }
dir=$(cd "$dir" && pwd)
state="$dir/.git-http-server"

backend=""
for candidate in /usr/lib/git-core/git-http-backend /usr/libexec/git-core/git-http-backend; do
  [[ -x "$candidate" ]] && { backend=$candidate; break; }
done

ensure_lighttpd() {
  command -v lighttpd >/dev/null 2>&1 && return 0
  [[ -x /usr/sbin/lighttpd ]] && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing lighttpd" >&2
    (apt-get install -y -qq lighttpd || { apt-get update -qq && apt-get install -y -qq lighttpd; }) >&2
  else
    echo "lighttpd is not installed (apt-get install lighttpd)" >&2
    exit 1
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2; exit 1
}

case "$cmd" in
  start)
    ensure_lighttpd
    [[ -n "$backend" ]] || { echo "git http-backend not found" >&2; exit 1; }
    lighttpd_bin=$(command -v lighttpd || echo /usr/sbin/lighttpd)
    mkdir -p "$state"
    if [[ -f "$state/pid" ]] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
      cat "$state/url"; exit 0
    fi
    user=${GIT_HTTP_USER:-git}
    password=${GIT_HTTP_PASSWORD:-secret}
    printf '%s:%s\n' "$user" "$password" > "$state/users"
    chmod 600 "$state/users"
    auth_block=""
    receive='"GIT_CONFIG_COUNT" => "1", "GIT_CONFIG_KEY_0" => "http.receivepack", "GIT_CONFIG_VALUE_0" => "true",'
    if [[ "${GIT_HTTP_AUTH:-basic}" != "none" ]]; then
      auth_block="auth.backend = \"plain\"
auth.backend.plain.userfile = \"$state/users\"
auth.require = ( \"/git/\" => ( \"method\" => \"basic\", \"realm\" => \"git\", \"require\" => \"valid-user\" ) )"
    fi
    # A probed free port can be taken before lighttpd binds it: try a few.
    for attempt in 1 2 3 4 5; do
      port=${3:-$(free_port)}
      cat > "$state/lighttpd.conf" <<CONF
server.modules = ( "mod_alias", "mod_auth", "mod_authn_file", "mod_setenv", "mod_cgi" )
server.document-root = "$state"
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$state/pid"
server.errorlog = "$state/error.log"
server.max-request-size = 0
alias.url = ( "/git/" => "$backend/" )
$auth_block
\$HTTP["url"] =~ "^/git/" {
  cgi.assign = ( "" => "" )
  setenv.add-environment = ( "GIT_PROJECT_ROOT" => "$dir", "GIT_HTTP_EXPORT_ALL" => "1", $receive "HOME" => "$state" )
}
CONF
      "$lighttpd_bin" -tt -f "$state/lighttpd.conf" >&2
      if "$lighttpd_bin" -f "$state/lighttpd.conf"; then
        url="http://127.0.0.1:$port/git"
        echo "$url" > "$state/url"
        for _ in $(seq 1 100); do
          if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$url"; exit 0; fi
          sleep 0.05
        done
      fi
      [[ -n "${3:-}" ]] && break
      echo "lighttpd did not start on port $port (attempt $attempt)" >&2
    done
    echo "lighttpd did not start; see $state/error.log" >&2
    exit 1
    ;;
  stop)
    if [[ -f "$state/pid" ]]; then
      pid=$(cat "$state/pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      rm -f "$state/pid"
    fi
    ;;
  *) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
