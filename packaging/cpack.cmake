# CPack: DEB and RPM on Linux, NSIS on Windows, DragNDrop (DMG) on macOS.
# Build a package from a configured Release tree with: cpack --config <build>/CPackConfig.cmake -G DEB
# (packaging/README.md has the full recipes). Included from packaging/CMakeLists.txt.

set(LIGHTFIELD_PACKAGE_MAINTAINER "Lightfield Deals contributors <packaging@lightfield.app>"
    CACHE STRING "Maintainer named in the .deb and .rpm")

set(CPACK_PACKAGE_NAME "lightfield-deals")
set(CPACK_PACKAGE_VENDOR "Lightfield Deals contributors")
set(CPACK_PACKAGE_CONTACT "${LIGHTFIELD_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "A native desktop client for the Lightfield CRM. It keeps a complete local copy of your deals, \
so the table, the search and the pipeline board stay fast and work offline. Edits made offline are \
queued on disk and sent exactly once when the network returns; conflicting edits are merged field \
by field. The API key is kept in the system keychain. A demo workspace on a bundled local server \
lets you try the app without an account or a network.")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Lightfield Deals")
set(CPACK_PACKAGE_EXECUTABLES "lightfield-deals" "Lightfield Deals")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
set(CPACK_VERBATIM_VARIABLES ON)
# Tidies the staging tree per generator, then fails the package if a file it needs is missing.
set(CPACK_PRE_BUILD_SCRIPTS "${CMAKE_CURRENT_LIST_DIR}/cpack-prebuild.cmake")
set(CPACK_PROJECT_CONFIG_FILE "${CMAKE_CURRENT_LIST_DIR}/cpack-project-config.cmake")
set(CPACK_LIGHTFIELD_APP_ID "${LIGHTFIELD_APP_ID}")
set(CPACK_LIGHTFIELD_ICON_SIZES "${LIGHTFIELD_ICON_SIZES}")

if(WIN32)
    set(CPACK_GENERATOR "NSIS")
elseif(APPLE)
    set(CPACK_GENERATOR "DragNDrop")
else()
    set(CPACK_GENERATOR "")
    find_program(LIGHTFIELD_DPKG_DEB dpkg-deb)
    find_program(LIGHTFIELD_RPMBUILD rpmbuild)
    if(LIGHTFIELD_DPKG_DEB)
        list(APPEND CPACK_GENERATOR DEB)
    endif()
    if(LIGHTFIELD_RPMBUILD)
        list(APPEND CPACK_GENERATOR RPM)
    endif()
    if(NOT CPACK_GENERATOR)
        set(CPACK_GENERATOR TGZ)
    endif()
    set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
endif()

# --- DEB (Debian 12 "bookworm" and later, Ubuntu 23.04 and later: Qt >= 6.4) ---------------
# dpkg-shlibdeps finds the linked libraries (Qt Core/Gui/Widgets/Network/Sql/DBus, QtKeychain,
# libstdc++). It cannot see what Qt loads at run time, so those are named here:
#  - libqt6sql6-sqlite: the QSQLITE driver plugin (sqldrivers/libqsqlite.so); the local store
#    cannot open without it.
#  - libqt6network6: ships the TLS backend plugins (tls/libqopensslbackend.so, checked with
#    dpkg -S) and depends on libssl3, which that plugin dlopen()s. shlibdeps lists the package
#    for the library already; it is named so the plugin's presence never hinges on linking.
#  - libqt6svg6: the SVG icon engine and image plugin; the window and toolbar icons are SVG.
#  - qt6-qpa-plugins: the xcb platform plugin; libqt6gui6 only recommends it, and without it
#    the app cannot open a window on X11.
# Recommended: a Secret Service provider for the API key (the same alternatives bookworm's
# libqt6keychain1 recommends) and the Wayland platform plugin.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6network6, libqt6svg6, qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager, qt6-wayland")
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LIGHTFIELD_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

# --- RPM (Fedora 38 and later; build it on the target distribution) -----------------------
# rpmbuild's automatic requires (CPACK_RPM_PACKAGE_AUTOREQ, on by default) cover the linked
# libraries. Fedora's names for the run-time pieces: qt6-qtbase ships the QSQLITE driver and
# the TLS plugins (and requires openssl-libs), qt6-qtbase-gui the platform plugins, qt6-qtsvg
# the SVG plugins, qt6-qtwayland the Wayland plugin. openSUSE spells them differently
# (qt6-sql-sqlite, qt6-network-tls, qt6-svg-imageformats…): override with -D at configure time.
set(LIGHTFIELD_RPM_REQUIRES "qt6-qtbase, qt6-qtbase-gui, qt6-qtsvg"
    CACHE STRING "Requires: of the .rpm (Fedora names by default)")
set(LIGHTFIELD_RPM_SUGGESTS "qt6-qtwayland, (gnome-keyring or kf6-kwallet)"
    CACHE STRING "Suggests: of the .rpm (Fedora names by default)")
set(CPACK_RPM_PACKAGE_REQUIRES "${LIGHTFIELD_RPM_REQUIRES}")
set(CPACK_RPM_PACKAGE_SUGGESTS "${LIGHTFIELD_RPM_SUGGESTS}")
set(CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_RPM_PACKAGE_RELOCATABLE OFF)
set(CPACK_RPM_PACKAGE_LICENSE "MIT")
set(CPACK_RPM_PACKAGE_GROUP "Applications/Productivity")
set(CPACK_RPM_PACKAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE 1)
# Directories the filesystem and hicolor-icon-theme packages own must not be claimed.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/libexec
    /usr/share/applications
    /usr/share/metainfo
    /usr/share/icons
    /usr/share/icons/hicolor)
foreach(size IN ITEMS scalable ${LIGHTFIELD_ICON_SIZES})
    if(NOT size STREQUAL "scalable")
        set(size "${size}x${size}")
    endif()
    list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
        "/usr/share/icons/hicolor/${size}" "/usr/share/icons/hicolor/${size}/apps")
endforeach()

# --- NSIS (Windows; windeployqt runs at install time, see packaging/CMakeLists.txt) --------
set(CPACK_NSIS_PACKAGE_NAME "Lightfield Deals")
set(CPACK_NSIS_DISPLAY_NAME "Lightfield Deals ${PROJECT_VERSION}")
set(CPACK_NSIS_MUI_ICON "${CMAKE_CURRENT_LIST_DIR}/windows/lightfield-deals.ico")
set(CPACK_NSIS_MUI_UNIICON "${CMAKE_CURRENT_LIST_DIR}/windows/lightfield-deals.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\lightfield-deals.exe")
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "bin")
set(CPACK_NSIS_MUI_FINISHPAGE_RUN "lightfield-deals.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_CONTACT "${LIGHTFIELD_PACKAGE_MAINTAINER}")
if(WIN32)
    # The MSVC run-time DLLs go beside the exe, so no separate redistributable is needed.
    set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION "${CMAKE_INSTALL_BINDIR}")
    include(InstallRequiredSystemLibraries)
endif()

# --- DragNDrop (macOS; macdeployqt runs at install time) -----------------------------------
set(CPACK_DMG_VOLUME_NAME "Lightfield Deals")
set(CPACK_DMG_FORMAT UDZO)
set(CPACK_DMG_SLA_USE_RESOURCE_FILE_LICENSE OFF)

# --- Source package ------------------------------------------------------------------------
set(CPACK_SOURCE_GENERATOR TXZ)
set(CPACK_SOURCE_PACKAGE_FILE_NAME "lightfield-deals-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build/" "/build-[^/]*/" "/\\.cache/" "/screenshots/")

include(CPack)
