// Which weights file a model folder's load reads (safetensors before pytorch_model.bin, as
// transformers prefers), and one clear line for every broken weights file or config: a
// pytorch_model.bin that is not what torch.save writes, a missing config.json, a dtype hft
// cannot load, a tensor of the wrong kind.
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/torch.h>
#undef CHECK  // c10's logging defines one; Catch's must be the CHECK below
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../test_files.h"
#include "hft/model/model_error.h"
#include "hft/model/pretrained.h"
#include "hft/model/safetensors.h"
#include "hft/model/torch_bin.h"
#include "oracle_fixtures.h"

using namespace hft::model;
using namespace hft::testing;
using Catch::Contains;

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The oracle's "bert" config in `scratch`, with `bin_bytes` as its only weights file.
std::string folder_with_bin(const ScratchDir& scratch, const std::string& bin_bytes) {
  fs::copy_file(model_oracle_dir() + "/bert/config.json", scratch.path("config.json"), fs::copy_options::overwrite_existing);
  write_bytes(scratch.path("pytorch_model.bin"), bin_bytes);
  return scratch.path();
}

}  // namespace

TEST_CASE("pytorch_model.bin is read as torch.save wrote it: every tensor, name and dtype") {
  const auto tensors = read_torch_bin(model_oracle_dir() + "/bert_bf16_bin/pytorch_model.bin");
  const SafetensorsFile reference(model_oracle_dir() + "/bert_bf16/model.safetensors");
  CHECK(tensors.size() == reference.names().size());
  for (const auto& [name, tensor] : tensors) {
    INFO(name);
    REQUIRE(reference.contains(name));
    CHECK(tensor.scalar_type() == torch::kBFloat16);
    CHECK(torch::equal(tensor, reference.tensor(name)));
  }
}

TEST_CASE("a folder with both model.safetensors and pytorch_model.bin loads the safetensors, as transformers does") {
  ScratchDir scratch;
  const std::string dir = folder_with_bin(scratch, "not a torch.save file");  // never read
  fs::copy_file(model_oracle_dir() + "/bert/model.safetensors", scratch.path("model.safetensors"));
  const PretrainedModel both = from_pretrained(dir);
  const PretrainedModel reference = from_pretrained(model_oracle_dir() + "/bert");
  CHECK(both.report.newly_initialized.empty());
  const auto expected = reference.module->named_parameters();
  for (const auto& item : both.module->named_parameters()) CHECK(torch::equal(item.value(), expected[item.key()]));
}

TEST_CASE("a broken pytorch_model.bin gets one clear line naming the file") {
  ScratchDir scratch;
  const std::string good = read_bytes(model_oracle_dir() + "/bert_bin/pytorch_model.bin");
  auto error_for = [&](const std::string& bytes) -> std::string {
    try {
      from_pretrained(folder_with_bin(scratch, bytes));
    } catch (const ModelError& e) {
      return e.what();
    }
    return "(loaded without an error)";
  };
  auto check_one_line = [&](const std::string& bytes, const std::string& expected) {
    const std::string message = error_for(bytes);
    INFO(message);
    CHECK_THAT(message, Contains(scratch.path("pytorch_model.bin")) && Contains(expected));
    CHECK(message.find('\n') == std::string::npos);
  };
  check_one_line("", "not a zip archive as torch.save writes it");
  check_one_line("\x80\x02}q\x00.", "not a zip archive as torch.save writes it");  // a bare pickle (torch < 1.6)
  check_one_line(good.substr(0, good.size() / 2), "damaged or not a state dict torch.save wrote");
  check_one_line(good.substr(0, 200), "damaged or not a state dict torch.save wrote");
  // A torch.save file of a list, not of a state dict.
  const std::vector<char> list = torch::jit::pickle_save(c10::IValue(c10::List<int64_t>({1, 2, 3})));
  check_one_line(std::string(list.begin(), list.end()), "state dict");
  // Bytes overwritten anywhere in the archive: a load or one line, never a crash. (LibTorch does
  // not check the zip's CRCs, nor does torch.load: damaged tensor bytes load as they are.)
  auto damaged_at = [&](size_t at) {
    std::string damaged = good;
    for (size_t i = at; i < at + 16; ++i) damaged[i] = static_cast<char>(0xA5);
    return error_for(damaged);
  };
  for (size_t at = 40; at + 16 < good.size(); at += good.size() / 23) {
    const std::string message = damaged_at(at);
    INFO("bytes " << at << "..: " << message);
    CHECK(message.find('\n') == std::string::npos);
  }
  // The pickle (the archive's first record) is checked as it is read.
  for (const size_t at : {size_t{100}, size_t{2000}}) {
    const std::string message = damaged_at(at);
    INFO("bytes " << at << "..: " << message);
    CHECK_THAT(message, Contains("damaged or not a state dict"));
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("a missing pytorch_model.bin shard or a bad index gets one clear line") {
  ScratchDir scratch;
  fs::copy_file(model_oracle_dir() + "/bert/config.json", scratch.path("config.json"));
  scratch.write("pytorch_model.bin.index.json", R"({"weight_map": {"classifier.weight": "pytorch_model-00001-of-00002.bin"}})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Contains("pytorch_model-00001-of-00002.bin: cannot open"));
  scratch.write("pytorch_model.bin.index.json", R"({"weight_map": {"classifier.weight": 3}})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Contains("weight_map: `classifier.weight` maps to 3; expected a file name"));
}

TEST_CASE("a folder without config.json, or with a dtype hft cannot load, gets one clear line") {
  ScratchDir scratch;
  write_safetensors(scratch.path("model.safetensors"), {});
  CHECK_THROWS_WITH(from_pretrained(scratch.path()),
                    Contains("config.json: cannot read the model config; expected a config.json written by transformers"));
  scratch.write("config.json", R"({"model_type": "bert", "dtype": "int8"})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()),
                    Contains("dtype: \"int8\" is not a dtype hft can load; expected \"float32\", \"float16\" or \"bfloat16\""));
  scratch.write("config.json", R"({"model_type": "bert", "torch_dtype": 16})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Contains("torch_dtype: 16 is not a dtype hft can load"));
}

TEST_CASE("integer values where the model has floating-point weights get one clear line") {
  ScratchDir scratch;
  scratch.write("config.json", R"({"model_type": "bert", "hidden_size": 32, "num_attention_heads": 4,
                                   "num_hidden_layers": 1, "intermediate_size": 8, "vocab_size": 10})");
  write_safetensors(scratch.path("model.safetensors"), {{"bert.pooler.dense.bias", torch::zeros({32}, torch::kInt64)}});
  CHECK_THROWS_WITH(from_pretrained(scratch.path()),
                    Contains("tensor `bert.pooler.dense.bias` holds Long values; expected floating-point weights"));
}
