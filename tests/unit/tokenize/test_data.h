// Where the tests find ../shared/data (real tokenizer files, GLUE), relative to the repository.
#pragma once

#include <string>

namespace hft::tokenize::test {

inline std::string shared_data(const std::string& relative) {
  return std::string(HFT_SOURCE_DIR) + "/../shared/data/" + relative;
}

inline std::string tokenizer_dir(const std::string& name) { return shared_data("tokenizers/" + name); }

}  // namespace hft::tokenize::test
