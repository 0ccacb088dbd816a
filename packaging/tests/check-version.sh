#!/usr/bin/env bash
# packaging_version: one version everywhere. The CMake project version must be what
# `lightfield-deals --version` prints, the newest <release> of the configured metainfo, and the
# newest dated section of CHANGELOG.md.
# Usage: check-version.sh APP PROJECT_VERSION METAINFO CHANGELOG
set -euo pipefail
app=$1 version=$2 metainfo=$3 changelog=$4
status=0

printed=$("$app" --version | tail -n 1)
echo "--version:  $printed"
[ "$printed" = "lightfield-deals $version" ] || { echo "FAIL: --version does not print $version"; status=1; }

release=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n 1 | cut -d'"' -f2 || true)
echo "metainfo:   $release"
[ "$release" = "$version" ] || { echo "FAIL: the newest metainfo release is not $version"; status=1; }

logged=$(grep -oE '^## \[[^]]+\] - [0-9]{4}-[0-9]{2}-[0-9]{2}' "$changelog" | head -n 1 | sed -E 's/^## \[([^]]+)\].*/\1/' || true)
echo "changelog:  $logged"
[ "$logged" = "$version" ] || { echo "FAIL: CHANGELOG.md has no dated section for $version at the top"; status=1; }

[ $status -eq 0 ] && echo "OK: version $version everywhere"
exit $status
