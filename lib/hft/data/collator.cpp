#include "hft/data/collator.h"

#include <torch/torch.h>

#include <algorithm>

#include "hft/tokenize/tokenizer.h"  // Tokenizer

namespace hft::data {
namespace {

constexpr int64_t kIgnoredLabel = -100;  // DataCollatorForTokenClassification's label_pad_token_id

// Writes sequence `sequence`'s ids (and types and mask) into row `b` of the [B, L] int64 buffers.
void place_sequence(const EncodedDataset& dataset, int64_t sequence, int64_t b, int64_t length,
                    const CollatorOptions& options, int64_t* ids, int64_t* mask, int64_t* types) {
  const int64_t first = dataset.offsets[sequence];
  const int64_t n = dataset.sequence_length(sequence);
  const std::span<const int32_t> row_ids(dataset.input_ids.data() + first, size_t(n));
  const std::span<const uint8_t> row_types(dataset.token_type_ids.data() + first, size_t(n));
  const int64_t start = options.padding_side == tokenize::PaddingSide::kLeft ? length - n : 0;
  for (int64_t t = 0; t < n; ++t) {
    const int64_t at = b * length + start + t;
    ids[at] = row_ids[t];
    mask[at] = 1;
    if (types) types[at] = row_types[t];
  }
}

int64_t labelled_rows(const EncodedDataset& dataset, std::span<const int64_t> rows) {
  if (dataset.regression || dataset.multi_label_width > 0) return static_cast<int64_t>(rows.size());
  int64_t count = 0;
  for (int64_t row : rows) count += dataset.label_ids[row] >= 0 ? 1 : 0;
  return count;
}

at::Tensor labels_of(const EncodedDataset& dataset, std::span<const int64_t> rows) {
  const int64_t batch = static_cast<int64_t>(rows.size());
  if (dataset.regression) {
    at::Tensor labels = torch::empty({batch}, torch::kFloat32);
    for (int64_t b = 0; b < batch; ++b) labels.data_ptr<float>()[b] = dataset.targets[rows[b]];
    return labels;
  }
  if (dataset.multi_label_width > 0) {
    const int64_t width = dataset.multi_label_width;
    at::Tensor labels = torch::empty({batch, width}, torch::kFloat32);  // [B, num_labels] multi-hot
    for (int64_t b = 0; b < batch; ++b)
      std::copy_n(dataset.targets.data() + rows[b] * width, width, labels.data_ptr<float>() + b * width);
    return labels;
  }
  at::Tensor labels = torch::empty({batch}, torch::kInt64);
  for (int64_t b = 0; b < batch; ++b) labels.data_ptr<int64_t>()[b] = dataset.label_ids[rows[b]];
  return labels;
}

// [B, length] tag ids, -100 on padding (placed as the ids are: on the tokenizer's padding side).
at::Tensor token_labels_of(const EncodedDataset& dataset, std::span<const int64_t> rows, int64_t length,
                           tokenize::PaddingSide side) {
  const int64_t batch = static_cast<int64_t>(rows.size());
  at::Tensor labels = torch::full({batch, length}, kIgnoredLabel, torch::kInt64);
  int64_t* out = labels.data_ptr<int64_t>();
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t first = dataset.offsets[rows[b]];
    const int64_t n = dataset.sequence_length(rows[b]);
    const int64_t start = side == tokenize::PaddingSide::kLeft ? length - n : 0;
    for (int64_t t = 0; t < n; ++t) out[b * length + start + t] = dataset.token_labels[first + t];
  }
  return labels;
}

// [B, length] each token's position in its packed example, 0 on padding (right-padded rows only).
at::Tensor positions_of(const EncodedDataset& dataset, std::span<const int64_t> rows, int64_t length) {
  const int64_t batch = static_cast<int64_t>(rows.size());
  at::Tensor positions = torch::zeros({batch, length}, torch::kInt64);
  int64_t* out = positions.data_ptr<int64_t>();
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t first = dataset.offsets[rows[b]];
    for (int64_t t = 0; t < dataset.sequence_length(rows[b]); ++t) out[b * length + t] = dataset.position_ids[first + t];
  }
  return positions;
}

}  // namespace

