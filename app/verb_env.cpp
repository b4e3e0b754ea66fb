// `hft env`: what this hft sees: its version, LibTorch's, the GPUs and collective libraries,
// the CPU's vector features and the thread counts. The first thing to paste into a bug report.
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "verbs.h"
#include "version.h"  // kHftVersion

namespace hft::app {
namespace {

// The build setting `name=value` from LibTorch's configuration summary, or "unknown".
std::string build_setting(const std::string& config, const std::string& name) {
  const auto start = config.find(name + "=");
  if (start == std::string::npos) return "unknown";
  const auto value = start + name.size() + 1;
  return config.substr(value, config.find_first_of(",\n", value) - value);
}

// A build switch as at::show_config() prints it: `ON` in some LibTorch builds, `1` in others
// (CMake's true values both).
bool switched_on(const std::string& value) { return value == "ON" || value == "1" || value == "TRUE" || value == "YES"; }

// The CPU's model name and the vector features that matter for training speed.
// The "CPU capability usage: AVX512" line: which vector kernels LibTorch dispatches to.
std::string cpu_kernels(const std::string& config) {
  const std::string label = "CPU capability usage: ";
  const auto start = config.find(label);
  if (start == std::string::npos) return "unknown";
  const auto value = start + label.size();
  return config.substr(value, config.find('\n', value) - value);
}

std::string cpu_summary() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model = "unknown CPU", flags;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0 && model == "unknown CPU") model = line.substr(line.find(':') + 2);
    if (line.rfind("flags", 0) == 0 && flags.empty()) flags = " " + line.substr(line.find(':') + 1) + " ";
  }
  std::string features;
  for (const char* f : {"avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_tile"})
    if (flags.find(std::string(" ") + f + " ") != std::string::npos) features += std::string(" ") + f;
  return model + " |" + (features.empty() ? " no AVX2" : features);
}

std::string cuda_summary() {
  if (!torch::cuda::is_available()) return "not available (no GPU or driver); training runs on the CPU";
  const auto& hooks = at::detail::getCUDAHooks();
  std::ostringstream out;
  out << torch::cuda::device_count() << " device(s), runtime " << hooks.versionCUDART();
  if (torch::cuda::cudnn_is_available()) out << ", cuDNN " << hooks.versionCuDNN();
  return out.str();
}

}  // namespace

int run_env() {
  const std::string config = at::show_config();
  std::cout << "hft        " << kHftVersion << "\n"
            << "LibTorch   " << TORCH_VERSION << " (BLAS " << build_setting(config, "BLAS_INFO") << ", built for CUDA "
            << build_setting(config, "CUDA_VERSION") << ", cuDNN " << build_setting(config, "CUDNN_VERSION") << ")\n"
            << "CUDA       " << cuda_summary() << "\n"
            << "NCCL       " << (switched_on(build_setting(config, "USE_NCCL")) ? "built in" : "not built in") << "\n"
            << "Gloo       " << (switched_on(build_setting(config, "USE_GLOO")) ? "built in" : "not built in") << "\n"
            << "CPU        " << cpu_summary() << "\n"
            << "kernels    " << cpu_kernels(config) << "\n"
            << "threads    " << at::get_num_threads() << " intra-op, " << at::get_num_interop_threads()
            << " inter-op, " << std::thread::hardware_concurrency() << " hardware\n";
  return 0;
}

}  // namespace hft::app
