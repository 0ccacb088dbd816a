# lightfield_add_test(<name> SOURCES a.cpp [b.cpp…] LIBS lib… [GUI] [TIMEOUT s] [LABELS l…])
#
# One executable per Qt Test class. Tests link libraries, never production .cpp files
# directly. GUI tests run on the offscreen platform so they pass without a display.
# Every test runs with QStandardPaths' test mode set by the test itself (initTestCase).
function(lightfield_add_test name)
    cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    if(NOT ARG_SOURCES)
        set(ARG_SOURCES "${name}.cpp")
    endif()
    qt_add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test lightfield_test_support ${ARG_LIBS})
    lightfield_target_defaults(${name})
    add_test(NAME ${name} COMMAND ${name})
    set(env "QT_QPA_PLATFORM=offscreen" "QT_LOGGING_RULES=lightfield.*.debug=false")
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "${env}"
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}")
endfunction()
