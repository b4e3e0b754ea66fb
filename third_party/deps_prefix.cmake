# HFT_DEPS_PREFIX: Debian packages unpacked into a folder (scripts/deps_prefix.sh unpack), searched
# before the system by every find_package/find_path/find_library, with Debian's multiarch layout
# (usr/lib/<arch>, usr/include/<arch>), and put on the rpath so that hft runs without LD_LIBRARY_PATH.
get_filename_component(HFT_DEPS_PREFIX "${HFT_DEPS_PREFIX}" ABSOLUTE)
set(hft_deps_usr "${HFT_DEPS_PREFIX}/usr")
if(NOT IS_DIRECTORY "${hft_deps_usr}/include")
  message(FATAL_ERROR "HFT_DEPS_PREFIX=${HFT_DEPS_PREFIX} has no usr/include; expected the folder "
                      "that scripts/deps_prefix.sh unpack wrote")
endif()
# The architecture folder: CMake's own guess when it has one, else the one the prefix holds.
set(hft_deps_arch "${CMAKE_LIBRARY_ARCHITECTURE}")
if(NOT hft_deps_arch OR NOT IS_DIRECTORY "${hft_deps_usr}/lib/${hft_deps_arch}")
  file(GLOB hft_deps_arch_dirs LIST_DIRECTORIES true RELATIVE "${hft_deps_usr}/lib" "${hft_deps_usr}/lib/*-linux-gnu*")
  list(GET hft_deps_arch_dirs 0 hft_deps_arch)
endif()
set(hft_deps_lib "${hft_deps_usr}/lib/${hft_deps_arch}")
if(NOT IS_DIRECTORY "${hft_deps_lib}")
  message(FATAL_ERROR "HFT_DEPS_PREFIX=${HFT_DEPS_PREFIX} has no usr/lib/<arch>-linux-gnu; expected "
                      "the libraries of Debian packages for this machine's architecture")
endif()
set(HFT_DEPS_PREFIX_ARCH_INCLUDE "${hft_deps_usr}/include/${hft_deps_arch}")

# usr: share/cmake and lib/cmake packages; lib/<arch>/cmake: yaml-cpp, even where CMake knows no arch.
list(PREPEND CMAKE_PREFIX_PATH "${hft_deps_usr}" "${hft_deps_lib}/cmake")
list(PREPEND CMAKE_INCLUDE_PATH "${hft_deps_usr}/include" "${HFT_DEPS_PREFIX_ARCH_INCLUDE}")
list(PREPEND CMAKE_LIBRARY_PATH "${hft_deps_lib}")
# FindOpenSSL searches OPENSSL_ROOT_DIR's lib and lib64 only (CMake 4 does not add lib/<arch>
# there): name the files, as a user would on the command line.
set(OPENSSL_ROOT_DIR "${hft_deps_usr}")
set(ZLIB_ROOT "${hft_deps_usr}")
if(EXISTS "${hft_deps_lib}/libcrypto.so" AND NOT OPENSSL_CRYPTO_LIBRARY)
  set(OPENSSL_CRYPTO_LIBRARY "${hft_deps_lib}/libcrypto.so" CACHE FILEPATH "libcrypto of HFT_DEPS_PREFIX")
  set(OPENSSL_INCLUDE_DIR "${hft_deps_usr}/include" CACHE PATH "OpenSSL headers of HFT_DEPS_PREFIX")
endif()
list(APPEND CMAKE_BUILD_RPATH "${hft_deps_lib}")
list(APPEND CMAKE_INSTALL_RPATH "${hft_deps_lib}")
message(STATUS "hft: dependencies from ${HFT_DEPS_PREFIX} (libraries in ${hft_deps_lib})")
