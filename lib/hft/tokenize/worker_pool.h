// Threads that encode batches, kept for the whole process: a batch of texts runs on the calling
// thread and on pool threads that stay alive between batches, as `tokenizers` keeps its rayon
// pool. Datasets are encoded in chunks of a few thousand rows: kept threads start no thread per
// chunk, and their per-thread buffers (text, normalized text, words, regex match data) stay
// allocated from one chunk to the next.
#pragma once

#include <functional>

namespace hft::tokenize {

// Runs job(0), ..., job(workers - 1) at the same time, job(0) on the calling thread, and returns
// when all have returned. One call at a time runs (others wait); `job` must not throw and must
// not call run_on_workers itself.
void run_on_workers(unsigned workers, const std::function<void(unsigned worker)>& job);

}  // namespace hft::tokenize
