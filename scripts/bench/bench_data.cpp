// bench_data: one epoch of the data pipeline (read + tokenize + collate), timed, for
// scripts/bench/data_pipeline.py. Prints one JSON object.
// Usage: bench_data TOKENIZER_DIR DATA_FILE CACHE_DIR BATCH_SIZE [THREADS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "hft/data/collator.h"  // collate, collator_options
#include "hft/data/sampler.h"   // epoch_indices, batch_at, batches_per_epoch
#include "hft/data/splits.h"    // load_splits
#include "hft/tokenize/load.h"  // tokenize::load

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: bench_data TOKENIZER_DIR DATA_FILE CACHE_DIR BATCH_SIZE [THREADS]\n");
    return 2;
  }
  const std::string tokenizer_dir = argv[1];
  const int64_t batch_size = std::atoll(argv[4]);
  const auto start = std::chrono::steady_clock::now();
  const auto tokenizer = hft::tokenize::load(tokenizer_dir);
  hft::data::SplitsOptions options;
  options.train_file = argv[2];
  options.cache_dir = argv[3];
  options.encode.threads = argc > 5 ? static_cast<unsigned>(std::atoi(argv[5])) : 0;
  const auto splits = hft::data::load_splits(options, tokenizer, tokenizer_dir);
  const double load_s = seconds_since(start);
  const auto& train = *splits.train;
  const auto collator = hft::data::collator_options(tokenizer, 128, false, false, true);
  const auto indices = hft::data::epoch_indices({}, train.size(), 0);
  int64_t padded = 0;
  const int64_t batches = hft::data::batches_per_epoch(static_cast<int64_t>(indices.size()), batch_size, false);
  for (int64_t step = 0; step < batches; ++step)
    padded += hft::data::collate(train, hft::data::batch_at(indices, step, batch_size), collator).input_ids.numel();
  std::printf("{\"rows\": %lld, \"load_s\": %.4f, \"total_s\": %.4f, \"batches\": %lld, \"padded_tokens\": %lld}\n",
              static_cast<long long>(train.size()), load_s, seconds_since(start), static_cast<long long>(batches),
              static_cast<long long>(padded));
  return 0;
}
