// bench_tokenize TOKENIZER TEXTS THREADS REPEAT: encodes every line of TEXTS (one text per line,
// special tokens added, no truncation) with Tokenizer::encode_batch on THREADS threads (0: all
// cores), REPEAT times, and prints one JSON object: the texts, the tokens and the fastest
// repeat's seconds (with BENCH_VERBOSE set, every repeat's seconds on stderr). Run by
// tokenize_throughput.py beside the Python `tokenizers` library.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "hft/tokenize/load.h"            // load
#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "memory_reuse.h"                 // reuse_large_blocks (app/)

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: bench_tokenize TOKENIZER TEXTS THREADS REPEAT\n";
    return 2;
  }
  hft::app::reuse_large_blocks();  // as hft's main does
  try {
    const hft::tokenize::Tokenizer tokenizer = hft::tokenize::load(argv[1]);
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) throw hft::tokenize::TokenizeError(argv[2], "cannot be read");
    std::vector<std::string> texts;
    for (std::string line; std::getline(in, line);) texts.push_back(line);
    const unsigned threads = static_cast<unsigned>(std::stoul(argv[3]));
    const int repeat = std::max(1, std::stoi(argv[4]));
    double best = 1e300;
    size_t tokens = 0;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      const auto encodings = tokenizer.encode_batch(texts, nullptr, {}, threads);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      best = std::min(best, seconds);
      if (std::getenv("BENCH_VERBOSE")) std::fprintf(stderr, "%.4f ", seconds);
      tokens = 0;
      for (const auto& e : encodings) tokens += e.size();
    }
    std::printf("{\"texts\": %zu, \"tokens\": %zu, \"seconds\": %.6f}\n", texts.size(), tokens, best);
  } catch (const hft::tokenize::TokenizeError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  return 0;
}
