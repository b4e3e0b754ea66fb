// config.json against the weights before the network is built, and the config values each
// architecture reads: a size the weights' headers contradict (vocab_size 1e12 against a [99, 32]
// embedding), 1e9 layers where 2 are stored, too many new values, a dropout of 5, a negative size, an
// eps of 0. Each is one ModelError naming config.json, the key and what would be right, raised
// before anything is allocated for the network. The expected sizes are those transformers wrote
// into the oracle's models (tests/oracle/model_fixtures.py).
#include <nlohmann/json.hpp>
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
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// The oracle's `fixture` folder in `scratch`: its config.json with `edits` merged in, its weights
// (those `keep` selects, when given).
std::string copy_fixture(const ScratchDir& scratch, const std::string& fixture, const json& edits,
                         const std::function<bool(const std::string&)>& keep = nullptr) {
  const std::string from = model_oracle_dir() + "/" + fixture;
  json config = read_json(from + "/config.json");
  config.merge_patch(edits);
  std::ofstream(scratch.path("config.json")) << config.dump();
  for (const char* name : {"model.safetensors", "pytorch_model.bin"}) {
    if (!fs::exists(from + "/" + name)) continue;
    if (!keep) {
      fs::copy_file(from + "/" + name, scratch.path(name), fs::copy_options::overwrite_existing);
      continue;
    }
    const SafetensorsFile weights(from + "/" + name);
    std::vector<std::pair<std::string, torch::Tensor>> kept;
    for (const auto& tensor : weights.names())
      if (keep(tensor)) kept.emplace_back(tensor, weights.tensor(tensor));
    write_safetensors(scratch.path(name), kept);
  }
  return scratch.path();
}

std::string load_error(const std::string& dir) {
  try {
    from_pretrained(dir);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(loaded without an error)";
}

struct ArchitectureKeys {
  std::string fixture, layers, width;
};

const std::vector<ArchitectureKeys> kArchitectures = {{"bert", "num_hidden_layers", "hidden_size"},
                                                      {"roberta", "num_hidden_layers", "hidden_size"},
                                                      {"electra", "num_hidden_layers", "hidden_size"},
                                                      {"distilbert", "n_layers", "dim"},
                                                      {"modernbert", "num_hidden_layers", "hidden_size"}};

}  // namespace

TEST_CASE("a config that asks for more than the weights hold is refused by key, in every architecture") {
  for (const auto& [fixture, layers_key, width_key] : kArchitectures) {
    INFO(fixture);
    const json written = read_json(model_oracle_dir() + "/" + fixture + "/config.json");  // by transformers
    const std::string layers = std::to_string(written[layers_key].get<int64_t>());
    const std::string vocab = std::to_string(written["vocab_size"].get<int64_t>());
    const std::string width = std::to_string(written[width_key].get<int64_t>());
    ScratchDir scratch;
    auto error_for = [&](const json& edits) {
      const std::string message = load_error(copy_fixture(scratch, fixture, edits));
      INFO(message);
      CHECK_THAT(message, Contains(scratch.path("config.json")) && Contains(scratch.path("model.safetensors")));
      CHECK(message.find('\n') == std::string::npos);
      return message;
    };
    CHECK_THAT(error_for({{layers_key, 1e9}}), Contains(layers_key + ": 1000000000, but") &&
                                                   Contains("holds " + layers + " layers") &&
                                                   Contains("expected " + layers_key + ": " + layers));
    CHECK_THAT(error_for({{"vocab_size", 1e12}}),
               Contains("vocab_size: 1000000000000, but") && Contains("expected vocab_size: " + vocab));
    CHECK_THAT(error_for({{"vocab_size", int64_t{1} << 40}}), Contains("expected vocab_size: " + vocab));
    CHECK_THAT(error_for({{width_key, 64}}), Contains(width_key + ": 64, but") && Contains("expected " + width_key + ": " + width));
  }
}

TEST_CASE("fewer layers than the weights hold load, the rest reported unused, as transformers does") {
  ScratchDir scratch;
  const PretrainedModel model = from_pretrained(copy_fixture(scratch, "bert", {{"num_hidden_layers", 1}}));
  CHECK(model.report.newly_initialized.empty());
  CHECK_THAT(model.report.unused.front(), Contains("bert.encoder.layer.1."));
}

