// Token classification's metrics against the seqeval package itself (tests/oracle/seqeval_reference.py):
// the entities of each sentence (default and strict mode), run_ner.py's metric names and values,
// and the counts of two halves (or two ranks) adding up to the counts of the whole.
#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "../oracle_json.h"                                  // run_oracle_json
#include "hft/task/token_classification/entity_counts.h"    // EntityCounts
#include "hft/task/token_classification/entity_reading.h"   // read_entities, entity_types
#include "hft/task/token_classification/seqeval_metrics.h"  // seqeval_metrics

using namespace hft::task;
using nlohmann::json;
using Sentences = std::vector<std::vector<std::string>>;

namespace {

struct Case {
  std::string name;
  Sentences truth;
  Sentences predicted;
  bool suffix = false;
  json zero_division = "warn";  // as seqeval takes it: "warn", 0 or 1
  std::string strict_scheme{};  // "IOB2", ...: seqeval's mode="strict" with that scheme; "": default mode
};

json case_json(const Case& c) {
  json j = {{"truth", c.truth}, {"predicted", c.predicted}, {"suffix", c.suffix}, {"zero_division", c.zero_division}};
  if (!c.strict_scheme.empty()) j.update({{"mode", "strict"}, {"scheme", c.strict_scheme}});
  return j;
}

std::vector<json> run_seqeval(const std::vector<Case>& cases) {
  json spec = {{"cases", json::array()}};
  for (const auto& c : cases) spec["cases"].push_back(case_json(c));
  return hft::testing::run_oracle_json("seqeval_reference.py", "'" + spec.dump() + "'")["cases"].get<std::vector<json>>();
}

EntityReading reading_of(const Case& c) {
  EntityReading reading{c.suffix ? TagFormat::kSuffix : TagFormat::kPrefix, std::nullopt};
  if (!c.strict_scheme.empty()) reading.strict = scheme_named(c.strict_scheme);
  return reading;
}

// The label list of a run: every tag that occurs in the reference or the predictions.
std::vector<std::string> labels_of(const Case& c) {
  std::set<std::string> labels;
  for (const auto* sentences : {&c.truth, &c.predicted})
    for (const auto& s : *sentences) labels.insert(s.begin(), s.end());
  return {labels.begin(), labels.end()};
}

EntityCounts count(const Case& c, size_t first, size_t end) {
  EntityCounts counts(entity_types(labels_of(c), reading_of(c)), reading_of(c));
  for (size_t i = first; i < end; ++i) counts.add_sentence(c.truth[i], c.predicted[i]);
  return counts;
}

json entities_json(const std::vector<Entity>& entities) {
  json out = json::array();
  for (const auto& e : entities) out.push_back({e.type, e.first, e.last});
  return out;
}

void check_entities(const Sentences& sentences, const json& expected, const EntityReading& reading) {
  for (size_t i = 0; i < sentences.size(); ++i) {
    INFO("sentence " << i << ": " << json(sentences[i]).dump());
    CHECK(entities_json(read_entities(sentences[i], reading)) == expected[i]);
  }
}

void check_metrics(const std::vector<std::pair<std::string, double>>& ours, const json& expected) {
  REQUIRE(ours.size() == expected.size());
  for (size_t i = 0; i < ours.size(); ++i) {
    INFO(expected[i][0].get<std::string>());
    CHECK(ours[i].first == expected[i][0].get<std::string>());
    CHECK(ours[i].second == Approx(expected[i][1].get<double>()).margin(1e-15));
  }
}

SeqevalOptions options_of(const Case& c, bool entity_level) {
  return {entity_level, c.zero_division.is_number() ? c.zero_division.get<double>() : 0.0};
}

void check_case(const Case& c, const json& expected) {
  INFO("case " << c.name);
  check_entities(c.truth, expected["true_entities"], reading_of(c));
  check_entities(c.predicted, expected["predicted_entities"], reading_of(c));
  const EntityCounts counts = count(c, 0, c.truth.size());
  check_metrics(seqeval_metrics(counts, options_of(c, false)), expected["metrics"]);
  check_metrics(seqeval_metrics(counts, options_of(c, true)), expected["entity_metrics"]);
}

std::vector<Case> tagging_cases() {
  return {
      {"IOB2 with B-/I- errors",
       {{"B-PER", "I-PER", "O", "B-LOC"}, {"B-ORG", "I-ORG", "I-ORG", "O"}, {"B-PER", "O"}},
       {{"B-PER", "B-PER", "O", "B-LOC"}, {"I-ORG", "I-ORG", "I-ORG", "O"}, {"B-PER", "I-PER"}}},
      {"IOB1: I- starts an entity, B- only between two of one type",
       {{"I-PER", "I-PER", "O", "I-LOC", "B-LOC"}, {"O", "I-ORG", "I-ORG", "B-ORG"}},
       {{"I-PER", "B-PER", "O", "I-LOC", "I-LOC"}, {"O", "I-ORG", "I-ORG", "B-ORG"}}},
      {"IOBES: S- and E- close entities",
       {{"S-PER", "O", "B-LOC", "I-LOC", "E-LOC"}, {"B-ORG", "E-ORG", "S-ORG"}, {"E-PER", "E-PER", "S-PER", "I-PER"}},
       {{"S-PER", "O", "B-LOC", "E-LOC", "E-LOC"}, {"B-ORG", "I-ORG", "S-ORG"}, {"E-PER", "I-PER", "S-PER", "E-PER"}}},
      {"entities cut by an O",
       {{"B-PER", "O", "I-PER"}, {"B-LOC", "I-LOC", "O", "I-LOC", "I-LOC"}},
       {{"B-PER", "I-PER", "I-PER"}, {"B-LOC", "I-LOC", "O", "B-LOC", "I-LOC"}}},
      {"a type change inside a run of I-",
       {{"B-PER", "I-PER", "I-LOC", "I-LOC", "O"}, {"I-PER", "I-LOC", "B-LOC"}},
       {{"B-PER", "I-PER", "I-PER", "I-LOC", "O"}, {"I-PER", "I-LOC", "I-LOC"}}},
      {"tags without a prefix, bare letters and '.'",
       {{"PER", "PER", "O", "LOC"}, {"B", "I", "O", "I"}, {".", "B-X", ".", "I-X"}},
       {{"PER", "LOC", "O", "LOC"}, {"B", "B", "O", "I"}, {".", "B-X", "I-X", "I-X"}}},
      {"empty sentences", {{}, {"B-PER", "O"}, {}}, {{}, {"B-PER", "O"}, {}}},
      {"no entities anywhere (zero division)", {{"O", "O"}, {"O"}}, {{"O", "O"}, {"O"}}},
      {"entities only in the predictions", {{"O", "O", "O"}}, {{"B-PER", "O", "B-LOC"}}},
      {"entities only in the reference", {{"B-PER", "O", "B-LOC"}}, {{"O", "O", "O"}}},
      {"zero_division=1", {{"O", "O", "O"}}, {{"B-PER", "O", "B-LOC"}}, false, 1},
      {"several types",
       {{"B-PER", "I-PER", "O", "B-ORG", "B-MISC", "I-MISC", "O", "B-LOC"}, {"B-LOC", "O", "B-PER"}},
       {{"B-PER", "I-PER", "O", "B-ORG", "B-MISC", "O", "O", "B-ORG"}, {"B-LOC", "O", "B-MISC"}}},
      {"suffix tags (PER-B)",
       {{"PER-B", "PER-I", "O", "LOC-S"}, {"ORG-B", "ORG-E", "O"}},
       {{"PER-B", "PER-B", "O", "LOC-S"}, {"ORG-B", "ORG-E", "ORG-S"}},
       true},
      {"non-ASCII letters and types sort by code point",
       {{"B-Ärger", "I-Ärger", "O", "B-Zeit"}, {"ÖPER", "ÖPER", "O"}},
       {{"B-Ärger", "B-Zeit", "O", "B-Zeit"}, {"ÖPER", "O", "O"}}},
  };
}

// seqeval's strict mode: the same kind of errors, now counted only where the scheme is kept.
std::vector<Case> strict_cases() {
  const auto strict = [](std::string name, Sentences truth, Sentences predicted, std::string scheme) {
    Case c{std::move(name), std::move(truth), std::move(predicted)};
    c.strict_scheme = std::move(scheme);
    return c;
  };
  return {
      strict("strict IOB2: an I- start is no entity",
             {{"B-PER", "I-PER", "O", "B-LOC", "I-LOC"}, {"B-ORG", "B-ORG", "I-ORG"}},
             {{"I-PER", "I-PER", "O", "B-LOC", "I-PER"}, {"B-ORG", "I-ORG", "I-ORG"}}, "IOB2"),
      strict("strict IOB1", {{"I-PER", "I-PER", "B-PER", "O", "I-LOC"}}, {{"I-PER", "B-PER", "B-PER", "O", "B-LOC"}},
             "IOB1"),
      strict("strict IOE1", {{"I-PER", "E-PER", "I-PER", "O", "I-LOC"}}, {{"I-PER", "I-PER", "E-PER", "O", "E-LOC"}},
             "IOE1"),
      strict("strict IOE2", {{"I-PER", "E-PER", "O", "E-LOC"}}, {{"I-PER", "I-PER", "O", "E-LOC"}}, "IOE2"),
      strict("strict IOBES: an unclosed B- is no entity",
             {{"S-PER", "B-LOC", "E-LOC", "O"}, {"B-ORG", "I-ORG", "E-ORG"}},
             {{"S-PER", "B-LOC", "I-LOC", "O"}, {"B-ORG", "E-ORG", "E-ORG"}}, "IOBES"),
      strict("strict BILOU", {{"U-PER", "B-LOC", "L-LOC", "O"}, {"B-ORG", "I-ORG", "L-ORG"}},
             {{"U-PER", "B-LOC", "I-LOC", "O"}, {"B-ORG", "I-ORG", "L-ORG"}}, "BILOU"),
  };
}

// Many sentences of mixed IOB1/IOB2/IOBES tags, with about one predicted tag in four changed.
Case random_case(size_t sentences) {
  const std::vector<std::string> tags = {"O",     "O",     "O",     "B-PER", "I-PER", "E-PER", "S-PER",
                                         "B-LOC", "I-LOC", "B-ORG", "I-ORG", "S-ORG", "B-MISC"};
  std::mt19937 rng(18);
  std::uniform_int_distribution<size_t> length(0, 12), tag(0, tags.size() - 1), chance(0, 3);
  Case c{"random", {}, {}};
  for (size_t s = 0; s < sentences; ++s) {
    std::vector<std::string> truth, predicted;
    for (size_t n = length(rng); n > 0; --n) {
      truth.push_back(tags[tag(rng)]);
      predicted.push_back(chance(rng) == 0 ? tags[tag(rng)] : truth.back());
    }
    c.truth.push_back(truth);
    c.predicted.push_back(predicted);
  }
  return c;
}

std::vector<double> add(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> sum(a.size());
  for (size_t i = 0; i < a.size(); ++i) sum[i] = a[i] + b[i];
  return sum;
}

}  // namespace

