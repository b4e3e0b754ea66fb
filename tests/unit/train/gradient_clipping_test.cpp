// Gradient clipping (max_grad_norm) as torch.nn.utils.clip_grad_norm_ does it, on its foreach
// kernels: the total L2 norm over every gradient, and each gradient scaled by
// max_norm / (norm + 1e-6) when that is below 1. Cases worked out by hand.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cmath>

#include "hft/train/optimizer.h"

namespace {

torch::Tensor parameter_with_grad(std::vector<float> grad) {
  torch::Tensor p = torch::zeros({static_cast<int64_t>(grad.size())}, torch::requires_grad());
  p.mutable_grad() = torch::tensor(grad);
  return p;
}

}  // namespace

TEST_CASE("clipping: the norm over all gradients, each scaled by max_norm / (norm + 1e-6)") {
  // |[3, 4]| = 5, |[12]| = 12: the total is sqrt(25 + 144) = 13.
  const std::vector<torch::Tensor> parameters = {parameter_with_grad({3, 4}), parameter_with_grad({12}),
                                                 torch::zeros({2}, torch::requires_grad())};  // no gradient: left out
  const torch::Tensor norm = hft::train::clip_grad_norm(parameters, 6.5);
  CHECK(norm.item<double>() == Approx(13.0).epsilon(1e-7));
  const double scale = 6.5 / (13.0 + 1e-6);
  CHECK(parameters[0].grad()[0].item<double>() == Approx(3 * scale).epsilon(1e-6));
  CHECK(parameters[0].grad()[1].item<double>() == Approx(4 * scale).epsilon(1e-6));
  CHECK(parameters[1].grad()[0].item<double>() == Approx(12 * scale).epsilon(1e-6));
  CHECK_FALSE(parameters[2].grad().defined());
}

TEST_CASE("clipping leaves gradients below max_norm as they are, and infinity only measures") {
  const std::vector<torch::Tensor> parameters = {parameter_with_grad({3, 4})};
  CHECK(hft::train::clip_grad_norm(parameters, 10.0).item<double>() == Approx(5.0));
  CHECK(parameters[0].grad()[1].item<float>() == 4.0f);  // scale clamped to 1: exactly unchanged
  CHECK(hft::train::clip_grad_norm(parameters, INFINITY).item<double>() == Approx(5.0));
  CHECK(parameters[0].grad()[0].item<float>() == 3.0f);
}
