#include "hft/eval/length_order.h"

#include <torch/torch.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace hft::eval {
namespace {

constexpr int64_t kNone = std::numeric_limits<int64_t>::max();

// What the regrouping needs to know of the batches, read back from the device in one copy.
struct Facts {
  std::vector<int64_t> lengths;     // [N]: real tokens of each row, in input order
  std::vector<bool> labelled;       // [N]: class id >= 0 (float targets: every row); empty without labels
  bool right_padded = true;         // every row's mask is 1 on [0, length), 0 after
  std::optional<int64_t> pad_id;    // the value every padded position holds, when they agree
  std::optional<int64_t> pad_type;  // the same for token_type_ids (0 without them)
  bool pads_agree = true;
};

// Smallest and largest value at the padded positions of `tensor` ([B, L]); kNone and -kNone when none.
std::vector<torch::Tensor> pad_range(const torch::Tensor& tensor, const torch::Tensor& real) {
  return {tensor.masked_fill(real, kNone).min(), tensor.masked_fill(real, -kNone).max()};
}

// For each batch: [right padded, smallest and largest pad id, smallest and largest pad type id].
torch::Tensor batch_facts(const data::Batch& b, const torch::Tensor& lengths) {
  const torch::Tensor real = b.attention_mask.ne(0);
  const torch::Tensor positions = torch::arange(real.size(1), lengths.options()).unsqueeze(0);  // [1, L]
  std::vector<torch::Tensor> facts = {positions.lt(lengths.unsqueeze(1)).eq(real).all().to(torch::kInt64)};
  for (const torch::Tensor& t : pad_range(b.input_ids, real)) facts.push_back(t);
  const torch::Tensor types = b.token_type_ids.defined() ? b.token_type_ids : torch::zeros_like(b.input_ids);
  for (const torch::Tensor& t : pad_range(types, real)) facts.push_back(t);
  return torch::stack(facts);  // [5]
}

// The value of every padded position over all batches, from each batch's [lo, hi]; false when they differ.
bool agree(std::optional<int64_t>& value, int64_t lo, int64_t hi) {
  if (lo == kNone) return true;  // no padding in this batch
  if (lo != hi || (value && *value != lo)) return false;
  value = lo;
  return true;
}

Facts read_facts(const std::vector<data::Batch>& batches) {
  std::vector<torch::Tensor> lengths, labelled, per_batch;
  for (const auto& b : batches) {
    lengths.push_back(b.attention_mask.ne(0).sum(1).to(torch::kInt64));  // [B]
    per_batch.push_back(batch_facts(b, lengths.back()));
    if (b.labels.defined())
      labelled.push_back(b.labels.scalar_type() == torch::kInt64 && b.labels.dim() == 1 ? b.labels.ge(0).to(torch::kInt64)
                                                                                        : torch::ones_like(lengths.back()));
  }
  const torch::Tensor all_lengths = torch::cat(lengths);
  std::vector<torch::Tensor> parts = {all_lengths, torch::cat(per_batch)};
  if (!labelled.empty()) parts.push_back(torch::cat(labelled));
  const torch::Tensor host = torch::cat(parts).cpu().contiguous();  // the one read-back
  const int64_t* v = host.data_ptr<int64_t>();
  const int64_t n = all_lengths.size(0);
  Facts facts;
  facts.lengths.assign(v, v + n);
  for (size_t b = 0; b < batches.size(); ++b) {
    const int64_t* f = v + n + 5 * static_cast<int64_t>(b);
    facts.right_padded = facts.right_padded && f[0] == 1;
    facts.pads_agree = facts.pads_agree && agree(facts.pad_id, f[1], f[2]) && agree(facts.pad_type, f[3], f[4]);
  }
  if (!labelled.empty()) facts.labelled.assign(v + n + 5 * static_cast<int64_t>(batches.size()), v + host.numel());
  return facts;
}

// Every batch's `field` padded on the right to `length` with `pad`, stacked: [N, length].
torch::Tensor padded_rows(const std::vector<data::Batch>& batches, torch::Tensor data::Batch::*field, int64_t length,
                          int64_t pad) {
  std::vector<torch::Tensor> parts;
  for (const auto& b : batches)
    parts.push_back(torch::constant_pad_nd(b.*field, {0, length - (b.*field).size(1)}, static_cast<double>(pad)));
  return torch::cat(parts);
}

bool labels_all_or_none(const std::vector<data::Batch>& batches) {
  const bool first = batches.front().labels.defined();
  return std::all_of(batches.begin(), batches.end(), [&](const auto& b) { return b.labels.defined() == first; });
}

// Labels per token ([B, L] class ids): the Trainer's eval_loss weights each batch's mean over its
// tokens by the batch's rows, so regrouped batches would give another eval_loss.
bool row_labels(const std::vector<data::Batch>& batches) {
  return std::all_of(batches.begin(), batches.end(), [](const auto& b) {
    return !b.labels.defined() || b.labels.dim() == 1 || b.labels.scalar_type() != torch::kInt64;
  });
}

bool plain_masks(const std::vector<data::Batch>& batches) {
  return std::all_of(batches.begin(), batches.end(), [](const auto& b) {
    return b.attention_mask.defined() && b.attention_mask.dim() == 2 && !b.position_ids.defined();  // not packed
  });
}

}  // namespace

