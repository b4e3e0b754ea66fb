#include "hft/model/rotary_embedding.h"

namespace hft::model {

torch::Tensor default_inverse_frequency(int64_t head_dim, double theta, const torch::Device& device) {
  torch::NoGradGuard no_grad;  // constants: nothing to learn
  const auto fp32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  // In fp32 throughout, the order of operations as transformers': a different rounding of the
  // frequencies shows at long positions.
  const torch::Tensor exponents = torch::arange(0, head_dim, 2, fp32) / static_cast<double>(head_dim);
  return torch::reciprocal(torch::pow(theta, exponents));  // [head_dim / 2]
}

RotaryTables rotary_tables(const torch::Tensor& inverse_frequency, int64_t length) {
  torch::NoGradGuard no_grad;
  const int64_t head_dim = 2 * inverse_frequency.size(0);
  const torch::Tensor positions = torch::arange(length, inverse_frequency.options());        // [L]
  const torch::Tensor angles = positions.unsqueeze(1) * inverse_frequency.unsqueeze(0);      // [L, head_dim / 2]
  const torch::Tensor both_halves = torch::cat({angles, angles}, -1).view({1, 1, length, head_dim});
  return {both_halves.cos(), both_halves.sin()};
}

RotaryTables rotary_tables_at(const torch::Tensor& inverse_frequency, const torch::Tensor& positions) {
  torch::NoGradGuard no_grad;
  const torch::Tensor angles = positions.to(torch::kFloat32).unsqueeze(-1) * inverse_frequency;  // [B, L, head_dim / 2]
  const torch::Tensor both_halves = torch::cat({angles, angles}, -1).unsqueeze(1);                 // [B, 1, L, head_dim]
  return {both_halves.cos(), both_halves.sin()};
}

RotaryTables rotary_tables(int64_t length, int64_t head_dim, double theta, const torch::Device& device) {
  return rotary_tables(default_inverse_frequency(head_dim, theta, device), length);
}

torch::Tensor apply_rotary(const torch::Tensor& x, const RotaryTables& tables) {
  const torch::Tensor x32 = x.to(torch::kFloat32);
  const int64_t half = x.size(-1) / 2;
  // rotate_half: (x1, x2) -> (-x2, x1) over the two halves of the last dimension.
  const torch::Tensor rotated = torch::cat({-x32.narrow(-1, half, half), x32.narrow(-1, 0, half)}, -1);
  return (x32 * tables.cos + rotated * tables.sin).to(x.scalar_type());
}

}  // namespace hft::model
