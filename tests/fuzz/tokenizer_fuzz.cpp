// libFuzzer target for the tokenizer.json loader and encode: any bytes must load and encode, or
// be refused with a TokenizeError. Input: a tokenizer.json, a NUL byte, then the text to encode
// (alone, and as a pair truncated to 8 tokens). Built and run for a bounded time by
// run_tokenizer_fuzz.sh (clang, -fsanitize=fuzzer,address,undefined).
#include <unistd.h>  // getpid

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/tokenizer_json.h"  // read_tokenizer_json

using namespace hft::tokenize;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t zero = input.find('\0');
  const std::string_view json = input.substr(0, zero);
  const std::string_view text = zero == std::string_view::npos ? std::string_view() : input.substr(zero + 1);
  // The loader reads files: one per process, rewritten for each input.
  static const std::string path = "/tmp/hft-tokenizer-fuzz-" + std::to_string(getpid()) + ".json";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(json.data(), static_cast<std::streamsize>(json.size()));
  }
  try {
    const Tokenizer tokenizer(read_tokenizer_json(path));
    tokenizer.encode(text);
    EncodeOptions options;
    options.max_length = 8;
    tokenizer.encode_pair(text, text, options);
  } catch (const TokenizeError&) {
  }
  return 0;
}
