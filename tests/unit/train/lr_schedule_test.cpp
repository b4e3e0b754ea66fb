#include "hft/train/lr_schedule.h"

#include <catch2/catch.hpp>

#include "../oracle_json.h"
#include "hft/config/enums.h"

using namespace hft;

namespace {

config::SchedulerKwargs kwargs_from(const nlohmann::json& j) {
  config::SchedulerKwargs k;
  if (j.contains("num_cycles")) k.num_cycles = j["num_cycles"].get<double>();
  if (j.contains("power")) k.power = j["power"].get<double>();
  if (j.contains("lr_end")) k.lr_end = j["lr_end"].get<double>();
  if (j.contains("min_lr")) k.min_lr = j["min_lr"].get<double>();
  if (j.contains("min_lr_rate")) k.min_lr_rate = j["min_lr_rate"].get<double>();
  if (j.contains("timescale")) k.timescale = j["timescale"].get<int64_t>();
  if (j.contains("num_stable_steps")) k.num_stable_steps = j["num_stable_steps"].get<double>();
  if (j.contains("num_decay_steps")) k.num_decay_steps = j["num_decay_steps"].get<double>();
  if (j.contains("decay_type")) k.decay_type = j["decay_type"].get<std::string>();
  if (j.contains("min_lr_ratio")) k.min_lr_ratio = j["min_lr_ratio"].get<double>();
  return k;
}

}  // namespace

TEST_CASE("every schedule gives transformers.get_scheduler's learning rate at every step") {
  const nlohmann::json cases = testing::run_oracle_json("lr_schedules.py");
  REQUIRE(cases.size() >= 17);
  for (const auto& c : cases) {
    const auto type = config::parse_enum<config::SchedulerType>(c["type"].get<std::string>());
    REQUIRE(type);
    const train::LrSchedule schedule{*type, c["base_lr"].get<double>(), c["warmup"].get<int64_t>(),
                                     c["total"].get<int64_t>(), kwargs_from(c["kwargs"])};
    const auto& lrs = c["lrs"];
    for (size_t step = 0; step < lrs.size(); ++step) {
      INFO(c["type"].get<std::string>() << " " << c["kwargs"].dump() << " step " << step);
      CHECK(schedule.learning_rate(static_cast<int64_t>(step)) == Approx(lrs[step].get<double>()).epsilon(1e-12).margin(1e-15));
    }
  }
}