TEST_CASE("entities and metrics equal seqeval's") {
  const std::vector<Case> cases = tagging_cases();
  const std::vector<json> expected = run_seqeval(cases);
  REQUIRE(expected.size() == cases.size());
  for (size_t i = 0; i < cases.size(); ++i) check_case(cases[i], expected[i]);
}

TEST_CASE("strict-mode entities and metrics equal seqeval's") {
  std::vector<Case> cases = strict_cases();
  Case random = random_case(200);  // B/I/E/S tags at random: many break IOBES
  random.strict_scheme = "IOBES";
  cases.push_back(random);
  const std::vector<json> expected = run_seqeval(cases);
  REQUIRE(expected.size() == cases.size());
  for (size_t i = 0; i < cases.size(); ++i) check_case(cases[i], expected[i]);
}

TEST_CASE("seqeval's documented example, computed by hand") {
  // Reference: one MISC entity (words 3-5) and one PER (0-1); the prediction's MISC spans 2-5.
  // One of two entities right: precision = recall = F1 = 1/2; 8 of 10 words right.
  const Case c{"docstring",
               {{"O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"}, {"B-PER", "I-PER", "O"}},
               {{"O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"}, {"B-PER", "I-PER", "O"}}};
  const auto metrics = seqeval_metrics(count(c, 0, c.truth.size()));
  const std::vector<std::pair<std::string, double>> expected = {
      {"precision", 0.5}, {"recall", 0.5}, {"f1", 0.5}, {"accuracy", 0.8}};
  REQUIRE(metrics.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(metrics[i].first == expected[i].first);
    CHECK(metrics[i].second == Approx(expected[i].second).margin(1e-15));
  }
}

