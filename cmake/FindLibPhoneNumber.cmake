# FindLibPhoneNumber: Google's libphonenumber as the imported target LibPhoneNumber::LibPhoneNumber.
#
# Debian's libphonenumber-dev (installed by scripts/bootstrap) ships neither CMake config files
# nor pkg-config files, so the header and the library are looked up by name. The shared library
# brings its own protobuf / ICU / abseil dependencies. Sets LibPhoneNumber_FOUND.
find_path(LibPhoneNumber_INCLUDE_DIR phonenumbers/phonenumberutil.h)
find_library(LibPhoneNumber_LIBRARY NAMES phonenumber)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibPhoneNumber
    REQUIRED_VARS LibPhoneNumber_LIBRARY LibPhoneNumber_INCLUDE_DIR
    REASON_FAILURE_MESSAGE "install libphonenumber-dev (scripts/bootstrap)")

if(LibPhoneNumber_FOUND AND NOT TARGET LibPhoneNumber::LibPhoneNumber)
    add_library(LibPhoneNumber::LibPhoneNumber UNKNOWN IMPORTED)
    set_target_properties(LibPhoneNumber::LibPhoneNumber PROPERTIES
        IMPORTED_LOCATION "${LibPhoneNumber_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${LibPhoneNumber_INCLUDE_DIR}"
        # Its headers are not ours to keep warning-free.
        INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${LibPhoneNumber_INCLUDE_DIR}")
endif()
mark_as_advanced(LibPhoneNumber_INCLUDE_DIR LibPhoneNumber_LIBRARY)
