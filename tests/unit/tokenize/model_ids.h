// The ids a model gives one word, for the tests of the models.
#pragma once

#include <string>
#include <vector>

#include "hft/tokenize/model.h"

namespace hft::tokenize::test {

inline std::vector<int32_t> model_ids(const Model& model, const std::u32string& word) {
  std::vector<ModelToken> tokens;
  model.tokenize(word, tokens);
  std::vector<int32_t> out;
  for (const auto& t : tokens) out.push_back(t.id);
  return out;
}

}  // namespace hft::tokenize::test
