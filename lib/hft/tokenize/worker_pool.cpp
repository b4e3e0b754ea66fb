#include "hft/tokenize/worker_pool.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace hft::tokenize {
namespace {

// Pool thread i is worker i + 1. A call publishes its job under a new generation number and
// wakes the threads; those it needs run the job and count themselves down.
class WorkerPool {
 public:
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  void run(unsigned workers, const std::function<void(unsigned)>& job) {
    if (workers <= 1) {
      job(0);
      return;
    }
    std::lock_guard<std::mutex> one_call(call_mutex_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      while (threads_.size() + 1 < workers) {
        const auto index = static_cast<unsigned>(threads_.size());
        threads_.emplace_back([this, index, seen = generation_] { serve(index, seen); });
      }
      job_ = &job;
      helpers_ = workers - 1;
      running_ = workers - 1;
      ++generation_;
    }
    wake_.notify_all();
    job(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return running_ == 0; });
    job_ = nullptr;
  }

 private:
  void serve(unsigned index, uint64_t seen) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      if (index >= helpers_) continue;  // this call needs fewer threads
      const auto* job = job_;
      lock.unlock();
      (*job)(index + 1);
      lock.lock();
      if (--running_ == 0) done_.notify_one();
    }
  }

  std::mutex call_mutex_;  // one call at a time
  std::mutex mutex_;       // guards everything below
  std::condition_variable wake_, done_;
  std::vector<std::thread> threads_;
  const std::function<void(unsigned)>* job_ = nullptr;
  unsigned helpers_ = 0;  // pool threads the current call uses
  unsigned running_ = 0;  // of those, still running
  uint64_t generation_ = 0;
  bool stopping_ = false;
};

}  // namespace

void run_on_workers(unsigned workers, const std::function<void(unsigned worker)>& job) {
  static WorkerPool pool;
  pool.run(workers, job);
}

}  // namespace hft::tokenize