TEST_CASE("a few more layers than the weights hold are built new and reported, as transformers does") {
  ScratchDir scratch;
  const PretrainedModel model = from_pretrained(copy_fixture(scratch, "bert", {{"num_hidden_layers", 3}}));
  CHECK(model.report.unused.empty());
  REQUIRE_FALSE(model.report.newly_initialized.empty());
  for (const std::string& name : model.report.newly_initialized)
    CHECK((name.starts_with("bert.encoder.layer.2.") || name.starts_with("classifier.")));
  CHECK(std::count_if(model.report.newly_initialized.begin(), model.report.newly_initialized.end(),
                      [](const std::string& n) { return n.starts_with("bert.encoder.layer.2."); }) == 16);
}

TEST_CASE("pytorch_model.bin: the shapes are read from the archive without its tensors' bytes") {
  const auto shapes = read_torch_bin_shapes(model_oracle_dir() + "/bert_bin/pytorch_model.bin");
  const SafetensorsFile reference(model_oracle_dir() + "/bert/model.safetensors");  // written by transformers
  CHECK(shapes.size() == reference.names().size());
  for (const auto& [name, tensor] : shapes) {
    INFO(name);
    CHECK(tensor.device().is_meta());
    REQUIRE(reference.contains(name));
    CHECK(tensor.sizes() == reference.tensor(name).sizes());
  }
  ScratchDir scratch;
  const std::string message = load_error(copy_fixture(scratch, "bert_bin", {{"num_hidden_layers", 1e9}}));
  CHECK_THAT(message, Contains("pytorch_model.bin holds 2 layers (`bert.encoder.layer.0` to `bert.encoder.layer.1`)"));
}

TEST_CASE("tensors the weights lack are built new only up to a bound") {
  ScratchDir scratch;
  auto without = [](const std::string& part) { return [part](const std::string& name) { return name.find(part) == std::string::npos; }; };
  // No layers stored: the layer count cannot be checked against them, only bounded.
  CHECK_THAT(load_error(copy_fixture(scratch, "bert", {{"num_hidden_layers", 1e9}}, without(".layer."))),
             Contains("in each of num_hidden_layers 1000000000 ask for") && Contains("does not hold"));
  CHECK_THAT(load_error(copy_fixture(scratch, "bert", {{"vocab_size", 1e12}}, without("word_embeddings"))),
             Contains("vocab_size 1000000000000 x hidden_size 32 ask for 3.2e+13 values in "
                      "`embeddings.word_embeddings.weight`") &&
                 Contains("expected sizes that the weights hold (at most 2147483648 values are built new)"));
  // Within the bound, what is missing is built new, as transformers does (a new head, a new embedding).
  const PretrainedModel model = from_pretrained(copy_fixture(scratch, "bert", json::object(), without("word_embeddings")));
  CHECK(model.report.newly_initialized == std::vector<std::string>{"bert.embeddings.word_embeddings.weight"});
  CHECK(from_pretrained(model_oracle_dir() + "/bert_headless").report.newly_initialized.size() == 2);
}

