// Samplers against torch's DistributedSampler and transformers' get_length_grouped_indices
// (the oracle), and resuming at any step.
#include "hft/data/sampler.h"

#include <catch2/catch.hpp>

#include <random>

#include "hft/data/loader_options.h"  // train_sampler_options, loader_options
#include "../test_files.h"             // ScratchDir
#include "oracle.h"         // run_oracle

using namespace hft::data;
using nlohmann::json;

TEST_CASE("shards of 1, 2, 3 and 8 ranks equal DistributedSampler's, shuffled or not, drop_last or not", "[oracle]") {
  hft::testing::ScratchDir dir;
  json cases = json::array();
  for (int64_t n : {1, 7, 20, 101, 1043})
    for (int64_t world : {1, 2, 3, 8})
      for (bool shuffle : {true, false})
        for (bool drop_last : {false, true}) {
          if (drop_last && n < world) continue;  // DistributedSampler has no rows to give then
          cases.push_back({{"n", n}, {"world_size", world}, {"shuffle", shuffle}, {"drop_last", drop_last},
                           {"seed", 42 + n}, {"epoch", n % 3}});
        }
  hft::testing::write_json(dir.path("job.json"), {{"distributed", cases}});
  hft::testing::run_oracle("data_samplers.py", {dir.path("job.json"), dir.path("out.json")});
  const json expected = json::parse(std::ifstream(dir.path("out.json")));
  for (size_t c = 0; c < cases.size(); ++c) {
    const json& spec = cases[c];
    INFO("case " << spec.dump());
    for (int64_t rank = 0; rank < spec["world_size"].get<int64_t>(); ++rank) {
      SamplerOptions options;
      options.kind = spec["shuffle"].get<bool>() ? SamplingKind::kRandom : SamplingKind::kSequential;
      options.seed = spec["seed"];
      options.rank = rank;
      options.world_size = spec["world_size"];
      options.drop_last = spec["drop_last"];
      const auto indices = epoch_indices(options, spec["n"], spec["epoch"]);
      CHECK(indices == expected["distributed"][c][rank].get<std::vector<int64_t>>());
      CHECK(static_cast<int64_t>(indices.size()) == samples_per_rank(options, spec["n"]));
    }
  }
}

TEST_CASE("length-grouped order equals the Trainer's get_length_grouped_indices", "[oracle]") {
  hft::testing::ScratchDir dir;
  std::mt19937 random(7);
  json cases = json::array();
  for (int64_t n : {5, 64, 333, 2000})
    for (int64_t batch : {1, 4, 16}) {
      std::vector<int64_t> lengths(n);
      for (auto& length : lengths) length = 3 + random() % 40;  // many ties, as real token lengths have
      cases.push_back({{"lengths", lengths}, {"batch_size", batch}, {"seed", 42}, {"epoch", batch % 3}});
    }
  hft::testing::write_json(dir.path("job.json"), {{"length_grouped", cases}});
  hft::testing::run_oracle("data_samplers.py", {dir.path("job.json"), dir.path("out.json")});
  const json expected = json::parse(std::ifstream(dir.path("out.json")));
  for (size_t c = 0; c < cases.size(); ++c) {
    SamplerOptions options;
    options.kind = SamplingKind::kLengthGrouped;
    options.group_batch_size = cases[c]["batch_size"];
    const auto lengths = cases[c]["lengths"].get<std::vector<int64_t>>();
    INFO("rows " << lengths.size() << ", batch " << options.group_batch_size);
    CHECK(epoch_indices(options, static_cast<int64_t>(lengths.size()), cases[c]["epoch"], lengths) ==
          expected["length_grouped"][c].get<std::vector<int64_t>>());
  }
}

TEST_CASE("an epoch's batches are the same from the start or resumed at any step") {
  SamplerOptions options;
  options.seed = 123;
  options.world_size = 3;
  options.rank = 1;
  const int64_t rows = 1000, batch_size = 16, epoch = 2;
  const auto from_start = epoch_indices(options, rows, epoch);
  std::vector<int64_t> walked;
  for (int64_t step = 0; step < batches_per_epoch(from_start.size(), batch_size, false); ++step)
    for (int64_t row : batch_at(from_start, step, batch_size)) walked.push_back(row);
  CHECK(walked == from_start);
  for (int64_t resume : {0, 1, 7, 20}) {
    const auto resumed = epoch_indices(options, rows, epoch);  // a new process: nothing carried over
    const auto batch = batch_at(resumed, resume, batch_size);
    const auto expected = batch_at(from_start, resume, batch_size);
    CHECK(std::vector<int64_t>(batch.begin(), batch.end()) == std::vector<int64_t>(expected.begin(), expected.end()));
  }
  CHECK(epoch_indices(options, rows, epoch + 1) != from_start);
  CHECK(batches_per_epoch(334, 16, false) == 21);
  CHECK(batches_per_epoch(334, 16, true) == 20);
  CHECK(batch_at(from_start, 20, 16).size() == 334 - 320);
}

TEST_CASE("the Trainer's arguments pick the sampler, its seed and the batch sizes") {
  hft::config::TrainingArguments args;
  args.seed = 7;
  args.per_device_train_batch_size = 16;
  args.gradient_accumulation_steps = 2;
  CHECK(train_sampler_options(args, 1, 4).seed == 7);
  args.data_seed = 11;
  args.train_sampling_strategy = hft::config::TrainSamplingStrategy::kGroupByLength;
  const SamplerOptions options = train_sampler_options(args, 1, 4);
  CHECK(options.seed == 11);
  CHECK(options.kind == SamplingKind::kLengthGrouped);
  CHECK(options.group_batch_size == 32);
  CHECK((options.rank == 1 && options.world_size == 4));
  args.dataloader_drop_last = true;
  CHECK(loader_options(args, true).drop_last);
  CHECK_FALSE(loader_options(args, false).drop_last);
  CHECK(loader_options(args, false).batch_size == 8);
  CHECK(loader_options(args, true).pin_memory);  // dataloader_pin_memory: pinned batches on a CUDA run
  args.dataloader_pin_memory = false;
  CHECK_FALSE(loader_options(args, true).pin_memory);
  CHECK(eval_sampler_options(0, 2).kind == SamplingKind::kSequential);
}
