// Packing a batch's real tokens: the rows and the dropout masks are the padded layout's, as
// torch's own dropout on the padded tensor computes them.
#include "hft/model/token_packing.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

using hft::model::TokenPacking;

namespace {

// Two rows of 4 positions: 3 tokens + 1 padding, 2 tokens + 2 padding.
torch::Tensor mask() { return torch::tensor({{1, 1, 1, 0}, {1, 1, 0, 0}}, torch::kInt64); }

}  // namespace

TEST_CASE("packing keeps the real tokens in order and unpacking puts zeros at the padding") {
  const torch::Tensor padded = torch::arange(2 * 4 * 3, torch::kFloat32).view({2, 4, 3});
  const TokenPacking packing(mask());
  const torch::Tensor packed = packing.pack(padded);
  REQUIRE(packed.sizes() == torch::IntArrayRef({5, 3}));
  // Hand-computed: rows (0,0), (0,1), (0,2), (1,0), (1,1) of the padded batch.
  CHECK(torch::equal(packed, torch::stack({padded[0][0], padded[0][1], padded[0][2], padded[1][0], padded[1][1]})));
  const torch::Tensor expected = padded * mask().unsqueeze(-1).to(torch::kFloat32);
  CHECK(torch::equal(packing.unpack(packed), expected));
}

TEST_CASE("packed dropout uses the masks torch's dropout draws for the padded batch") {
  for (const auto dtype : {torch::kFloat32, torch::kBFloat16}) {
    const torch::Tensor padded = torch::randn({2, 4, 40}).to(dtype);
    const TokenPacking packing(mask());
    torch::manual_seed(3);
    const torch::Tensor expected = packing.pack(torch::dropout(padded, 0.1, /*train=*/true));
    const torch::Tensor next_after_padded = torch::rand({4});
    torch::manual_seed(3);
    const torch::Tensor packed = packing.dropout(packing.pack(padded), 0.1, /*training=*/true);
    CHECK(torch::equal(packed, expected));
    CHECK(torch::equal(torch::rand({4}), next_after_padded));  // the generator is where dropout leaves it
  }
}

TEST_CASE("training batches on the CPU are packed only when they have padding on the right") {
  CHECK(hft::model::packing_for_training(mask(), /*training=*/true).has_value());
  CHECK_FALSE(hft::model::packing_for_training(mask(), /*training=*/false).has_value());
  CHECK_FALSE(hft::model::packing_for_training(torch::ones({2, 4}, torch::kInt64), true).has_value());
  CHECK_FALSE(hft::model::packing_for_training(torch::tensor({{0, 1, 1, 1}, {1, 1, 1, 1}}), true).has_value());
}
