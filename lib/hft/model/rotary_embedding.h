// Rotary position embeddings (RoPE, the "default" rope_type): each pair of a head's channels
// (i, i + head_dim/2) is rotated by position x inverse frequency, as transformers' rotate_half
// formulation does it, so queries and keys carry their positions into the dot product.
#pragma once

#include <torch/types.h>

namespace hft::model {

struct RotaryTables {
  torch::Tensor cos, sin;  // [1, 1, L, head_dim] (or [B, 1, L, head_dim] at given positions), fp32
};

// The default rope_type's inverse frequencies 1 / theta^(2i / head_dim), i < head_dim / 2, fp32.
torch::Tensor default_inverse_frequency(int64_t head_dim, double theta, const torch::Device& device);

// The tables for positions 0..length-1 of `inverse_frequency` ([head_dim / 2] fp32, each used
// twice: both halves).
RotaryTables rotary_tables(const torch::Tensor& inverse_frequency, int64_t length);

// The tables for given positions ([B, L] int64: packed rows restart at 0), [B, 1, L, head_dim].
RotaryTables rotary_tables_at(const torch::Tensor& inverse_frequency, const torch::Tensor& positions);

// The same with the default inverse frequencies of base `theta`.
RotaryTables rotary_tables(int64_t length, int64_t head_dim, double theta, const torch::Device& device);

// x: [B, heads, L, head_dim] -> the same shape, rotated (computed in fp32, returned in x's dtype).
torch::Tensor apply_rotary(const torch::Tensor& x, const RotaryTables& tables);

}  // namespace hft::model
