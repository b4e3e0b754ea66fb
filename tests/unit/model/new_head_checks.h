// A model folder without (some of) its head, loaded after torch.manual_seed(42): hft must draw
// the very numbers transformers drew for the missing parameters (the oracle's `new/<name>` in
// `expected_file`), in its order, and leave the default generator where transformers left it
// (`after_load`: its next torch.rand(4)), since dropout masks come next.
#pragma once

#include <torch/torch.h>  // before Catch: c10's CHECK macro must not replace Catch's
#include <catch2/catch.hpp>

#include <string>

#include "hft/model/pretrained.h"
#include "hft/model/safetensors.h"
#include "tensor_checks.h"

namespace hft::testing {

inline void check_new_head(const std::string& dir, const std::string& expected_file,
                           const model::LoadOptions& options) {
  const model::SafetensorsFile expected(dir + "/" + expected_file);
  torch::manual_seed(42);
  const model::PretrainedModel model = model::from_pretrained(dir, options);
  const torch::Tensor after_load = torch::rand({4});
  auto parameters = model.module->named_parameters();
  int compared = 0;
  for (const auto& key : expected.names()) {
    if (!key.starts_with("new/")) continue;
    const std::string parameter = key.substr(4);
    INFO(dir + ": " + parameter);
    REQUIRE(parameters.contains(parameter));
    CHECK(max_abs_diff(parameters[parameter], expected.tensor(key)) == 0.0);
    ++compared;
  }
  CHECK(compared == static_cast<int>(model.report.newly_initialized.size()));
  INFO(dir + ": the generator's next numbers after loading");
  CHECK(max_abs_diff(after_load, expected.tensor("after_load")) == 0.0);
}

}  // namespace hft::testing
