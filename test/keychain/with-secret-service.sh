#!/usr/bin/env bash
# Runs a command inside a throwaway keychain sandbox, so keychain tests never touch the real
# user's keyring, config or session bus:
#
#   test/keychain/with-secret-service.sh [--mode MODE] -- COMMAND [ARGS...]
#
# Every run gets a fresh temporary HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME and
# XDG_RUNTIME_DIR (exported BEFORE the bus starts, so services it activates use them too: a login
# keyring left by an earlier run would have another password and stay locked), no DISPLAY (no
# GUI prompt, no X11 D-Bus autolaunch), and the directory is removed afterwards. Modes:
#
#   unlocked    (default) a private session bus (dbus-run-session) with gnome-keyring's Secret
#               Service started with a random password, which creates an unlocked "login"
#               collection that is the default alias. (An EMPTY password does not create it: the
#               daemon then asks a GUI prompter, which fails headless with "Object does not exist
#               at path /org/freedesktop/secrets/collection/login".)
#   no-keyring  a private session bus on which org.freedesktop.secrets is activatable but not
#               started (the first call starts gnome-keyring with no default collection).
#   bus-only    a private session bus with no service directories: no Secret Service at all.
#   no-bus      no session bus: DBUS_SESSION_BUS_ADDRESS is unset.
#
# The command sees MEMORY_BRIDGE_TEST_KEYCHAIN_SANDBOX=<mode>, MEMORY_BRIDGE_TEST_SANDBOX_DIR=<dir>,
# MEMORY_BRIDGE_CONFIG_DIR=<dir>/config/mcp-memory-bridge, and in unlocked mode
# MEMORY_BRIDGE_TEST_SECRET_SERVICE=1. Exit status: the command's, or 3 when the sandbox cannot be
# set up (missing tool: install dbus-daemon dbus-bin gnome-keyring libsecret-tools).
set -euo pipefail

mode=unlocked
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode="${2:-}"; shift 2 ;;
    --mode=*) mode="${1#--mode=}"; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
case "$mode" in unlocked|no-keyring|bus-only|no-bus) ;; *) echo "with-secret-service.sh: unknown mode '$mode'" >&2; exit 2 ;; esac
[ $# -gt 0 ] || { echo "usage: with-secret-service.sh [--mode unlocked|no-keyring|bus-only|no-bus] -- COMMAND [ARGS...]" >&2; exit 2; }

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "with-secret-service.sh: '$tool' is missing; install the Debian packages dbus-daemon dbus-bin gnome-keyring libsecret-tools" >&2
      exit 3
    }
  done
}
case "$mode" in
  unlocked) need dbus-run-session dbus-send gnome-keyring-daemon secret-tool ;;
  no-keyring|bus-only) need dbus-run-session dbus-send ;;
esac

sandbox="$(mktemp -d "${TMPDIR:-/tmp}/mcp-memory-bridge-keychain.XXXXXXXX")"
trap 'rm -rf "$sandbox"' EXIT
mkdir -p "$sandbox/home" "$sandbox/config" "$sandbox/data" "$sandbox/cache" "$sandbox/run"
chmod 700 "$sandbox/run"

export HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data"
export XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/run"
export MEMORY_BRIDGE_CONFIG_DIR="$sandbox/config/mcp-memory-bridge"
export MEMORY_BRIDGE_TEST_KEYCHAIN_SANDBOX="$mode" MEMORY_BRIDGE_TEST_SANDBOX_DIR="$sandbox"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK MEMORY_BRIDGE_TEST_SECRET_SERVICE
unset MEMORY_BRIDGE_TOKEN MCP_MEMORY_API_KEY MEMORY_BRIDGE_KEYCHAIN_BACKEND

if [ "$mode" = no-bus ]; then
  status=0
  "$@" || status=$?
  exit "$status"
fi

# Runs inside the private bus: start the keyring (unlocked mode), wait for it, run the command,
# then stop the daemon this script started (by its pid).
inner='
set -euo pipefail
keyring_pid=""
stop_keyring() { if [ -n "$keyring_pid" ]; then kill "$keyring_pid" 2>/dev/null || true; fi; }
trap stop_keyring EXIT
name_owned() {
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true
}
if [ "$MEMORY_BRIDGE_TEST_KEYCHAIN_SANDBOX" = unlocked ]; then
  password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d " \n")"
  output="$(printf "%s" "$password" | gnome-keyring-daemon --unlock --components=secrets --daemonize)" || {
    echo "with-secret-service.sh: gnome-keyring-daemon did not start" >&2; exit 3; }
  while IFS= read -r line; do
    case "$line" in [A-Z]*=*) export "${line?}" ;; esac
  done <<< "$output"
  # --daemonize returns before the daemon owns its bus name: wait for it (at most 5 s).
  for _ in $(seq 50); do name_owned && break; sleep 0.1; done
  name_owned || { echo "with-secret-service.sh: the Secret Service did not appear on the bus" >&2; exit 3; }
  keyring_pid="$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk "{print \$2}")"
  export MEMORY_BRIDGE_TEST_SECRET_SERVICE=1
fi
status=0
"$@" || status=$?
exit "$status"
'

config_args=()
if [ "$mode" = bus-only ]; then
  cat > "$sandbox/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$sandbox/run</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  config_args=(--config-file="$sandbox/bus.conf")
fi

status=0
# dbus-daemon complains on stderr that an unprivileged process cannot raise its fd limit: harmless.
dbus-run-session ${config_args[@]+"${config_args[@]}"} -- bash -c "$inner" with-secret-service "$@" 2> >(grep -v "Failed to set fd limit" >&2) || status=$?
exit "$status"
