// Where the tests find the real tokenizer files and their reference outputs (tests/fixtures/tokenizers).
#pragma once

#include <string>

namespace hft::tokenize::test {

inline std::string fixture(const std::string& relative) {
  return std::string(HFT_SOURCE_DIR) + "/tests/fixtures/" + relative;
}

inline std::string tokenizer_dir(const std::string& name) { return fixture("tokenizers/" + name); }

}  // namespace hft::tokenize::test
