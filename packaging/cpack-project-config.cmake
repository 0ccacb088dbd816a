# CPACK_PROJECT_CONFIG_FILE: read by cpack for every generator, at packaging time.

# CPack's RPM generator (3.25 at least) checks for weak-dependency support by running
# "${RPM_EXECUTABLE} --suggests" without ever setting RPM_EXECUTABLE, so it drops Suggests:
# from the spec. Setting it makes the check real.
if(CPACK_GENERATOR STREQUAL "RPM" AND NOT RPM_EXECUTABLE)
    find_program(RPM_EXECUTABLE rpm)
endif()
