// The safetensors reader on files written by the Python `safetensors` package and on broken
// files made by hand: every malformed header is one ModelError, never a crash.
#include "hft/model/safetensors.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cstring>

#include "../test_files.h"
#include "hft/model/model_error.h"
#include "oracle_fixtures.h"

using namespace hft::model;
using hft::testing::ScratchDir;

namespace {

// A file with the given JSON header and `data_bytes` zero bytes of data.
std::string file_with_header(const ScratchDir& dir, const std::string& header, size_t data_bytes,
                             uint64_t claimed_size = 0) {
  std::string content(8, '\0');
  const uint64_t size = claimed_size ? claimed_size : header.size();
  std::memcpy(content.data(), &size, 8);
  content += header + std::string(data_bytes, '\0');
  return dir.write("t.safetensors", content);
}

}  // namespace

TEST_CASE("reads what the Python safetensors package wrote") {
  const SafetensorsFile file(hft::testing::model_oracle_dir() + "/bert/model.safetensors");
  const torch::Tensor weight = file.tensor("bert.embeddings.word_embeddings.weight");
  CHECK(weight.sizes() == torch::IntArrayRef({99, 32}));
  CHECK(weight.scalar_type() == torch::kFloat32);
}

TEST_CASE("writes and reads back every dtype a checkpoint uses") {
  ScratchDir dir;
  const auto f32 = torch::randn({3, 4});
  write_safetensors(dir.path("w.safetensors"), {{"f32", f32}, {"bf16", f32.to(torch::kBFloat16)},
                                                 {"f16", f32.to(torch::kFloat16)}, {"i64", torch::arange(5)}});
  const SafetensorsFile file(dir.path("w.safetensors"));
  CHECK(torch::equal(file.tensor("f32"), f32));
  CHECK(torch::equal(file.tensor("bf16"), f32.to(torch::kBFloat16)));
  CHECK(torch::equal(file.tensor("f16"), f32.to(torch::kFloat16)));
  CHECK(torch::equal(file.tensor("i64"), torch::arange(5)));
}

TEST_CASE("malformed files are refused with a message naming the problem") {
  ScratchDir dir;
  using Catch::Contains;
  CHECK_THROWS_WITH(SafetensorsFile(dir.write("short", "abc")), Contains("too short"));
  CHECK_THROWS_WITH(SafetensorsFile(file_with_header(dir, "{}", 0, 1000)), Contains("longer than the file"));
  CHECK_THROWS_WITH(SafetensorsFile(file_with_header(dir, "[1, 2]", 0)), Contains("not a JSON object"));
  CHECK_THROWS_WITH(SafetensorsFile(file_with_header(dir, R"({"a": {"dtype": "F8", "shape": [1], "data_offsets": [0, 1]}})", 1)),
                    Contains("tensor `a`: unknown dtype \"F8\""));
  CHECK_THROWS_WITH(SafetensorsFile(file_with_header(dir, R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})", 8)),
                    Contains("outside the 8 data bytes"));
  CHECK_THROWS_WITH(SafetensorsFile(file_with_header(dir, R"({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}})", 16)),
                    Contains("holds 16 bytes; its shape and dtype need 12"));
  CHECK_THROWS_WITH(
      SafetensorsFile(file_with_header(
          dir, R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})", 12)),
      Contains("overlap"));
  CHECK_THROWS_WITH(SafetensorsFile(file_with_header(dir, R"({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})", 4)),
                    Contains("not a list of sizes"));
  // 2^62 x 4 floats wrap a 64-bit byte count around to 0: refused, not mapped as an empty tensor.
  CHECK_THROWS_WITH(
      SafetensorsFile(file_with_header(dir, R"({"a": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 0]}})", 0)),
      Contains("is too large"));
  CHECK_THROWS_WITH(SafetensorsFile(file_with_header(dir, R"({"a": {"dtype": "F32", "shape": 4, "data_offsets": [0, 16]}})", 16)),
                    Contains("not a list of sizes"));
}
