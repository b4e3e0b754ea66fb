#include "hft/eval/length_order.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>

using hft::eval::order_by_length;


namespace {

torch::Tensor ids(std::vector<std::vector<int64_t>> rows) {
  std::vector<torch::Tensor> out;
  for (auto& r : rows) out.push_back(torch::tensor(r, torch::kInt64));
  return torch::stack(out);
}

hft::data::Batch batch(std::vector<std::vector<int64_t>> input_ids, std::vector<std::vector<int64_t>> mask,
                  std::vector<int64_t> labels) {
  hft::data::Batch b;
  b.input_ids = ids(input_ids);
  b.attention_mask = ids(mask);
  b.token_type_ids = torch::zeros_like(b.input_ids);
  if (!labels.empty()) b.labels = torch::tensor(labels, torch::kInt64);
  return b;
}

}  // namespace

TEST_CASE("rows regrouped longest first, padded with the collator's pad id, and mapped back to input order") {
  // Batch 0 is padded to 4 (rows of 3 and 4 tokens), batch 1 to 2 (rows of 2 and 2). Pad id 0.
  const std::vector<hft::data::Batch> batches = {
      batch({{101, 5, 102, 0}, {101, 6, 7, 102}}, {{1, 1, 1, 0}, {1, 1, 1, 1}}, {0, 1}),
      batch({{101, 102}, {101, 102}}, {{1, 1}, {1, 1}}, {1, 0})};
  const auto ordered = order_by_length(batches);
  REQUIRE(ordered);
  REQUIRE(ordered->batches.size() == 2);
  // By hand: lengths 3, 4, 2, 2 -> longest first 4 (input row 1), 3 (row 0), then rows 2 and 3 in input order.
  CHECK(torch::equal(ordered->input_rows, torch::tensor({1, 0, 2, 3}, torch::kInt64)));
  CHECK(torch::equal(ordered->batches[0].input_ids, ids({{101, 6, 7, 102}, {101, 5, 102, 0}})));
  CHECK(torch::equal(ordered->batches[0].attention_mask, ids({{1, 1, 1, 1}, {1, 1, 1, 0}})));
  CHECK(torch::equal(ordered->batches[0].labels, torch::tensor({1, 0}, torch::kInt64)));
  CHECK(torch::equal(ordered->batches[1].input_ids, ids({{101, 102}, {101, 102}})));
  CHECK(torch::equal(ordered->batches[1].labels, torch::tensor({1, 0}, torch::kInt64)));
}

TEST_CASE("a short row from a long batch loses its padding, a long row from a short batch gains the pad id") {
  // Pad id 9 (as a tokenizer whose [PAD] is 9 would give). Batch 0: lengths 1 and 3; batch 1: lengths 2 and 2.
  const std::vector<hft::data::Batch> batches = {
      batch({{7, 9, 9}, {7, 8, 8}}, {{1, 0, 0}, {1, 1, 1}}, {}),
      batch({{7, 8}, {7, 8}}, {{1, 1}, {1, 1}}, {})};
  const auto ordered = order_by_length(batches);
  REQUIRE(ordered);
  CHECK(torch::equal(ordered->input_rows, torch::tensor({1, 2, 3, 0}, torch::kInt64)));
  CHECK(torch::equal(ordered->batches[0].input_ids, ids({{7, 8, 8}, {7, 8, 9}})));
  CHECK(torch::equal(ordered->batches[0].attention_mask, ids({{1, 1, 1}, {1, 1, 0}})));
  CHECK(torch::equal(ordered->batches[1].input_ids, ids({{7, 8}, {7, 9}})));
  CHECK(torch::equal(ordered->batches[1].attention_mask, ids({{1, 1}, {1, 0}})));
  CHECK_FALSE(ordered->batches[0].labels.defined());
}

TEST_CASE("batches that regrouping could change are left as they are") {
  const auto padded = batch({{7, 0}, {7, 8}}, {{1, 0}, {1, 1}}, {0, 1});
  SECTION("a single batch") { CHECK_FALSE(order_by_length({padded})); }
  SECTION("left padding") {
    CHECK_FALSE(order_by_length({padded, batch({{0, 7}, {7, 8}}, {{0, 1}, {1, 1}}, {0, 1})}));
  }
  SECTION("no padded position to read the pad id from") {
    CHECK_FALSE(order_by_length({batch({{7, 8}}, {{1, 1}}, {0}), batch({{7}}, {{1}}, {1})}));
  }
  SECTION("labeled and unlabeled batches mixed") {
    CHECK_FALSE(order_by_length({padded, batch({{7, 8}, {7, 0}}, {{1, 1}, {1, 0}}, {})}));
  }
}
