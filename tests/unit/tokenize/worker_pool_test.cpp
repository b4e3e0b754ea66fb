// The batch workers: every worker index once per call, on threads kept from call to call.
#include <catch2/catch.hpp>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "hft/tokenize/worker_pool.h"

using namespace hft::tokenize;

namespace {

// The worker indices a call ran, and the threads that ran them.
struct Ran {
  std::vector<unsigned> workers;
  std::vector<std::thread::id> threads;
};

Ran run(unsigned workers) {
  Ran ran;
  std::mutex mutex;
  run_on_workers(workers, [&](unsigned worker) {
    std::lock_guard<std::mutex> lock(mutex);
    ran.workers.push_back(worker);
    ran.threads.push_back(std::this_thread::get_id());
  });
  return ran;
}

std::set<std::thread::id> others(const Ran& ran) {
  std::set<std::thread::id> ids(ran.threads.begin(), ran.threads.end());
  ids.erase(std::this_thread::get_id());
  return ids;
}

}  // namespace

TEST_CASE("tokenize/worker_pool: each worker once, worker 0 on the caller, the same threads next time", "[tokenize][worker_pool]") {
  const Ran first = run(3);
  CHECK(std::multiset<unsigned>(first.workers.begin(), first.workers.end()) == std::multiset<unsigned>{0, 1, 2});
  for (size_t i = 0; i < first.workers.size(); ++i) {
    CHECK((first.workers[i] == 0) == (first.threads[i] == std::this_thread::get_id()));
  }
  CHECK(others(first).size() == 2);
  const Ran again = run(3);
  CHECK(others(again) == others(first));
  const Ran fewer = run(2);
  CHECK(fewer.workers.size() == 2);
  CHECK(others(fewer).size() == 1);
  CHECK(run(1).threads == std::vector<std::thread::id>{std::this_thread::get_id()});
}

TEST_CASE("tokenize/worker_pool: calls from several threads at once each run all their workers", "[tokenize][worker_pool]") {
  std::vector<std::thread> callers;
  std::vector<size_t> counts(4);
  for (size_t c = 0; c < counts.size(); ++c) {
    callers.emplace_back([&counts, c] {
      for (int i = 0; i < 50; ++i) counts[c] += run(2).workers.size();
    });
  }
  for (auto& caller : callers) caller.join();
  CHECK(counts == std::vector<size_t>(4, 100));
}
