#include "hft/tokenize/encode_rows.h"

#include <algorithm>  // std::min, std::max
#include <atomic>
#include <exception>  // std::exception_ptr
#include <mutex>
#include <thread>     // hardware_concurrency

#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/worker_pool.h"     // run_on_workers

namespace hft::tokenize {
namespace {

constexpr size_t kRowsPerTake = 64;  // rows a batch worker takes at a time

}  // namespace

std::vector<Encoding> encode_rows(size_t rows, unsigned threads, const std::function<Encoding(size_t)>& encode_row) {
  std::vector<Encoding> out(rows);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, rows / kRowsPerTake)));

  // Workers take the next kRowsPerTake rows until none are left, so that a thread given short
  // rows does not wait for one given long ones; results land at their own index. On an error
  // the lowest failing row wins: rows are handed out in order, so every row before it is done.
  std::atomic<size_t> next_row{0};
  std::atomic<size_t> first_error_row{rows};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto fail_at = [&](size_t row, std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(error_mutex);
    if (row < first_error_row) {
      first_error_row = row;
      error = std::move(e);
    }
  };
  run_on_workers(threads, [&](unsigned) {
    for (size_t begin; (begin = next_row.fetch_add(kRowsPerTake)) < rows;) {
      if (begin > first_error_row) return;
      const size_t end = std::min(rows, begin + kRowsPerTake);
      for (size_t i = begin; i < end; ++i) {
        try {
          out[i] = encode_row(i);
        } catch (const TokenizeError& e) {
          fail_at(i, std::make_exception_ptr(TokenizeError(e, i)));
          return;
        } catch (...) {  // anything else (out of memory): pass it on as it is
          fail_at(i, std::current_exception());
          return;
        }
      }
    }
  });
  if (error) std::rethrow_exception(error);
  return out;
}

}  // namespace hft::tokenize
