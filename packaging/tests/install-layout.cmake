# packaging_install_layout: installs the build tree into a scratch DESTDIR with prefix /usr, as
# CPack does for the .deb and .rpm, then checks it with cpack-prebuild.cmake and, when
# appstreamcli is there, validates the installed desktop integration as one tree.
# cmake -DBUILD_DIR=… -DSTAGING=… -DCHECK_SCRIPT=… [-DAPPSTREAMCLI=…] -P install-layout.cmake
cmake_minimum_required(VERSION 3.22)
file(REMOVE_RECURSE "${STAGING}")
execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env "DESTDIR=${STAGING}"
            "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix /usr
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result)
    message(FATAL_ERROR "cmake --install failed (${result}):\n${output}")
endif()
execute_process(
    COMMAND "${CMAKE_COMMAND}" "-DLIGHTFIELD_STAGING=${STAGING}/usr" "-DLIGHTFIELD_SYSTEM=${CMAKE_HOST_SYSTEM_NAME}"
            -P "${CHECK_SCRIPT}"
    RESULT_VARIABLE result)
if(result)
    message(FATAL_ERROR "the install tree is incomplete")
endif()
if(APPSTREAMCLI)
    execute_process(
        COMMAND "${APPSTREAMCLI}" validate-tree --no-net --strict --pedantic --explain "${STAGING}"
        RESULT_VARIABLE result)
    if(result)
        message(FATAL_ERROR "appstreamcli validate-tree failed on the install tree (${result})")
    endif()
endif()
file(GLOB_RECURSE files RELATIVE "${STAGING}" "${STAGING}/*")
list(LENGTH files count)
message(STATUS "install tree: ${count} files under ${STAGING}")