TEST_CASE("config values no network can be built with are refused by key, with the range expected") {
  struct Case {
    std::string fixture;
    json edits;
    std::string expected;
  };
  const std::vector<Case> cases = {
      // torch.nn.Dropout refuses these ("dropout probability has to be between 0 and 1").
      {"bert", {{"hidden_dropout_prob", 5}}, "hidden_dropout_prob: 5 is not a probability; expected a value from 0 to 1"},
      {"roberta", {{"attention_probs_dropout_prob", -0.1}}, "attention_probs_dropout_prob: -0.1 is not a probability"},
      {"electra", {{"classifier_dropout", 1.5}}, "classifier_dropout: 1.5 is not a probability"},
      {"distilbert", {{"seq_classif_dropout", 2}}, "seq_classif_dropout: 2 is not a probability"},
      {"distilbert", {{"attention_dropout", -1}}, "attention_dropout: -1 is not a probability"},
      {"modernbert", {{"mlp_dropout", 7}}, "mlp_dropout: 7 is not a probability"},
      // Negative or zero sizes: torch refuses a negative dimension.
      {"bert", {{"intermediate_size", -1}}, "intermediate_size: -1 is not a size; expected 1 or more"},
      {"distilbert", {{"hidden_dim", 0}}, "hidden_dim: 0 is not a size; expected 1 or more"},
      {"modernbert", {{"local_attention", -4}}, "local_attention: -4 is not a size"},
      {"bert", {{"type_vocab_size", 0}}, "type_vocab_size: 0 is not a size"},
      {"bert", {{"hidden_size", -32}}, "hidden_size -32 is not a multiple of num_attention_heads 4"},
      // Fractions where a count is needed (range() refuses 2.5).
      {"bert", {{"num_hidden_layers", 2.5}}, "num_hidden_layers: 2.5 is not a whole number; expected an integer"},
      {"bert", {{"num_hidden_layers", 1e30}}, "num_hidden_layers: 1e+30 is not a whole number"},
      // eps and standard deviations: LayerNorm with eps <= 0 divides by zero; normal_ refuses std < 0.
      {"bert", {{"layer_norm_eps", 0}}, "layer_norm_eps: 0; expected a number above 0"},
      {"modernbert", {{"norm_eps", -1e-5}}, "norm_eps: -1e-05; expected a number above 0"},
      {"distilbert", {{"initializer_range", -0.02}}, "initializer_range: -0.02; expected 0 or more"},
      {"modernbert", {{"initializer_cutoff_factor", -2}}, "initializer_cutoff_factor: -2; expected a number above 0"},
      {"modernbert", {{"global_rope_theta", 0}}, "global_rope_theta: 0; expected a number above 0"},
      // Rotary embeddings turn channel pairs: 32 / 32 heads = width 1.
      {"modernbert", {{"num_attention_heads", 32}}, "gives heads of odd width 1; expected an even head width"},
      // Embedding's padding_idx must be a row of the table (vocab_size 99, max_position_embeddings 64).
      {"bert", {{"pad_token_id", 99}}, "pad_token_id: 99 is not an id below vocab_size 99; expected 0 to 98"},
      {"roberta", {{"pad_token_id", 70}}, "pad_token_id: 70 is not an id below max_position_embeddings 64"},
      {"distilbert", {{"pad_token_id", -1}}, "pad_token_id: -1 is not an id below vocab_size 99"},
  };
  for (const auto& [fixture, edits, expected] : cases) {
    ScratchDir scratch;
    const std::string message = load_error(copy_fixture(scratch, fixture, edits));
    INFO(fixture << " " << edits.dump() << ": " << message);
    CHECK_THAT(message, Contains(scratch.path("config.json") + ": ") && Contains(expected));
  }
}

TEST_CASE("num_labels, id2label and problem_type are checked as config.json is read") {
  ScratchDir scratch;
  auto error_for = [&](const std::string& config) {
    scratch.write("config.json", config);
    try {
      read_model_config(scratch.path());
    } catch (const ModelError& e) {
      return std::string(e.what());
    }
    return std::string("(read without an error)");
  };
  CHECK_THAT(error_for(R"({"model_type": "bert", "num_labels": "two"})"),
             Contains("num_labels: \"two\" is not a number of labels; expected a whole number from 1 to 1048576"));
  CHECK_THAT(error_for(R"({"model_type": "bert", "num_labels": 1e9})"), Contains("num_labels: 1000000000.0 is not a number"));
  CHECK_THAT(error_for(R"({"model_type": "bert", "num_labels": 0})"), Contains("num_labels: 0 is not a number"));
  CHECK_THAT(error_for(R"({"model_type": "bert", "id2label": {}})"), Contains("id2label: 0 labels; expected 1 to 1048576"));
  // transformers' PretrainedConfig accepts these three only.
  CHECK_THAT(error_for(R"({"model_type": "bert", "problem_type": "nonsense"})"),
             Contains("problem_type: \"nonsense\" is not a problem type; expected regression, "
                      "single_label_classification or multi_label_classification"));
  CHECK_THAT(error_for(R"({"model_type": "bert", "problem_type": 5})"), Contains("problem_type: 5 is not a problem type"));
  const std::string whole = error_for(R"({"model_type": "bert", "num_labels": 3.0, "problem_type": null})");
  CHECK(whole == "(read without an error)");
  CHECK(read_model_config(scratch.path()).num_labels() == 3);
}
