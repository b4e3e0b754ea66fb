// The training progress bar on a terminal, like the Trainer's tqdm bar:
//    37%|███▋      | 23/63 [00:15<00:26,  1.52it/s]
// drawn on stderr and redrawn at most ten times a second; other lines are printed above it
// (clear, print, redraw).
// Where stderr is not a terminal (a cluster job's log) there is no bar, only the plain lines.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace hft::log {

// disable_tqdm: unset shows the bar exactly when stderr is a terminal.
bool progress_bar_wanted(std::optional<bool> disable_tqdm);

// "37%|███▋      | 23/63 [00:15<00:26,  1.52it/s]": `done` of `total` steps, `elapsed` seconds
// so far, at `rate` steps per second (which sets the time left).
std::string format_progress(int64_t done, int64_t total, double elapsed_seconds, double rate);

class ProgressBar {
 public:
  ProgressBar(int64_t total, bool enabled);
  ~ProgressBar() { finish(); }

  void update(int64_t done);
  // Around printing a line above the bar: take the bar off the line, then put it back.
  void clear();
  void redraw();
  void finish();

 private:
  void draw();

  int64_t total_, done_ = 0, first_ = -1;  // first_: the step this process started from (resumed runs)
  bool enabled_, drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace hft::log
