#include "hft/config/value_reading.h"

#include <catch2/catch.hpp>

using namespace hft::config;

namespace {

RawValue plain(std::string text) { return RawValue{RawValue::Kind::kScalar, std::move(text), false, {}, {}, {}}; }
RawValue quoted(std::string text) { return RawValue{RawValue::Kind::kScalar, std::move(text), true, {}, {}, {}}; }

}  // namespace

TEST_CASE("booleans accept the spellings of YAML and of the Trainer's argument parser") {
  for (const char* yes : {"true", "True", "yes", "on", "1", "t", "Y"}) {
    bool value = false;
    CHECK_FALSE(read_value(plain(yes), value));
    CHECK(value);
  }
  for (const char* no : {"false", "False", "no", "off", "0", "f", "N"}) {
    bool value = true;
    CHECK_FALSE(read_value(plain(no), value));
    CHECK_FALSE(value);
  }
  bool value = false;
  CHECK(read_value(plain("maybe"), value)->expected == "true or false");
}

TEST_CASE("integers are whole numbers only") {
  int64_t value = 0;
  CHECK_FALSE(read_value(plain("16"), value));
  CHECK(value == 16);
  CHECK_FALSE(read_value(plain("-1"), value));
  CHECK(value == -1);
  CHECK(read_value(plain("2.5"), value));
  CHECK(read_value(plain("16 "), value));
  CHECK(read_value(quoted("16"), value));
}

TEST_CASE("numbers take scientific notation that YAML 1.1 would read as a string") {
  double value = 0;
  CHECK_FALSE(read_value(plain("2e-5"), value));
  CHECK(value == Approx(2e-5));
  CHECK_FALSE(read_value(plain("1e-08"), value));
  CHECK(value == Approx(1e-8));
  CHECK_FALSE(read_value(plain(".5"), value));
  CHECK(value == 0.5);
  CHECK(read_value(plain("nan"), value));
  CHECK(read_value(plain("fast"), value));
  CHECK(read_value(quoted("0.01"), value));
}

TEST_CASE("name lists come as YAML lists or comma-separated strings") {
  std::vector<std::string> names;
  CHECK_FALSE(read_value(plain("sentence1, sentence2"), names));
  CHECK(names == std::vector<std::string>{"sentence1", "sentence2"});
  RawValue list{RawValue::Kind::kSequence, "", false, {plain("a"), plain("b")}, {}, {}};
  CHECK_FALSE(read_value(list, names));
  CHECK(names == std::vector<std::string>{"a", "b"});
}

TEST_CASE("enum values are checked, with a suggestion for a typo") {
  SchedulerType type = SchedulerType::kLinear;
  CHECK_FALSE(read_value(plain("cosine_with_restarts"), type));
  CHECK(type == SchedulerType::kCosineWithRestarts);
  auto problem = read_value(plain("cosin"), type);
  REQUIRE(problem);
  CHECK(problem->expected.find("did you mean cosine?") != std::string::npos);
}

TEST_CASE("null clears an optional value") {
  std::optional<int64_t> value = 3;
  CHECK_FALSE(read_value(plain("null"), value));
  CHECK_FALSE(value);
  CHECK_FALSE(read_value(plain("None"), value));
  CHECK_FALSE(read_value(plain("7"), value));
  CHECK(value == 7);
}

TEST_CASE("resume_from_checkpoint is true, false or a folder") {
  ResumeFrom resume;
  CHECK_FALSE(read_value(plain("true"), resume));
  CHECK(resume.latest);
  CHECK_FALSE(read_value(plain("runs/x/checkpoint-500"), resume));
  CHECK(resume.path == "runs/x/checkpoint-500");
  CHECK_FALSE(resume.latest);
  CHECK_FALSE(read_value(plain("false"), resume));
  CHECK_FALSE(resume.requested());
}

TEST_CASE("closest_name suggests only likely typos") {
  const std::vector<std::string> names = {"learning_rate", "weight_decay", "seed"};
  CHECK(closest_name("learning_rat", names) == "learning_rate");
  CHECK(closest_name("Learning_Rate", names) == "learning_rate");
  CHECK(closest_name("colour", names).empty());
}