TEST_CASE("counts added in two halves, or summed over two ranks, equal the whole") {
  const Case c = random_case(300);
  const json expected = run_seqeval({c})[0];
  const EntityCounts whole = count(c, 0, 300);
  const EntityCounts first_half = count(c, 0, 120);
  const EntityCounts second_half = count(c, 120, 300);

  // The flat vectors of two ranks, summed element by element as sum_over_ranks does.
  EntityCounts summed(entity_types(labels_of(c)));
  summed.from_sums(add(first_half.to_sums(), second_half.to_sums()));
  CHECK(summed.to_sums() == whole.to_sums());
  check_metrics(seqeval_metrics(summed), expected["metrics"]);
  check_metrics(seqeval_metrics(summed, {.entity_level = true}), expected["entity_metrics"]);

  // Sentence by sentence into one accumulator: the same counts.
  EntityCounts running(entity_types(labels_of(c)));
  for (size_t i = 0; i < 300; ++i) running.add_sentence(c.truth[i], c.predicted[i]);
  CHECK(running.to_sums() == whole.to_sums());
}

TEST_CASE("bad input to the counts is refused and leaves them as they were") {
  EntityCounts counts(entity_types({"O", "B-PER", "I-PER"}));
  const std::vector<double> before = counts.to_sums();
  CHECK_THROWS_AS(counts.add_sentence({"O", "B-PER"}, {"O"}), std::invalid_argument);
  CHECK_THROWS_AS(counts.add_sentence({"O", "B-LOC"}, {"O", "O"}), std::invalid_argument);
  CHECK_THROWS_AS(counts.add_sentence({"O", ""}, {"O", "O"}), std::invalid_argument);
  CHECK(counts.to_sums() == before);
  CHECK_THROWS_AS(counts.from_sums({1, 2, 3}), std::invalid_argument);
  CHECK(entity_types({"O", "B-PER", "I-PER", "E-LOC", ".", "Ofoo"}) == std::vector<std::string>{"LOC", "PER"});
}

TEST_CASE("strict mode refuses a letter its scheme does not allow, as seqeval does") {
  const EntityReading iob2{TagFormat::kPrefix, Scheme::kIOB2};
  CHECK_THROWS_AS(read_entities({"B-PER", "E-PER"}, iob2), std::invalid_argument);
  CHECK_THROWS_AS(read_entities({"X-PER"}, iob2), std::invalid_argument);
  CHECK_THROWS_AS(scheme_named("IOB3"), std::invalid_argument);
  EntityCounts counts(entity_types({"O", "B-PER", "I-PER"}, iob2), iob2);
  CHECK_THROWS_AS(counts.add_sentence({"S-PER"}, {"O"}), std::invalid_argument);
}
