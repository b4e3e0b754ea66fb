// Random mutations of a valid input file, reproducible from a seed: byte-level edits (values
// flipped, the file cut short, spans dropped or repeated, hostile tokens put in), line-level
// edits for YAML recipes and TSV/CSV rows, and structural edits for JSON (a value replaced by
// one of another type or an extreme, a key dropped or added, nesting made deep).
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace hft::testing {

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  std::string bytes(std::string text);  // one to three byte-level edits
  std::string lines(std::string text);  // a line dropped, repeated, swapped or a value replaced
  std::string json(const std::string& text);  // structural when `text` parses, else bytes()
  // Any of the above that suits the file: json() for .json, lines() or bytes() otherwise.
  std::string any(const std::string& text, bool is_json);
  // A number below n (0 when n is 0), from the same generator: which file of several to mutate.
  size_t pick(size_t n) { return below(n); }

 private:
  std::mt19937_64 rng_;
  size_t below(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string hostile_token();
};

}  // namespace hft::testing
