#!/usr/bin/env bash
# packaging_flatpak_manifest: parses the Flatpak manifest as YAML and checks what this project
# relies on (flatpak-builder itself cannot run here: no runtimes, no network).
# Usage: check-manifest.sh MANIFEST APP_ID. Exit 77 (skipped) when no Python with PyYAML exists
# (Debian: python3-yaml, in scripts/bootstrap).
set -euo pipefail
manifest=$1 app_id=$2
python=""
for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
        python=$candidate
        break
    fi
done
if [ -z "$python" ]; then
    echo "SKIPPED: no python3 with PyYAML (apt-get install python3-yaml)"
    exit 77
fi
exec "$python" - "$manifest" "$app_id" <<'PY'
import re, sys, yaml
path, app_id = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    m = yaml.safe_load(f)
errors = []
def need(cond, msg):
    if not cond:
        errors.append(msg)

need(m.get("app-id") == app_id, f"app-id must be {app_id}")
need(m.get("runtime") == "org.kde.Platform" and m.get("sdk") == "org.kde.Sdk", "KDE runtime and SDK")
need(re.fullmatch(r"6\.\d+", str(m.get("runtime-version", ""))), "runtime-version must be a 6.x branch")
need(m.get("command") == "lightfield-deals", "command must be lightfield-deals")
args = set(m.get("finish-args", []))
for arg in ["--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
            "--device=dri", "--talk-name=org.freedesktop.secrets"]:
    need(arg in args, f"finish-args lacks {arg}")
need("--socket=x11" not in args, "--socket=x11 defeats the Wayland-first fallback-x11")
need(not any(a.startswith("--filesystem=") for a in args), "no filesystem access is needed")
modules = m.get("modules", [])
names = [mod.get("name") for mod in modules if isinstance(mod, dict)]
need(names[-1:] == ["lightfield-deals"], "the app must be the last module")
for dep in ["qtkeychain", "qthttpserver"]:
    need(dep in names, f"module {dep} missing")
for mod in modules:
    need(mod.get("buildsystem") == "cmake-ninja", f"{mod.get('name')}: buildsystem cmake-ninja")
    for src in mod.get("sources", []):
        if src.get("type") == "git":
            need(re.fullmatch(r"[0-9a-f]{40}", str(src.get("commit", ""))),
                 f"{mod.get('name')}: git source not pinned by commit")
            need(str(src.get("url", "")).startswith("https://"), f"{mod.get('name')}: https url")
app = modules[-1]
need("-DLIGHTFIELD_BUILD_TESTS=OFF" in app.get("config-opts", []), "app: tests off")
if errors:
    print("\n".join("FAIL: " + e for e in errors))
    sys.exit(1)
print(f"OK: {path}: {len(names)} modules ({', '.join(names)}), {len(args)} finish-args")
PY
