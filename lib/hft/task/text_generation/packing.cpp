#include "hft/task/text_generation/packing.h"

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>
#include <vector>

namespace hft::task {
namespace {

constexpr int32_t kIgnored = -100;

struct Bin {
  std::vector<int64_t> rows;
  int64_t length = 0;
};

// Bins by free space; a bin with free space s is found by the smallest s >= a row's length, the
// first bin left with that space first (trl's segment tree and its deques).
std::vector<Bin> best_fit_decreasing(const std::vector<int64_t>& lengths, int64_t capacity) {
  std::vector<int64_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return lengths[a] > lengths[b]; });
  std::vector<Bin> bins;
  std::map<int64_t, std::deque<size_t>> by_space;  // free space -> bins with it, oldest first; never empty
  for (int64_t row : order) {
    const int64_t length = lengths[row];
    if (length == 0) continue;  // trl filters empty rows out
    auto fit = by_space.lower_bound(length);
    size_t bin;
    if (fit == by_space.end()) {
      bin = bins.size();
      bins.emplace_back();
    } else {
      bin = fit->second.front();
      fit->second.pop_front();
      if (fit->second.empty()) by_space.erase(fit);
    }
    bins[bin].rows.push_back(row);
    bins[bin].length += length;
    const int64_t space = capacity - bins[bin].length;
    if (space > 0) by_space[space].push_back(bin);
  }
  return bins;
}

}  // namespace

data::EncodedDataset pack_best_fit(const data::EncodedDataset& rows, int64_t max_length) {
  std::vector<int64_t> lengths(rows.size());
  for (int64_t r = 0; r < rows.size(); ++r) lengths[r] = std::min(rows.length(r), max_length);
  data::EncodedDataset out;
  out.has_labels = rows.has_labels;
  for (const Bin& bin : best_fit_decreasing(lengths, max_length)) {
    for (int64_t row : bin.rows) {
      const int64_t first = rows.offsets[row];
      for (int64_t t = 0; t < lengths[row]; ++t) {
        out.input_ids.push_back(rows.input_ids[first + t]);
        if (!rows.token_labels.empty()) out.token_labels.push_back(t == 0 ? kIgnored : rows.token_labels[first + t]);
        out.position_ids.push_back(static_cast<int32_t>(t));
      }
    }
    out.token_type_ids.resize(out.input_ids.size(), 0);
    out.offsets.push_back(static_cast<int64_t>(out.input_ids.size()));
  }
  return out;
}

}  // namespace hft::task