std::optional<LengthOrdered> order_by_length(const std::vector<data::Batch>& batches) {
  if (batches.size() < 2 || !labels_all_or_none(batches) || !row_labels(batches) || !plain_masks(batches))
    return std::nullopt;
  const Facts facts = read_facts(batches);
  if (!facts.right_padded || !facts.pads_agree || !facts.pad_id) return std::nullopt;
  // Longest first (the largest batch comes first, as the Trainer's length grouping puts it); ties keep input order.
  std::vector<int64_t> order(facts.lengths.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return facts.lengths[a] > facts.lengths[b]; });

  // All rows side by side ([N, longest]), then each new batch is one gather of its rows.
  const data::Batch& like = batches.front();
  int64_t longest = 0;
  for (const auto& b : batches) longest = std::max(longest, b.input_ids.size(1));
  const torch::Tensor ids = padded_rows(batches, &data::Batch::input_ids, longest, *facts.pad_id);
  const torch::Tensor mask = padded_rows(batches, &data::Batch::attention_mask, longest, 0);
  const torch::Tensor types = like.token_type_ids.defined()
                                  ? padded_rows(batches, &data::Batch::token_type_ids, longest, facts.pad_type.value_or(0))
                                  : torch::Tensor();
  std::vector<torch::Tensor> label_parts;
  for (const auto& b : batches)
    if (b.labels.defined()) label_parts.push_back(b.labels);
  const torch::Tensor labels = label_parts.empty() ? torch::Tensor() : torch::cat(label_parts);  // [N] or [N, C]

  const int64_t batch_size = like.input_ids.size(0);
  const torch::Tensor input_rows = torch::tensor(order, torch::kInt64);
  const torch::Tensor on_device = input_rows.to(ids.device());
  LengthOrdered out;
  for (int64_t start = 0; start < static_cast<int64_t>(order.size()); start += batch_size) {
    const int64_t count = std::min<int64_t>(batch_size, static_cast<int64_t>(order.size()) - start);
    const torch::Tensor rows = on_device.narrow(0, start, count);
    const int64_t length = facts.lengths[order[start]];  // the first row is the longest
    data::Batch b;
    b.input_ids = ids.index_select(0, rows).narrow(1, 0, length);
    b.attention_mask = mask.index_select(0, rows).narrow(1, 0, length);
    if (types.defined()) b.token_type_ids = types.index_select(0, rows).narrow(1, 0, length);
    if (labels.defined()) b.labels = labels.index_select(0, rows);
    for (int64_t i = start; i < start + count; ++i) {
      b.num_tokens += facts.lengths[order[i]];
      if (!facts.labelled.empty()) b.label_count += facts.labelled[order[i]] ? 1 : 0;
    }
    out.batches.push_back(std::move(b));
  }
  out.input_rows = input_rows;
  return out;
}

}  // namespace hft::eval
