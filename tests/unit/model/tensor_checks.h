// Comparing tensors against the oracle's: the largest absolute difference, measured against a
// tolerance that may scale with the expected values' magnitude.
#pragma once

#include <torch/types.h>

#include <sstream>
#include <string>

namespace hft::testing {

inline double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

inline double max_abs(const torch::Tensor& a) { return a.to(torch::kFloat64).abs().max().item<double>(); }

// "name: max |diff| 3.1e-07 (tolerance 1e-05)" for a failure message.
inline std::string describe_diff(const std::string& name, double diff, double tolerance) {
  std::ostringstream out;
  out << name << ": max |diff| " << diff << " (tolerance " << tolerance << ")";
  return out.str();
}

}  // namespace hft::testing
