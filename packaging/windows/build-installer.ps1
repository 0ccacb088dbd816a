# Builds the Windows installer (NSIS through CPack). Run from the repository root in a
# "Developer PowerShell for VS 2022" (x64), with Qt 6 for MSVC 2022 64-bit (modules: Qt HTTP
# Server, Qt SVG), NSIS 3, CMake and Ninja on PATH. See packaging/README.md, "Windows".
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-installer.ps1 -Qt C:\Qt\6.8.3\msvc2022_64
param(
    [Parameter(Mandatory = $true)][string]$Qt,
    [string]$Deps = "$PWD\build-deps",
    [string]$Build = "$PWD\build-win",
    [string]$Dist = "$PWD\dist"
)
$ErrorActionPreference = "Stop"
function Run { & $args[0] $args[1..($args.Count - 1)]; if ($LASTEXITCODE) { throw "failed: $args" } }

# QtKeychain 0.16.0 (Windows Credential Store backend), pinned by commit.
if (-not (Test-Path "$Deps\lib\cmake\Qt6Keychain")) {
    Run git clone --branch 0.16.0 https://github.com/frankosterfeld/qtkeychain.git "$Deps\src\qtkeychain"
    Run git -C "$Deps\src\qtkeychain" checkout --detach aa6da344e1a20b9194e12bace3665caeea6b6304
    Run cmake -S "$Deps\src\qtkeychain" -B "$Deps\build\qtkeychain" -G Ninja -DCMAKE_BUILD_TYPE=Release `
        -DBUILD_WITH_QT6=ON -DBUILD_TRANSLATIONS=OFF -DBUILD_TEST_APPLICATION=OFF `
        "-DCMAKE_PREFIX_PATH=$Qt" "-DCMAKE_INSTALL_PREFIX=$Deps"
    Run cmake --build "$Deps\build\qtkeychain"
    Run cmake --install "$Deps\build\qtkeychain"
}

Run cmake -S . -B $Build -G Ninja -DCMAKE_BUILD_TYPE=Release `
    -DLIGHTFIELD_BUILD_TESTS=OFF -DLIGHTFIELD_BUILD_BENCHMARKS=OFF "-DCMAKE_PREFIX_PATH=$Qt;$Deps"
Run cmake --build $Build
# cpack installs into a staging folder, where the deploy script runs
#   windeployqt bin\lightfield-deals.exe --dir . --libdir bin --plugindir plugins --force bin\lightfield-sandbox.exe
# and writes bin\qt.conf; cpack-prebuild.cmake then requires the TLS plug-in
# (plugins\tls\qschannelbackend.dll), the SQLite driver, QtKeychain and the MSVC run time.
Run cpack --config "$Build\CPackConfig.cmake" -G NSIS -B $Dist
Get-ChildItem "$Dist\lightfield-deals-*-win64.exe"
