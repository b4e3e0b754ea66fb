#include "hft/task/text_generation/text_generation.h"

#include <torch/torch.h>

#include <stdexcept>

#include "hft/chat/chat_template.h"                            // read_chat_template
#include "hft/chat/render_chat.h"                              // ChatRenderer
#include "hft/data/data_error.h"                               // DataError
#include "hft/model/causal_lm.h"                               // next_token_labels
#include "hft/model/labelled_cross_entropy.h"                  // labelled_cross_entropy, kIgnoredLabel
#include "hft/task/text_generation/completion_file.h"          // write_completions
#include "hft/task/text_generation/generate.h"                 // generate, generation_settings
#include "hft/task/text_generation/language_model_metrics.h"   // language_model_accumulator
#include "hft/task/text_generation/packing.h"                  // pack_best_fit
#include "hft/task/text_generation/sft_encoding.h"             // encode_sft, encode_prompts

namespace hft::task {
namespace {

bool is_chat(const SftExamples& examples) {
  return examples.format == SftFormat::kConversation || examples.conversational;
}

// The chat template, read once and only when some file holds conversations.
class Renderer {
 public:
  explicit Renderer(std::string tokenizer_dir) : dir_(std::move(tokenizer_dir)) {}
  const chat::ChatRenderer* for_rows(const SftExamples& examples) {
    if (!is_chat(examples)) return nullptr;
    if (!renderer_) renderer_.emplace(chat::read_chat_template(dir_));
    return &*renderer_;
  }