CollatorOptions collator_options(const tokenize::Tokenizer& tokenizer, int64_t max_length, bool pad_to_max_length,
                                 bool fp16, bool token_type_ids) {
  CollatorOptions options;
  const auto& pad = tokenizer.special_tokens().pad;
  if (pad) options.pad_id = tokenizer.token_to_id(*pad).value_or(0);
  options.padding_side = tokenizer.padding_side();
  options.pad_to_max_length = pad_to_max_length;
  // run_glue.py pads to min(max_seq_length, model_max_length), the length rows are truncated to.
  EncodeSettings settings;
  settings.max_seq_length = max_length;
  options.max_length = effective_max_length(tokenizer, settings);
  options.pad_to_multiple_of = fp16 ? 8 : 1;
  options.token_type_ids = token_type_ids;
  return options;
}

int64_t padded_length(int64_t longest, const CollatorOptions& options) {
  int64_t length = options.pad_to_max_length ? std::max(longest, options.max_length) : longest;
  const int64_t multiple = std::max<int64_t>(options.pad_to_multiple_of, 1);
  if (length % multiple != 0) length = (length / multiple + 1) * multiple;
  return length;
}

Batch collate(const EncodedDataset& dataset, std::span<const int64_t> rows, const CollatorOptions& options) {
  const int64_t batch = static_cast<int64_t>(rows.size());
  int64_t longest = 0, tokens = 0;
  for (int64_t row : rows) {
    longest = std::max(longest, dataset.length(row));
    tokens += dataset.length(row);
  }
  const int64_t length = padded_length(longest, options);
  Batch out;
  out.input_ids = torch::full({batch, length}, static_cast<int64_t>(options.pad_id), torch::kInt64);
  out.attention_mask = torch::zeros({batch, length}, torch::kInt64);
  if (options.token_type_ids) out.token_type_ids = torch::zeros({batch, length}, torch::kInt64);
  int64_t* types = options.token_type_ids ? out.token_type_ids.data_ptr<int64_t>() : nullptr;
  for (int64_t b = 0; b < batch; ++b)
    place_sequence(dataset, rows[b], b, length, options, out.input_ids.data_ptr<int64_t>(),
              out.attention_mask.data_ptr<int64_t>(), types);
  if (dataset.has_labels && !dataset.token_labels.empty()) {
    out.labels = token_labels_of(dataset, rows, length, options.padding_side);
    out.label_count = out.labels.ne(kIgnoredLabel).sum().item<int64_t>();  // a CPU tensor: no device read
  } else if (dataset.has_labels) {
    out.labels = labels_of(dataset, rows);
    out.label_count = labelled_rows(dataset, rows);
  }
  if (!dataset.position_ids.empty()) out.position_ids = positions_of(dataset, rows, length);
  out.num_tokens = tokens;
  return out;
}

Batch collate_choices(const EncodedDataset& dataset, std::span<const int64_t> rows, const CollatorOptions& options) {
  const int64_t batch = static_cast<int64_t>(rows.size());
  const int64_t choices = dataset.sequences_per_row;
  int64_t longest = 0, tokens = 0;
  for (int64_t row : rows)
    for (int64_t s = row * choices; s < (row + 1) * choices; ++s) {
      longest = std::max(longest, dataset.sequence_length(s));
      tokens += dataset.sequence_length(s);
    }
  const int64_t length = padded_length(longest, options);
  Batch out;
  out.input_ids = torch::full({batch, choices, length}, static_cast<int64_t>(options.pad_id), torch::kInt64);
  out.attention_mask = torch::zeros({batch, choices, length}, torch::kInt64);
  if (options.token_type_ids) out.token_type_ids = torch::zeros({batch, choices, length}, torch::kInt64);
  int64_t* types = options.token_type_ids ? out.token_type_ids.data_ptr<int64_t>() : nullptr;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t c = 0; c < choices; ++c)
      place_sequence(dataset, rows[b] * choices + c, b * choices + c, length, options, out.input_ids.data_ptr<int64_t>(),
                     out.attention_mask.data_ptr<int64_t>(), types);
  if (dataset.has_labels) out.labels = labels_of(dataset, rows);
  if (dataset.has_labels) out.label_count = labelled_rows(dataset, rows);
  out.num_tokens = tokens;
  return out;
}

Collate padding_collator(const CollatorOptions& options) {
  return [options](const EncodedDataset& dataset, std::span<const int64_t> rows) { return collate(dataset, rows, options); };
}

}  // namespace hft::data
