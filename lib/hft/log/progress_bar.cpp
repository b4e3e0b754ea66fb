#include "hft/log/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace hft::log {
namespace {

using Clock = std::chrono::steady_clock;

std::string clock_time(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  const auto total = static_cast<int64_t>(seconds);
  char text[32];
  if (total >= 3600)
    std::snprintf(text, sizeof(text), "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                  static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
  else
    std::snprintf(text, sizeof(text), "%02lld:%02lld", static_cast<long long>(total / 60), static_cast<long long>(total % 60));
  return text;
}

// Ten cells of eighths, as tqdm draws them.
std::string bar_cells(double fraction) {
  static const char* eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int width = 10;
  const int total_eighths = static_cast<int>(fraction * width * 8);
  std::string bar;
  for (int i = 0; i < total_eighths / 8; ++i) bar += "█";
  int cells = total_eighths / 8;
  if (cells < width && total_eighths % 8) bar += eighths[total_eighths % 8], ++cells;
  return bar + std::string(static_cast<size_t>(width - cells), ' ');
}

}  // namespace

bool progress_bar_wanted(std::optional<bool> disable_tqdm) {
  if (disable_tqdm) return !*disable_tqdm && ::isatty(STDERR_FILENO);
  return ::isatty(STDERR_FILENO);
}

std::string format_progress(int64_t done, int64_t total, double elapsed_seconds, double rate) {
  const double fraction = total > 0 ? std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0) : 0.0;
  const double remaining = rate > 0 ? static_cast<double>(total - done) / rate : NAN;
  char head[16], tail[48];
  std::snprintf(head, sizeof(head), "%3.0f%%|", fraction * 100);
  if (rate == 0)
    std::snprintf(tail, sizeof(tail), ", ?it/s]");
  else if (rate >= 1)
    std::snprintf(tail, sizeof(tail), ", %5.2fit/s]", rate);
  else
    std::snprintf(tail, sizeof(tail), ", %5.2fs/it]", 1.0 / rate);
  return head + bar_cells(fraction) + "| " + std::to_string(done) + "/" + std::to_string(total) + " [" +
         clock_time(elapsed_seconds) + "<" + clock_time(remaining) + tail;
}

ProgressBar::ProgressBar(int64_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(Clock::now()), last_draw_(Clock::now() - std::chrono::seconds(1)) {}

void ProgressBar::update(int64_t done) {
  if (first_ < 0) first_ = done, start_ = Clock::now();  // the rate: steps of this process since its first
  done_ = done;
  if (!enabled_ || Clock::now() - last_draw_ < std::chrono::milliseconds(100)) return;
  draw();
}

void ProgressBar::redraw() {
  if (enabled_ && drawn_) draw();
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  draw();
  std::cerr << "\n";
  drawn_ = false;
  enabled_ = false;
}

void ProgressBar::draw() {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_ - first_) / elapsed : 0.0;
  std::cerr << "\r" << format_progress(done_, total_, elapsed, rate) << std::flush;
  drawn_ = true;
  last_draw_ = Clock::now();
}

void ProgressBar::clear() {
  if (enabled_ && drawn_) std::cerr << "\r\033[K" << std::flush;
}

}  // namespace hft::log
