#include "hft/task/text_generation/generate.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "hft/model/causal_lm.h"  // CausalLanguageModel, KvCache

namespace hft::task {
namespace {

// eos_token_id of a JSON file: an id or a list of ids; empty when the file or key is absent.
std::vector<int64_t> eos_ids_in(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return {};
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("eos_token_id")) return {};
  const nlohmann::json& eos = j["eos_token_id"];
  if (eos.is_number_integer()) return {eos.get<int64_t>()};
  std::vector<int64_t> out;
  if (eos.is_array())
    for (const auto& id : eos)
      if (id.is_number_integer()) out.push_back(id.get<int64_t>());
  return out;
}

// transformers' TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper on [V] float32 logits.
torch::Tensor warped(torch::Tensor logits, const GenerationSettings& s) {
  const float removed = -std::numeric_limits<float>::infinity();
  if (s.temperature != 1.0) logits = logits / s.temperature;
  if (s.top_k > 0 && s.top_k < logits.size(0)) {
    const torch::Tensor kth = std::get<0>(logits.topk(s.top_k)).select(0, s.top_k - 1);
    logits = logits.masked_fill(logits < kth, removed);
  }
  if (s.top_p < 1.0) {
    auto [sorted, order] = logits.sort(/*dim=*/0, /*descending=*/false);
    const torch::Tensor cumulative = sorted.softmax(0).cumsum(0);
    torch::Tensor drop = cumulative <= (1 - s.top_p);
    drop.index_put_({-1}, false);  // min_tokens_to_keep 1: the likeliest always stays
    logits = logits.masked_fill(drop.scatter(0, order, drop), removed);
  }
  return logits;
}

int64_t next_token(const torch::Tensor& logits, const GenerationSettings& s, torch::Generator& generator) {
  const torch::Tensor last = logits.to(torch::kFloat32);
  if (!s.do_sample) return last.argmax().item<int64_t>();
  const torch::Tensor probabilities = warped(last, s).softmax(0);
  return torch::multinomial(probabilities, 1, /*replacement=*/false, generator).item<int64_t>();
}

}  // namespace

GenerationSettings generation_settings(const config::Recipe& recipe, const std::string& model_dir) {
  GenerationSettings s;
  const config::GenerationArguments& g = recipe.generation;
  s.max_new_tokens = g.max_new_tokens;
  s.do_sample = g.do_sample;
  s.temperature = g.temperature;
  s.top_k = g.top_k;
  s.top_p = g.top_p;
  s.seed = static_cast<uint64_t>(recipe.training.seed);
  s.eos_token_ids = eos_ids_in(std::filesystem::path(model_dir) / "generation_config.json");
  if (s.eos_token_ids.empty()) s.eos_token_ids = eos_ids_in(std::filesystem::path(model_dir) / "config.json");
  return s;
}

std::vector<int32_t> generate(model::TaskModel& model, const std::vector<int32_t>& prompt,
                              const GenerationSettings& settings) {
  auto* decoder = dynamic_cast<model::CausalLanguageModel*>(&model);
  if (!decoder) throw std::logic_error("generate: the model has no causal language-model head");
  torch::NoGradGuard no_grad;
  model.eval();
  const torch::Device device = model.parameters().front().device();
  torch::Generator generator = at::make_generator<at::CPUGeneratorImpl>(settings.seed);
  model::KvCache cache;
  std::vector<int64_t> ids(prompt.begin(), prompt.end());
  torch::Tensor input = torch::tensor(ids, torch::kInt64).view({1, -1}).to(device);
  std::vector<int32_t> out;
  while (static_cast<int64_t>(out.size()) < settings.max_new_tokens) {
    const torch::Tensor logits = decoder->extend(input, cache);  // [1, n, vocab]
    const int64_t token = next_token(logits[0][-1].cpu(), settings, generator);
    out.push_back(static_cast<int32_t>(token));
    if (std::find(settings.eos_token_ids.begin(), settings.eos_token_ids.end(), token) != settings.eos_token_ids.end()) break;
    input = torch::full({1, 1}, token, torch::kInt64).to(device);
  }
  return out;
}

}  // namespace hft::task