 private:
  std::string dir_;
  std::optional<chat::ChatRenderer> renderer_;
};

std::optional<SftExamples> read_split(const std::optional<std::string>& file, const config::DataArguments& d,
                                      bool completions_required, std::optional<int64_t> max_samples) {
  if (!file) return std::nullopt;
  SftExamples examples = read_sft_examples(*file, d.dataset_text_field, completions_required);
  if (max_samples) examples.keep_first(*max_samples);
  return examples;
}

std::optional<data::EncodedDataset> encode_split(const std::optional<SftExamples>& examples,
                                                 const config::DataArguments& d, bool packing,
                                                 const tokenize::Tokenizer& tokenizer, Renderer& renderer,
                                                 std::vector<std::string>& warnings) {
  if (!examples) return std::nullopt;
  SftEncodeOptions options;
  options.max_length = d.max_length;
  options.truncate = !packing;
  options.completion_only_loss = d.completion_only_loss;
  options.assistant_only_loss = d.assistant_only_loss;
  SftEncoded encoded = encode_sft(*examples, tokenizer, renderer.for_rows(*examples), options);
  if (!encoded.dropped_lines.empty())
    warnings.push_back(examples->file + ":" + std::to_string(encoded.dropped_lines.front()) + ": " +
                       std::to_string(encoded.dropped_lines.size()) + " of " + std::to_string(examples->size()) +
                       " rows left out (this one first): the prompt fills max_length " + std::to_string(d.max_length) +
                       ", so no completion token is left to learn; raise max_length to keep them");
  if (encoded.rows.size() == 0)
    throw data::DataError(examples->file, 0, "every row's prompt fills max_length " + std::to_string(d.max_length) +
                                                 "; raise max_length");
  return packing ? pack_best_fit(encoded.rows, d.max_length) : std::move(encoded.rows);
}

// Test rows: the prompts generation starts from, without labels.
data::EncodedDataset prompt_rows(const SftExamples& examples, const tokenize::Tokenizer& tokenizer, Renderer& renderer) {
  data::EncodedDataset out;
  for (const auto& ids : encode_prompts(examples, tokenizer, renderer.for_rows(examples))) {
    out.input_ids.insert(out.input_ids.end(), ids.begin(), ids.end());
    out.offsets.push_back(static_cast<int64_t>(out.input_ids.size()));
  }
  out.token_type_ids.resize(out.input_ids.size(), 0);
  return out;
}

}  // namespace

data::Splits TextGeneration::load_data(const config::Recipe& recipe, RunKind kind, const tokenize::Tokenizer& tokenizer,
                                       const std::string&) const {
  const config::DataArguments& d = recipe.data;
  const SplitFiles files = split_files(d, kind);
  Renderer renderer(recipe.model.folders.tokenizer);
  data::Splits splits;
  splits.train = encode_split(read_split(files.train, d, true, d.max_train_samples), d, d.packing, tokenizer, renderer,
                              splits.warnings);
  splits.validation = encode_split(read_split(files.validation, d, true, d.max_eval_samples), d,
                                   d.eval_packing.value_or(d.packing), tokenizer, renderer, splits.warnings);
  if (const auto test = read_split(files.test, d, false, d.max_predict_samples))
    splits.test = prompt_rows(*test, tokenizer, renderer);
  return splits;
}

model::PretrainedModel TextGeneration::load_model(const std::string& weights_dir, const data::LabelSpace&,
                                                  const std::optional<std::string>& config_dir,
                                                  bool ignore_mismatched_sizes) const {
  return load_with_head(weights_dir, model::Head::kCausalLM, config_dir, ignore_mismatched_sizes);
}

void TextGeneration::check_labels_fit(const model::ModelConfig&, const data::LabelSpace&, const std::string&) const {}

// trl's DataCollatorForLanguageModeling: right-padded, labels -100 on padding; the labels a loss
// counts are those of positions 1.. (each position predicts the next token).
data::Batch TextGeneration::collate(const data::EncodedDataset& split, std::span<const int64_t> rows,
                                    const data::CollatorOptions& padding) const {
  data::CollatorOptions options = padding;
  options.padding_side = tokenize::PaddingSide::kRight;
  options.token_type_ids = false;
  data::Batch batch = data::collate(split, rows, options);
  if (batch.labels.defined())
    batch.label_count = batch.labels.narrow(1, 1, batch.labels.size(1) - 1).ne(model::kIgnoredLabel).sum().item<int64_t>();
  return batch;
}

// SFTTrainer's loss: the summed next-token loss over the step's label tokens (num_items_in_batch).
// The model's mean over this batch's labels, rescaled, is that sum without a second pass over the
// logits; label smoothing needs the logits again, as the Trainer's LabelSmoother.
torch::Tensor TextGeneration::training_loss(const model::ModelOutput& out, const data::Batch& batch,
                                            double labels_in_step, double label_smoothing) const {
  if (label_smoothing > 0)
    return model::labelled_cross_entropy(out.logits, model::next_token_labels(batch.labels), labels_in_step,
                                         label_smoothing);
  if (batch.label_count == 0) return out.logits.sum() * 0.0;  // nothing to learn here: a zero that keeps the graph
  return out.loss * (static_cast<double>(batch.label_count) / labels_in_step);
}

std::unique_ptr<eval::MetricAccumulator> TextGeneration::new_metrics(const config::Recipe&,
                                                                     const data::LabelSpace&) const {
  return language_model_accumulator();
}

int64_t TextGeneration::output_width(const data::LabelSpace&, const data::EncodedDataset&) const { return 0; }

std::vector<std::string> TextGeneration::write_predictions(const std::string&, const torch::Tensor&,
                                                           const data::LabelSpace&, const data::EncodedDataset&,
                                                           const config::Recipe&) const {
  throw std::logic_error("text-generation predictions are generated (generate_predictions)");
}

std::optional<std::vector<std::string>> TextGeneration::generate_predictions(const GenerationRun& run) const {
  const config::DataArguments& d = run.recipe.data;
  const std::optional<SftExamples> test = read_split(d.test_file, d, false, d.max_predict_samples);
  Renderer renderer(run.tokenizer_dir);
  const std::vector<std::vector<int32_t>> prompts = encode_prompts(*test, run.tokenizer, renderer.for_rows(*test));
  const GenerationSettings settings = generation_settings(run.recipe, run.model_dir);
  std::vector<std::string> completions;
  for (const auto& prompt : prompts) completions.push_back(run.tokenizer.decode(generate(run.model, prompt, settings), true));
  write_completions(run.path, *test, completions);
  return std::vector<std::string>{};
}

}  // namespace hft::task
