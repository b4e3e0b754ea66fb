#include "hft/config/overrides.h"

#include <catch2/catch.hpp>

using namespace hft::config;

TEST_CASE("overrides are read in the Trainer's styles and in key=value style") {
  std::vector<ConfigError> errors;
  const auto entries = parse_overrides(
      {"learning_rate=1e-4", "--seed=7", "--weight_decay", "0.1", "--do_train", "--bf16", "false", "--fp16"}, errors);
  REQUIRE(errors.empty());
  REQUIRE(entries.size() == 6);
  CHECK(entries[0].key == "learning_rate");
  CHECK(entries[0].value.scalar == "1e-4");
  CHECK(entries[1].key == "seed");
  CHECK(entries[1].value.scalar == "7");
  CHECK(entries[2].key == "weight_decay");
  CHECK(entries[2].value.scalar == "0.1");
  CHECK(entries[3].key == "do_train");  // a boolean flag alone means true
  CHECK(entries[3].value.scalar == "true");
  CHECK(entries[4].key == "bf16");  // a boolean flag followed by a boolean takes it
  CHECK(entries[4].value.scalar == "false");
  CHECK(entries[5].key == "fp16");
  CHECK(entries[5].value.scalar == "true");
  CHECK(entries[2].key_origin.where() == "command line `--weight_decay 0.1`");
}

TEST_CASE("override values are YAML: lists and mappings work") {
  std::vector<ConfigError> errors;
  const auto entries = parse_overrides({"report_to=[tensorboard]", "lr_scheduler_kwargs={num_cycles: 2}"}, errors);
  REQUIRE(errors.empty());
  CHECK(entries[0].value.kind == RawValue::Kind::kSequence);
  CHECK(entries[1].value.kind == RawValue::Kind::kMap);
}

TEST_CASE("malformed overrides are errors naming the argument") {
  std::vector<ConfigError> errors;
  parse_overrides({"learning_rate", "--output_dir"}, errors);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].message().find("command line `learning_rate`") == 0);
  CHECK(errors[1].message().find("output_dir: no value given") != std::string::npos);
}
