// hft's dropout and attention dropout against torch's own: the same masks from the same seed,
// the same outputs, and the generator left where torch leaves it.
#include "hft/model/dropout.h"

#include <ATen/ops/scaled_dot_product_attention.h>
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hft/model/attention.h"

namespace {

// Runs `draw` after seeding; returns its result and the generator's next numbers.
template <typename Draw>
std::pair<torch::Tensor, torch::Tensor> seeded(Draw draw) {
  torch::manual_seed(11);
  torch::Tensor out = draw();
  return {out, torch::rand({4})};
}

}  // namespace

TEST_CASE("hft's dropout draws the masks torch's dropout draws") {
  CHECK(hft::model::draws_dropout_fast());  // else the checks below compare torch with itself
  for (const auto dtype : {torch::kFloat32, torch::kBFloat16}) {
    for (const int64_t size : {1, 63, 4099}) {
      const torch::Tensor x = torch::randn({3, size}).to(dtype);
      for (const double p : {0.1, 0.5}) {
        const auto [expected, next_expected] = seeded([&] { return torch::dropout(x, p, /*train=*/true); });
        const auto [ours, next_ours] = seeded([&] { return hft::model::dropout(x, p, /*training=*/true); });
        INFO("dtype " << dtype << ", " << size << " columns, p " << p);
        CHECK(torch::equal(ours, expected));
        CHECK(torch::equal(next_ours, next_expected));
      }
    }
  }
}

TEST_CASE("attention with dropout equals scaled_dot_product_attention's math backend") {
  const int64_t batch = 3, length = 7, heads = 2, hidden = 8;
  const torch::Tensor q = torch::randn({batch, length, hidden}), k = torch::randn({batch, length, hidden}),
                      v = torch::randn({batch, length, hidden});
  const torch::Tensor mask = torch::tensor({7, 5, 2}).unsqueeze(1).gt(torch::arange(length)).view({batch, 1, 1, length});
  auto heads_of = [&](const torch::Tensor& x) { return x.view({batch, length, heads, hidden / heads}).transpose(1, 2); };
  const auto [expected, next_expected] = seeded([&] {
    return at::scaled_dot_product_attention(heads_of(q), heads_of(k), heads_of(v), mask, 0.1)
        .transpose(1, 2)
        .reshape({batch, length, hidden});
  });
  const auto [ours, next_ours] = seeded([&] { return hft::model::multi_head_attention(q, k, v, heads, mask, 0.1); });
  CHECK(torch::equal(ours, expected));
  CHECK(torch::equal(next_ours, next_expected));
}
