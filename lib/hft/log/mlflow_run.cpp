#include "hft/log/mlflow_run.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "hft/checkpoint/atomic_file.h"      // write_json_atomically
#include "hft/checkpoint/output_dir_lock.h"  // kLockFile: not an artifact

namespace hft::log {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr size_t kMetricsPerBatch = 1000;  // the server's limits on one log-batch call
constexpr size_t kParamsPerBatch = 100;
constexpr size_t kParamValueLength = 6000;
constexpr auto kQuietLimit = std::chrono::seconds(10);  // finish(): give up after this long without an answer

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One request's worth of work, sent in the order queued.
struct Task {
  enum class Kind { kStart, kMetrics, kParams, kUpload, kEnd } kind;
  std::vector<MlflowMetric> metrics;
  MlflowParams params;
  std::string path, file;  // kUpload: artifact path, local file
  std::string status;      // kEnd
};

// The run to continue: MLFLOW_RUN_ID, else (resuming) the one output_dir's record names for
// the same server.
std::optional<std::string> run_to_continue(const MlflowRunOptions& o) {
  if (o.settings.run_id) return o.settings.run_id;
  if (!o.resuming) return std::nullopt;
  std::ifstream in(o.record_path);
  const json record = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object() || record.value("tracking_uri", "") != o.settings.tracking_uri) return std::nullopt;
  return record.value("run_id", "");
}

}  // namespace

struct MlflowRun::State {
  MlflowRunOptions options;
  MlflowApi api;
  std::optional<MlflowRunInfo> run;  // once started (the thread's)
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Task> queue;
  bool finishing = false, stopping = false;
  bool last_attempt_failed = false;
  Clock::time_point last_answer = Clock::now();
  std::optional<std::string> warning;  // the first failure, until taken
  bool warned = false;
  std::vector<std::string> dropped;  // refusals (4xx): not retried, reported by finish()
  std::thread thread;

  explicit State(MlflowRunOptions o) : options(std::move(o)), api(options.settings) {}

  void push(Task task) {
    {
      std::lock_guard lock(mutex);
      queue.push_back(std::move(task));
    }
    wake.notify_all();
  }

  void note_failure_locked(const std::string& what) {
    last_attempt_failed = true;
    if (!warned) {
      warned = true;
      warning = "MLflow server at " + options.settings.tracking_uri + ": " + what +
                "; training goes on, and what it logs is kept and retried";
    }
  }

  void start_run() {
    const std::optional<std::string> existing = run_to_continue(options);
    if (existing && !existing->empty()) {
      run = api.get_run(*existing);
      api.update_run(run->run_id, "RUNNING", std::nullopt);
    } else {
      run = api.create_run(api.experiment_id(options.settings.experiment_name), options.run_name, now_ms());
    }
    checkpoint::write_json_atomically(options.record_path, {{"run_id", run->run_id},
                                                            {"experiment_id", run->experiment_id},
                                                            {"tracking_uri", options.settings.tracking_uri}});
  }

  // Sends the front task (metric tasks next to each other go in one call); the caller pops it.
  size_t send(const Task& task, std::unique_lock<std::mutex>& lock) {
    if (task.kind != Task::Kind::kMetrics) {
      lock.unlock();
      send_one(task);
      lock.lock();
      return 1;
    }
    std::vector<MlflowMetric> metrics;
    size_t tasks = 0;
    for (; tasks < queue.size() && queue[tasks].kind == Task::Kind::kMetrics; ++tasks) {
      if (metrics.size() + queue[tasks].metrics.size() > kMetricsPerBatch && !metrics.empty()) break;
      metrics.insert(metrics.end(), queue[tasks].metrics.begin(), queue[tasks].metrics.end());
    }
    lock.unlock();
    api.log_batch(run->run_id, metrics, {});
    lock.lock();
    return tasks;
  }

  void send_one(const Task& task) {
    switch (task.kind) {
      case Task::Kind::kStart: return start_run();
      case Task::Kind::kParams: return log_new_params(task.params);
      case Task::Kind::kUpload: return api.upload_artifact(*run, task.path, task.file);
      case Task::Kind::kEnd: return api.update_run(run->run_id, task.status, now_ms());
      case Task::Kind::kMetrics: return;
    }
  }

  // A continued run (resume, MLFLOW_RUN_ID) keeps the params it has: MLflow refuses a changed
  // value (max_steps, resume_from_checkpoint change on resume), and the same value is no news.
  void log_new_params(const MlflowParams& params) {
    MlflowParams fresh;
    for (const auto& param : params)
      if (!run->param_keys.count(param.first)) fresh.push_back(param);
    if (!fresh.empty()) api.log_batch(run->run_id, {}, fresh);
  }

