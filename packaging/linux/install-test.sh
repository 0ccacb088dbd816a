#!/usr/bin/env bash
# The .deb install test (CTest: packaging_install_deb, label "install"):
#   configure a Release build in its own folder, build it, cpack -G DEB, apt-get install the
#   package (its dependencies come from the archive), run the installed /usr/bin/lightfield-deals
#   (--version, --self-check, --demo --screenshot), then purge it and check nothing is left.
# Usage: install-test.sh SOURCE_DIR WORK_DIR VERSION
# Needs root and a Debian-like system with apt; otherwise it exits 77, which CTest reports as
# skipped. LIGHTFIELD_SKIP_INSTALL_TEST=1 skips it too. It replaces an installed lightfield-deals.
set -euo pipefail
src=$(cd "$1" && pwd)
work=$2
version=$3
package=lightfield-deals
skip() { echo "SKIPPED: $*"; exit 77; }
step() { printf '\n=== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "${LIGHTFIELD_SKIP_INSTALL_TEST:-0}" = 1 ] && skip "LIGHTFIELD_SKIP_INSTALL_TEST=1"
[ "$(id -u)" -eq 0 ] || skip "the install test installs a .deb system-wide and needs root (run scripts/test as root)"
for tool in apt-get dpkg dpkg-deb dpkg-shlibdeps cmake cpack; do
    command -v "$tool" >/dev/null 2>&1 || skip "not a Debian system with $tool (Debian/Ubuntu with dpkg-dev only)"
done

# One install test at a time on a machine: a second run would purge the first one's package.
mkdir -p "$work"
exec 9>"/var/lock/$package-install-test.lock"
flock --timeout 1800 9 || fail "another install test holds /var/lock/$package-install-test.lock"

apt_opts=(-y -q -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
installed() { dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; }
cleanup() { if installed; then apt-get purge "${apt_opts[@]}" "$package" >/dev/null 2>&1 || true; fi; }
if installed; then
    echo "note: $package is installed already; the test replaces it and purges it at the end."
fi
trap cleanup EXIT

step "configure and build (Release) in $work/build"
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S "$src" -B "$work/build" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=Release \
    -DLIGHTFIELD_BUILD_TESTS=OFF \
    -DLIGHTFIELD_BUILD_BENCHMARKS=OFF \
    -DLIGHTFIELD_BUILD_SANDBOX=ON >"$work/configure.log" 2>&1 \
    || { cat "$work/configure.log"; fail "configure failed"; }
cmake --build "$work/build" -j "$(nproc)" >"$work/build.log" 2>&1 \
    || { tail -n 60 "$work/build.log"; fail "build failed (log: $work/build.log)"; }

step "cpack -G DEB"
rm -rf "$work/packages"
(cd "$work/build" && cpack -G DEB -B "$work/packages") >"$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log"; fail "cpack failed"; }
grep -E "cpack-prebuild|package: .*generated" "$work/cpack.log" || true
debs=("$work"/packages/"${package}"_*.deb)
[ -f "${debs[0]}" ] || fail "cpack made no ${package}_*.deb in $work/packages"
deb=${debs[0]}

step "the package: $(basename "$deb")"
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends Installed-Size
echo "File size: $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes)"
dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$work/contents.txt"
echo "Files:"; grep -v '/$' "$work/contents.txt" | sed 's/^/  /'
control_version=$(dpkg-deb --field "$deb" Version)
[ "$control_version" = "$version" ] || fail "package version $control_version, expected $version"

step "apt-get install $(basename "$deb")"
# Recommends (keyring, Wayland) are left out on purpose: the hard Depends alone must run the app.
if ! apt-get install "${apt_opts[@]}" --no-install-recommends "$deb" >"$work/apt.log" 2>&1; then
    echo "(retrying after apt-get update)"
    apt-get update -q >>"$work/apt.log" 2>&1 || true
    apt-get install "${apt_opts[@]}" --no-install-recommends "$deb" >>"$work/apt.log" 2>&1 \
        || { cat "$work/apt.log"; fail "apt-get install failed"; }
fi
grep -E "^(Setting up|Unpacking) " "$work/apt.log" | sed 's/^/  /' || true
installed || fail "dpkg does not list $package as installed"

step "run the installed app"
app=/usr/bin/lightfield-deals
[ -x "$app" ] || fail "$app is missing"
scratch="$work/home"
rm -rf "$scratch"
mkdir -p "$scratch/run" && chmod 700 "$scratch/run"
run_app() {
    env -u LIGHTFIELD_SANDBOX -u QT_PLUGIN_PATH \
        HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
        XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/run" QT_QPA_PLATFORM=offscreen \
        timeout 180 "$app" "$@"
}
printed=$(run_app --version | tail -n 1)
echo "$printed"
[ "$printed" = "$package $version" ] || fail "--version printed '$printed', expected '$package $version'"
run_app --self-check || fail "the installed app's self-check failed: a run-time dependency is missing"

shot="$scratch/demo.png"
set +e
run_app --demo --screenshot "$shot" >"$work/demo.log" 2>&1
code=$?
set -e
cat "$work/demo.log"
[ "$code" -eq 0 ] || fail "lightfield-deals --demo --screenshot exited with $code"
grep -q "/usr/libexec/$package/lightfield-sandbox" "$work/demo.log" \
    || fail "the demo did not start the installed sandbox /usr/libexec/$package/lightfield-sandbox"
[ -s "$shot" ] || fail "no screenshot at $shot"
[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$shot is not a PNG"
echo "screenshot: $shot ($(stat -c %s "$shot") bytes, PNG)"

if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "/usr/share/applications/app.lightfield.Deals.desktop" || fail "installed desktop file"
fi
if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net "/usr/share/metainfo/app.lightfield.Deals.metainfo.xml" \
        || fail "installed metainfo"
fi

step "apt-get purge $package"
apt-get purge "${apt_opts[@]}" "$package" >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge failed"; }
installed && fail "$package is still installed"
left=()
while read -r path; do
    [ -n "$path" ] && [ "${path%/}" = "$path" ] && [ -e "$path" ] && left+=("$path")
done < "$work/contents.txt"
for dir in /usr/libexec/$package /usr/share/doc/$package; do
    [ -e "$dir" ] && left+=("$dir")
done
[ ${#left[@]} -eq 0 ] || fail "left behind after purge: ${left[*]}"
echo "OK: built, installed, ran the demo from /usr and purged $package $version"
