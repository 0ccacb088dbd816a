#!/usr/bin/env bash
# app_self_check_missing_plugins: runs a copy of the app whose qt.conf points at a plug-in folder
# that has the platform plug-ins but (1) no TLS backend and no SQLite driver, then (2) no TLS
# backend only. Checks that --self-check names exactly what is missing, that a start without the
# SQLite driver stops with exit code 3, and that a start without TLS goes on (degraded).
# Usage: selfcheck-without-plugins.sh APP
set -euo pipefail
app=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
       XDG_CACHE_HOME="$work/cache"
unset QT_PLUGIN_PATH

# Qt's own plug-in folder: the one of the app's plug-in paths that has the platform plug-ins.
qt_plugins=""
paths=$("$app" --self-check 2>/dev/null | sed -n 's/^Plug-in paths: //p' | tr ',' '\n')
while read -r dir; do
    dir=${dir# }
    if [ -d "$dir/platforms" ]; then qt_plugins=$dir; break; fi
done <<< "$paths"
[ -n "$qt_plugins" ] || { echo "FAIL: cannot find Qt's plug-in folder in: $paths"; exit 1; }
platforms="$qt_plugins/platforms"

mkdir -p "$work/bin" "$work/plugins"
cp "$app" "$work/bin/lightfield-deals"
ln -s "$platforms" "$work/plugins/platforms"
printf '[Paths]\nPrefix=..\nPlugins=plugins\n' > "$work/bin/qt.conf"
copy="$work/bin/lightfield-deals"

# On Debian and Ubuntu the remedy names the packages; elsewhere it names the plug-ins.
if [ -f /etc/debian_version ]; then tls_hint=libqt6network6 sql_hint=libqt6sql6-sqlite
else tls_hint="TLS" sql_hint="QSQLITE"; fi

fail() { echo "FAIL: $*"; exit 1; }
expect_code() { # expected-code description command…
    local want=$1 what=$2; shift 2
    set +e; "$@" >"$work/out" 2>&1; local got=$?; set -e
    cat "$work/out"
    [ "$got" -eq "$want" ] || fail "$what: exit code $got, expected $want"
}

echo "== 1. no TLS backend, no SQLite driver"
expect_code 1 "--self-check" "$copy" --self-check
grep -q "Missing: TLS backend" "$work/out" || fail "the TLS backend is not named"
grep -q "$tls_hint" "$work/out" || fail "the TLS remedy does not name $tls_hint"
grep -q "Missing: SQLite driver" "$work/out" || fail "the SQLite driver is not named"
grep -q "$sql_hint" "$work/out" || fail "the SQLite remedy does not name $sql_hint"
expect_code 3 "start without the SQLite driver" "$copy" --screenshot "$work/shot1.png"
[ ! -e "$work/shot1.png" ] || fail "the app went on without the SQLite driver"

echo "== 2. SQLite driver present, no TLS backend"
ln -s "$qt_plugins/sqldrivers" "$work/plugins/sqldrivers"
expect_code 1 "--self-check" "$copy" --self-check
grep -q "Missing: TLS backend" "$work/out" || fail "the TLS backend is not named"
if grep -q "Missing: SQLite driver" "$work/out"; then fail "the SQLite driver is reported missing"; fi
expect_code 0 "start without TLS (degraded)" "$copy" --screenshot "$work/shot2.png"
grep -q "Missing: TLS backend" "$work/out" || fail "the degraded start does not warn on stderr"
[ -s "$work/shot2.png" ] || fail "the degraded start showed no window"
echo "OK: the self-check names what is missing and the app reacts as documented"
