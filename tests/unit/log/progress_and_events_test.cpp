// The progress line against tqdm's own format_meter, when it is shown (disable_tqdm), and the CRC-32C of TFRecord framing
// against the published check value. (TensorBoard's reader reading hft's event files is
// tests/e2e/test_tensorboard_events.py.)
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "../oracle_json.h"
#include "hft/log/progress_bar.h"
#include "hft/log/run_log.h"
#include "hft/log/tensorboard_writer.h"

using namespace hft;

TEST_CASE("the progress line is tqdm's", "[log]") {
  const std::vector<std::tuple<int64_t, int64_t, double>> cases = {
      {23, 63, 15.0}, {0, 63, 0.0}, {63, 63, 41.3}, {5, 4000, 5400.0}, {1, 100, 7.0}, {999, 1000, 59.9}, {17, 40, 3.25}};
  nlohmann::json arguments = nlohmann::json::array();
  for (const auto& [done, total, elapsed] : cases) arguments.push_back({done, total, elapsed});
  const nlohmann::json expected = testing::run_oracle_json("tqdm_meter.py", "'" + arguments.dump() + "'");
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& [done, total, elapsed] = cases[i];
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    CHECK(log::format_progress(done, total, elapsed, rate) == expected[i].get<std::string>());
  }
}

TEST_CASE("disable_tqdm: true hides the bar; unset shows it exactly on a terminal, as tqdm does", "[log]") {
  CHECK_FALSE(log::progress_bar_wanted(true));
  CHECK(log::progress_bar_wanted(std::nullopt) == static_cast<bool>(::isatty(STDERR_FILENO)));
  CHECK(log::progress_bar_wanted(false) == static_cast<bool>(::isatty(STDERR_FILENO)));
}

TEST_CASE("CRC-32C matches the published check value", "[log]") {
  CHECK(log::crc32c("123456789") == 0xE3069283u);  // RFC 3720 (iSCSI), appendix B.4
  CHECK(log::crc32c("") == 0u);
}

TEST_CASE("TensorBoard tags are transformers' rewrite_logs", "[log]") {
  CHECK(log::tensorboard_tag("loss") == "train/loss");
  CHECK(log::tensorboard_tag("eval_accuracy") == "eval/accuracy");
  CHECK(log::tensorboard_tag("test_f1") == "test/f1");
  CHECK(log::tensorboard_tag("learning_rate") == "train/learning_rate");
}