  // Waits between retries: 1, 2, 4 .. 30 s while training, 1 s once finishing.
  void back_off(std::unique_lock<std::mutex>& lock, int failures) {
    const auto wait = finishing ? std::chrono::seconds(1) : std::chrono::seconds(std::min(30, 1 << std::min(failures, 5)));
    wake.wait_for(lock, wait, [&] { return stopping; });
  }

  void work() {
    std::unique_lock lock(mutex);
    int failures = 0;
    while (true) {
      wake.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping) return;
      const Task task = queue.front();
      try {
        if (task.kind != Task::Kind::kStart && !run) throw MlflowFailure("no run", /*retry=*/false);
        const size_t sent = send(task, lock);
        queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(sent));
        failures = 0;
        last_attempt_failed = false;
        last_answer = Clock::now();
      } catch (const MlflowFailure& failure) {
        if (!lock.owns_lock()) lock.lock();
        note_failure_locked(failure.what());
        if (failure.retry) {
          back_off(lock, ++failures);
        } else {
          dropped.push_back(failure.what());
          queue.pop_front();
          if (task.kind == Task::Kind::kStart) queue.clear();  // nothing can be sent without a run
        }
      } catch (const std::exception& e) {  // the record file, an unexpected answer
        if (!lock.owns_lock()) lock.lock();
        dropped.push_back(e.what());
        queue.pop_front();
      }
      wake.notify_all();
    }
  }
};

MlflowRun::MlflowRun(MlflowRunOptions options) : state_(std::make_unique<State>(std::move(options))) {
  State& s = *state_;
  s.queue.push_back({Task::Kind::kStart});
  MlflowParams batch;
  for (const auto& [key, value] : s.options.params) {
    if (value.size() > kParamValueLength) {  // as the Trainer does: too long for the server, left out
      s.dropped.push_back("param " + key + ": longer than " + std::to_string(kParamValueLength) + " characters");
      continue;
    }
    batch.emplace_back(key, value);
    if (batch.size() == kParamsPerBatch) s.queue.push_back({Task::Kind::kParams, {}, std::exchange(batch, {})});
  }
  if (!batch.empty()) s.queue.push_back({Task::Kind::kParams, {}, std::move(batch)});
  s.thread = std::thread([&s] { s.work(); });
}

MlflowRun::~MlflowRun() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  if (state_->thread.joinable()) state_->thread.join();
}

void MlflowRun::log_entry(const json& entry) {
  const int64_t step = entry.value("step", int64_t{0});
  const int64_t timestamp = now_ms();
  Task task{Task::Kind::kMetrics};
  for (const auto& [key, value] : entry.items())
    if (key != "step" && value.is_number()) task.metrics.push_back({key, value.get<double>(), timestamp, step});
  if (!task.metrics.empty()) state_->push(std::move(task));
}

void MlflowRun::log_folder_files(const std::string& folder) {
  if (!state_->options.settings.log_artifacts) return;
  std::vector<fs::path> files;
  for (const auto& item : fs::directory_iterator(folder))
    if (item.is_regular_file() && item.path().filename() != checkpoint::kLockFile) files.push_back(item.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) state_->push({Task::Kind::kUpload, {}, {}, file.filename().string(), file.string()});
}

std::optional<std::string> MlflowRun::take_warning() {
  std::lock_guard lock(state_->mutex);
  return std::exchange(state_->warning, std::nullopt);
}

std::optional<std::string> MlflowRun::finish(bool completed) {
  State& s = *state_;
  s.push({Task::Kind::kEnd, {}, {}, {}, {}, completed ? "FINISHED" : "KILLED"});
  std::unique_lock lock(s.mutex);
  s.finishing = true;
  s.last_answer = std::max(s.last_answer, Clock::now());  // the quiet limit counts from here at the earliest
  s.wake.notify_all();
  while (!s.queue.empty() && !(s.last_attempt_failed && Clock::now() - s.last_answer > kQuietLimit))
    s.wake.wait_for(lock, std::chrono::milliseconds(200));
  size_t metrics = 0, others = 0;
  for (const Task& task : s.queue) (task.kind == Task::Kind::kMetrics ? metrics : others) += std::max<size_t>(1, task.metrics.size());
  const std::vector<std::string> dropped = s.dropped;
  lock.unlock();
  if (metrics + others == 0 && dropped.empty()) return std::nullopt;
  std::string line = "MLflow: ";
  if (metrics + others > 0)
    line += std::to_string(metrics) + " metric values and " + std::to_string(others) + " other updates not delivered to " +
            s.options.settings.tracking_uri;
  if (!dropped.empty())
    line += std::string(metrics + others > 0 ? "; " : "") + std::to_string(dropped.size()) + " refused, first: " + dropped.front();
  return line;
}

}  // namespace hft::log
