# Fails when a C++ source of the project does not match the committed .clang-format.
# Run by the format_check test: cmake -DCLANG_FORMAT=… -DSOURCE_DIR=… -P CheckFormat.cmake
# (fix with: clang-format-14 -i FILE, or `git clang-format-14` on a change).
if(NOT CLANG_FORMAT)
    message(FATAL_ERROR "clang-format-14 was not found; scripts/bootstrap installs it.")
endif()
set(sources)
foreach(folder app models views tests)
    file(GLOB_RECURSE found "${SOURCE_DIR}/${folder}/*.cpp" "${SOURCE_DIR}/${folder}/*.h")
    list(APPEND sources ${found})
endforeach()
list(LENGTH sources count)
execute_process(
    COMMAND "${CLANG_FORMAT}" --dry-run -Werror ${sources}
    WORKING_DIRECTORY "${SOURCE_DIR}"
    RESULT_VARIABLE result
    ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
    string(REGEX MATCHALL "[^\n]*: error: code should be clang-formatted" lines "${errors}")
    set(files)
    foreach(line ${lines})
        string(REGEX REPLACE ":[0-9]+:[0-9]+: error: code should be clang-formatted" "" file "${line}")
        list(APPEND files "${file}")
    endforeach()
    list(REMOVE_DUPLICATES files)
    list(JOIN files "\n  " listed)
    message(FATAL_ERROR "Not formatted as .clang-format says:\n  ${listed}\n"
        "Fix with clang-format-14 -i on these files.")
endif()
message(STATUS "${count} sources match .clang-format")
