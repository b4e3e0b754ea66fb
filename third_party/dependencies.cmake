# Every dependency is found on the system (scripts/setup.sh installs them, the Debian packages of
# third_party/debian-packages.txt), or first in HFT_DEPS_PREFIX: those packages unpacked without
# root (scripts/deps_prefix.sh), for a machine without apt. One library is vendored, whole, with its
# licence: minja (third_party/minja, header only; third_party/README.md says where it came from).
set(HFT_DEPS_PREFIX "" CACHE PATH
    "Folder with the Debian packages unpacked (scripts/deps_prefix.sh unpack); searched before the system")
if(HFT_DEPS_PREFIX)
  include(${CMAKE_CURRENT_LIST_DIR}/deps_prefix.cmake)
endif()

find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)  # SHA-256 of checkpoint files, base64
find_package(ZLIB REQUIRED)  # gzip-compressed data files (train.tsv.gz)
find_package(CURL REQUIRED)  # HTTP to an MLflow tracking server (report_to: mlflow)
# Chart.js (Debian's libjs-chart.js, MIT): its UMD build is inlined into every report.html.
find_file(HFT_CHART_JS chart.min.js HINTS ${HFT_DEPS_PREFIX}/usr/share/javascript/chart.js
          PATHS /usr/share/javascript/chart.js REQUIRED NO_DEFAULT_PATH)
if(HFT_DEPS_PREFIX_ARCH_INCLUDE)  # Debian keeps openssl/configuration.h under include/<arch>
  set_property(TARGET OpenSSL::Crypto APPEND PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${HFT_DEPS_PREFIX_ARCH_INCLUDE})
endif()

# CLI11 (Debian ships the header only, no CMake package in 2.1).
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
add_library(hft_cli11 INTERFACE)
target_include_directories(hft_cli11 SYSTEM INTERFACE ${CLI11_INCLUDE_DIR})

# minja: the Jinja engine that renders chat templates (hft_chat). Header only, over nlohmann_json;
# its own CMakeLists.txt (tests, FetchContent of another nlohmann_json) is not used.
add_library(hft_minja INTERFACE)
target_include_directories(hft_minja SYSTEM INTERFACE ${CMAKE_CURRENT_LIST_DIR}/minja/include)
target_link_libraries(hft_minja INTERFACE nlohmann_json::nlohmann_json)

# LibTorch: from the torch wheel in .venv (setup.sh passes Torch_DIR) or the user's own.
# The CUDA-enabled wheel looks for the CUDA toolkit; on a machine without one it builds for CPU.
# Without a GPU to probe, build CUDA code for Hopper (H100/H200) and Ampere unless told otherwise.
if(NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST} AND NOT DEFINED TORCH_CUDA_ARCH_LIST)
  set(TORCH_CUDA_ARCH_LIST "8.0;9.0")
endif()
find_package(Torch REQUIRED)

# The CUDA wheel's LibTorch needs the CUDA, cuDNN and NCCL libraries of its own `nvidia-*`
# wheels; a system CUDA toolkit (older NCCL, say) must not shadow them at link or run time.
file(GLOB HFT_TORCH_NVIDIA_LIBS LIST_DIRECTORIES true "${TORCH_INSTALL_PREFIX}/../nvidia/*/lib")
set(HFT_TORCH_RPATH "${TORCH_INSTALL_PREFIX}/lib")
foreach(dir IN LISTS HFT_TORCH_NVIDIA_LIBS)
  get_filename_component(dir "${dir}" REALPATH)
  list(APPEND HFT_TORCH_RPATH "${dir}")
endforeach()

# hft_torch: LibTorch for any target that links it, with the wheel's library folders searched
# first at link and run time (the options travel to every executable that links a user of it).
# libstdc++ comes first: LibTorch 2.11's libtorch.so exports copies of 64 std::filesystem functions
# (2.15's none), and a program binds each symbol to the first library defining it; bound to
# LibTorch 2.11's, std::filesystem::remove_all called a null pointer (unit_config, SIGSEGV).
add_library(hft_torch INTERFACE)
target_link_libraries(hft_torch INTERFACE "-Wl,--push-state,--no-as-needed" stdc++ "-Wl,--pop-state"
                      ${TORCH_LIBRARIES})
target_compile_options(hft_torch INTERFACE ${TORCH_CXX_FLAGS})
foreach(dir IN LISTS HFT_TORCH_RPATH)
  target_link_options(hft_torch INTERFACE "LINKER:-rpath,${dir}" "LINKER:-rpath-link,${dir}")
endforeach()

# Kept for executables that use LibTorch directly.
function(hft_link_torch target)
  target_link_libraries(${target} PRIVATE hft_torch)
endfunction()
