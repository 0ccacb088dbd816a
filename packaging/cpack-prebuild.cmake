# Runs in CPack after the staging install, before the package is made (CPACK_PRE_BUILD_SCRIPTS),
# and in the packaging_install_layout test. It
#  1. drops what a generator must not carry (the libexec copy of the sandbox in a Windows or
#     macOS package, where the sandbox sits beside the app), and
#  2. fails when a file the package needs is missing: above all the Qt plugins loaded at run
#     time (TLS backend, SQLite driver) that no linker and no shlibdeps can see.
#
# Standalone: cmake -DLIGHTFIELD_STAGING=<root> -DLIGHTFIELD_SYSTEM=Linux|Windows|Darwin
#             -DCPACK_LIGHTFIELD_APP_ID=app.lightfield.Deals -P cpack-prebuild.cmake
cmake_minimum_required(VERSION 3.22)

if(CPACK_TEMPORARY_INSTALL_DIRECTORY)
    set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
    if(CPACK_PACKAGING_INSTALL_PREFIX AND NOT CPACK_PACKAGING_INSTALL_PREFIX STREQUAL "/")
        string(APPEND root "${CPACK_PACKAGING_INSTALL_PREFIX}")
    endif()
    set(system "${CPACK_SYSTEM_NAME}")
    set(what "${CPACK_GENERATOR} package")
else()
    set(root "${LIGHTFIELD_STAGING}")
    set(system "${LIGHTFIELD_SYSTEM}")
    set(what "install tree")
endif()
if(NOT root OR NOT IS_DIRECTORY "${root}")
    message(FATAL_ERROR "cpack-prebuild: no staging directory (got '${root}')")
endif()
if(system MATCHES "^win")
    set(system Windows)
endif()
set(app_id "${CPACK_LIGHTFIELD_APP_ID}")
if(NOT app_id)
    set(app_id "app.lightfield.Deals")
endif()
set(icon_sizes ${CPACK_LIGHTFIELD_ICON_SIZES})
if(NOT icon_sizes)
    set(icon_sizes 16 32 48 64 128 256)
endif()

set(missing "")
# Each argument is a path relative to the root: a plain path must exist, a glob must match at
# least one file, and "dir/*" means a directory with at least one file somewhere below it.
function(require)
    foreach(pattern IN LISTS ARGN)
        if(pattern MATCHES "^(.*)/\\*$")
            file(GLOB_RECURSE found LIST_DIRECTORIES false "${root}/${CMAKE_MATCH_1}/*")
        elseif(pattern MATCHES "[*?]")
            file(GLOB found LIST_DIRECTORIES false "${root}/${pattern}")
        elseif(EXISTS "${root}/${pattern}" AND NOT IS_DIRECTORY "${root}/${pattern}")
            set(found TRUE)
        else()
            set(found "")
        endif()
        if(NOT found)
            list(APPEND missing "${pattern}")
        endif()
    endforeach()
    set(missing "${missing}" PARENT_SCOPE)
endfunction()

if(system STREQUAL "Windows")
    file(REMOVE_RECURSE "${root}/libexec")
    # The MSVC run-time DLLs are installed beside the exe (InstallRequiredSystemLibraries), so
    # windeployqt's copy of the redistributable installer would only add 25 MB.
    file(GLOB redist "${root}/bin/vc_redist*.exe" "${root}/vc_redist*.exe")
    if(redist)
        file(REMOVE ${redist})
    endif()
    require(bin/lightfield-deals.exe bin/lightfield-sandbox.exe bin/qt.conf
            bin/Qt6Core.dll bin/Qt6Widgets.dll bin/Qt6Network.dll bin/Qt6Sql.dll
            bin/Qt6HttpServer.dll bin/qt6keychain.dll
            plugins/platforms/qwindows.dll
            plugins/tls/qschannelbackend.dll
            plugins/sqldrivers/qsqlite.dll
            plugins/iconengines/qsvgicon.dll
            bin/vcruntime140.dll
            doc/LICENSE)
elseif(system STREQUAL "Darwin")
    # A DMG shows its root to the user: only the bundle (and the /Applications link) belong there.
    file(GLOB entries RELATIVE "${root}" "${root}/*")
    foreach(entry IN LISTS entries)
        if(NOT entry MATCHES "\\.app$" AND NOT entry STREQUAL "Applications")
            file(REMOVE_RECURSE "${root}/${entry}")
        endif()
    endforeach()
    set(contents "lightfield-deals.app/Contents")
    require(${contents}/MacOS/lightfield-deals ${contents}/MacOS/lightfield-sandbox
            ${contents}/Info.plist ${contents}/Resources/lightfield-deals.icns
            ${contents}/Resources/qt.conf
            ${contents}/Frameworks/QtCore.framework/*
            ${contents}/Frameworks/QtHttpServer.framework/*
            ${contents}/Frameworks/*qt6keychain*
            ${contents}/PlugIns/platforms/libqcocoa.dylib
            ${contents}/PlugIns/tls/*backend*.dylib
            ${contents}/PlugIns/sqldrivers/libqsqlite.dylib
            ${contents}/PlugIns/iconengines/libqsvgicon.dylib)
else()
    # Linux: the distribution provides Qt and its plugins (the package's dependencies);
    # the package carries the app, the sandbox and the desktop integration.
    require(bin/lightfield-deals
            libexec/lightfield-deals/lightfield-sandbox
            share/applications/${app_id}.desktop
            share/metainfo/${app_id}.metainfo.xml
            share/icons/hicolor/scalable/apps/${app_id}.svg
            share/doc/lightfield-deals/LICENSE
            share/doc/lightfield-deals/CHANGELOG.md)
    foreach(size IN LISTS icon_sizes)
        require(share/icons/hicolor/${size}x${size}/apps/${app_id}.png)
    endforeach()
endif()

if(missing)
    list(JOIN missing "\n  " list)
    message(FATAL_ERROR "The ${what} for ${system} lacks:\n  ${list}\n(under ${root})")
endif()

# macOS: sign the complete bundle (hardened runtime, needed for notarisation) before CPack puts
# it into the DMG; packaging/macos/build-dmg.sh sets the identity.
if(system STREQUAL "Darwin" AND DEFINED ENV{LIGHTFIELD_CODESIGN_ID})
    execute_process(
        COMMAND codesign --force --deep --options runtime --timestamp
                --sign "$ENV{LIGHTFIELD_CODESIGN_ID}" "${root}/lightfield-deals.app"
        RESULT_VARIABLE result)
    if(result)
        message(FATAL_ERROR "codesign failed (${result})")
    endif()
endif()
message(STATUS "cpack-prebuild: the ${what} for ${system} has every required file")
