#!/usr/bin/env bash
# Builds the macOS disk image (DragNDrop through CPack) with Homebrew's Qt and QtKeychain.
# Run from the repository root on macOS 12 or later. See packaging/README.md, "macOS".
#   packaging/macos/build-dmg.sh                 unsigned DMG in dist/
#   SIGN_ID="Developer ID Application: …" NOTARY_PROFILE=lightfield packaging/macos/build-dmg.sh
set -euo pipefail
build=${BUILD:-build-mac}
dist=${DIST:-dist}
brew install cmake ninja qt qtkeychain
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLIGHTFIELD_BUILD_TESTS=OFF -DLIGHTFIELD_BUILD_BENCHMARKS=OFF \
    -DCMAKE_OSX_DEPLOYMENT_TARGET=12.0 \
    -DCMAKE_PREFIX_PATH="$(brew --prefix qt);$(brew --prefix qtkeychain)"
cmake --build "$build"
# cpack installs lightfield-deals.app (with the sandbox in Contents/MacOS) into a staging folder,
# where the deploy script runs
#   macdeployqt lightfield-deals.app -appstore-compliant -always-overwrite \
#       -executable=lightfield-deals.app/Contents/MacOS/lightfield-sandbox
# and cpack-prebuild.cmake requires the TLS plug-in, the SQLite driver and QtKeychain.
if [ -n "${SIGN_ID:-}" ]; then
    # Sign inside the staging tree before the DMG is made: CPack runs this after macdeployqt.
    export LIGHTFIELD_CODESIGN_ID="$SIGN_ID"
fi
cpack --config "$build/CPackConfig.cmake" -G DragNDrop -B "$dist"
dmg=$(ls "$dist"/lightfield-deals-*-Darwin.dmg)
if [ -n "${SIGN_ID:-}" ]; then
    codesign --force --timestamp --sign "$SIGN_ID" "$dmg"
    xcrun notarytool submit "$dmg" --keychain-profile "${NOTARY_PROFILE:?set NOTARY_PROFILE}" --wait
    xcrun stapler staple "$dmg"
fi
echo "$dmg"
