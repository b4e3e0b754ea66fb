#include "hft/eval/length_order.h"

#include <torch/torch.h>

#include <algorithm>

namespace hft::eval {
namespace {

// One row of the input: where it is and how many real tokens it has.
struct Row {
  int64_t batch = 0, row = 0, length = 0, input_position = 0;
};

// The value every padded position (mask 0) of `tensor` holds; nullopt when there is none or they differ.
std::optional<int64_t> pad_value(const torch::Tensor& tensor, const torch::Tensor& mask) {
  const torch::Tensor padded = tensor.masked_select(mask == 0);
  if (padded.numel() == 0 || !(padded == padded[0]).all().item<bool>()) return std::nullopt;
  return padded[0].item<int64_t>();
}

// The pad values of the collator (input id, token type id), read from the first padded batch and
// checked against every other.
struct PadValues {
  int64_t input_id = 0, token_type_id = 0;
};

std::optional<PadValues> pad_values(const std::vector<data::Batch>& batches) {
  std::optional<PadValues> found;
  for (const auto& b : batches) {
    if (!(b.attention_mask == 0).any().item<bool>()) continue;
    const auto id = pad_value(b.input_ids, b.attention_mask);
    const auto type = b.token_type_ids.defined() ? pad_value(b.token_type_ids, b.attention_mask) : std::optional<int64_t>(0);
    if (!id || !type) return std::nullopt;
    if (found && (found->input_id != *id || found->token_type_id != *type)) return std::nullopt;
    found = PadValues{*id, *type};
  }
  return found;
}

// A right-padded mask is 1 on [0, length) and 0 after, in every row. lengths: [B].
bool right_padded(const torch::Tensor& mask, const torch::Tensor& lengths) {
  const torch::Tensor positions = torch::arange(mask.size(1), lengths.options()).unsqueeze(0);  // [1, L]
  return torch::equal((positions < lengths.unsqueeze(1)).to(mask.dtype()), mask);
}

// Every row of every batch, or nullopt when a batch is not right-padded.
std::optional<std::vector<Row>> rows_of(const std::vector<data::Batch>& batches) {
  std::vector<Row> rows;
  int64_t position = 0;
  for (int64_t b = 0; b < static_cast<int64_t>(batches.size()); ++b) {
    const torch::Tensor mask = batches[b].attention_mask;
    if (!mask.defined() || mask.dim() != 2) return std::nullopt;
    const torch::Tensor lengths = mask.ne(0).sum(1).to(torch::kInt64);  // [B]
    if (!right_padded(mask, lengths)) return std::nullopt;
    const torch::Tensor on_host = lengths.cpu();
    for (int64_t r = 0; r < on_host.size(0); ++r) rows.push_back({b, r, on_host[r].item<int64_t>(), position++});
  }
  return rows;
}

// The rows [first, last) of `rows` as one batch, padded to the longest of them. Rows are right-padded,
// so each row's real tokens are its first `length` positions.
data::Batch gather(const std::vector<data::Batch>& batches, std::vector<Row>::const_iterator first,
                          std::vector<Row>::const_iterator last, const PadValues& pad) {
  const data::Batch& like = batches.front();
  const int64_t n = last - first;
  int64_t length = 0;
  for (auto it = first; it != last; ++it) length = std::max(length, it->length);
  data::Batch out;
  out.input_ids = torch::full({n, length}, pad.input_id, like.input_ids.options());            // [n, L]
  out.attention_mask = torch::zeros({n, length}, like.attention_mask.options());               // [n, L]
  if (like.token_type_ids.defined())
    out.token_type_ids = torch::full({n, length}, pad.token_type_id, like.token_type_ids.options());
  std::vector<torch::Tensor> labels;
  for (int64_t i = 0; i < n; ++i) {
    const Row& row = *(first + i);
    const data::Batch& source = batches[row.batch];
    const auto real = torch::indexing::Slice(0, row.length);
    out.input_ids[i].index_put_({real}, source.input_ids[row.row].index({real}));
    out.attention_mask[i].index_put_({real}, source.attention_mask[row.row].index({real}));
    if (out.token_type_ids.defined()) out.token_type_ids[i].index_put_({real}, source.token_type_ids[row.row].index({real}));
    if (source.labels.defined()) labels.push_back(source.labels[row.row]);
  }
  if (!labels.empty()) out.labels = torch::stack(labels);  // [n] or [n, C]
  return out;
}

bool labels_all_or_none(const std::vector<data::Batch>& batches) {
  const bool first = batches.front().labels.defined();
  return std::all_of(batches.begin(), batches.end(), [&](const auto& b) { return b.labels.defined() == first; });
}

}  // namespace

std::optional<LengthOrdered> order_by_length(const std::vector<data::Batch>& batches) {
  if (batches.size() < 2 || !labels_all_or_none(batches)) return std::nullopt;
  const auto pad = pad_values(batches);
  if (!pad) return std::nullopt;
  auto rows = rows_of(batches);
  if (!rows) return std::nullopt;
  // Longest first (the largest batch comes first, as the Trainer's length grouping puts it); ties keep input order.
  std::stable_sort(rows->begin(), rows->end(), [](const Row& a, const Row& b) { return a.length > b.length; });
  const int64_t batch_size = batches.front().input_ids.size(0);
  LengthOrdered out;
  std::vector<int64_t> input_rows;
  for (size_t start = 0; start < rows->size(); start += static_cast<size_t>(batch_size)) {
    const auto first = rows->cbegin() + static_cast<std::ptrdiff_t>(start);
    const auto last = rows->cbegin() + static_cast<std::ptrdiff_t>(std::min(rows->size(), start + batch_size));
    out.batches.push_back(gather(batches, first, last, *pad));
  }
  for (const Row& row : *rows) input_rows.push_back(row.input_position);
  out.input_rows = torch::tensor(input_rows, torch::kInt64);
  return out;
}

}  // namespace hft::eval
