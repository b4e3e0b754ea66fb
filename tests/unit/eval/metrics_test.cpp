#include "hft/task/text_classification/glue_metrics.h"

#include <catch2/catch.hpp>

#include "../oracle_json.h"

using namespace hft::task;

TEST_CASE("classification metrics equal scikit-learn's") {
  const auto cases = hft::testing::run_oracle_json("metrics_reference.py")["classification"];
  for (const auto& c : cases) {
    ConfusionMatrix m(c["num_classes"].get<int64_t>());
    for (size_t i = 0; i < c["truth"].size(); ++i) m.add(c["truth"][i].get<int64_t>(), c["predicted"][i].get<int64_t>());
    std::vector<std::string> names = {"accuracy", "f1_macro", "precision_macro", "recall_macro", "matthews_correlation"};
    if (m.num_classes() == 2) names.insert(names.end(), {"f1", "precision", "recall"});
    const nlohmann::json ours = classification_metrics(m, names);
    for (const auto& name : names) {
      INFO(m.num_classes() << " classes, " << m.total() << " rows: " << name);
      CHECK(ours[name].get<double>() == Approx(c[name].get<double>()).margin(1e-12));
    }
  }
}

TEST_CASE("regression metrics equal scipy's, ties included") {
  const auto cases = hft::testing::run_oracle_json("metrics_reference.py")["regression"];
  for (const auto& c : cases) {
    const auto predictions = c["predictions"].get<std::vector<double>>();
    const auto targets = c["targets"].get<std::vector<double>>();
    const nlohmann::json ours = regression_metrics(predictions, targets, {"pearson", "spearmanr"});
    CHECK(ours["pearson"].get<double>() == Approx(c["pearson"].get<double>()).margin(1e-12));
    CHECK(ours["spearmanr"].get<double>() == Approx(c["spearmanr"].get<double>()).margin(1e-12));
  }
}

