// One function per verb of the `hft` command. Each returns the process exit code; the library
// errors they let through are mapped to exit codes by main.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "failpoints.h"  // Failpoints

namespace hft::app {

struct RecipeRequest {
  std::string recipe_path;
  std::vector<std::string> overrides;  // key=value, --key=value, --key value
};

struct ValidateRequest {
  RecipeRequest recipe;
  bool json = false;  // print the resolved recipe as JSON (value, default, source per key)
};

struct PredictRequest {
  RecipeRequest recipe;
  std::string input_path;   // rows to predict; the recipe's test_file when empty
  std::string output_path;  // .tsv or .jsonl
};

struct TokenizeRequest {
  std::string tokenizer_dir;                 // model folder (tokenizer.json or vocab.txt)
  std::string input_path;                    // a TSV file
  std::string column = "sentence";           // header name, or 0-based index
  std::string pair_column;                   // second text of a pair; none when empty
  std::string max_length;                    // tokens to truncate to (>= 1), as typed; empty: no truncation
  std::string truncation = "longest_first";  // or only_first, only_second, do_not_truncate
  bool no_header = false;                    // the first line is a row, not a header
  bool no_special_tokens = false;            // leave out [CLS]/[SEP]
  bool with_offsets = false;                 // also special_tokens_mask and character offsets
  bool decode = false;                       // also "decoded" and "decoded_skip_special" texts
  unsigned threads = 0;                      // 0: all cores
  std::string output_path;                   // JSON lines; stdout when empty
};

struct ReportRequest {
  std::vector<std::string> folders;  // output_dirs of training runs
  std::string output_path;           // empty: the one folder's report.html, or ./report.html for several
};

int run_validate(const ValidateRequest& request);
int run_train(const RecipeRequest& request, const Failpoints& failpoints);
int run_evaluate(const RecipeRequest& request);
int run_predict(const PredictRequest& request);
int run_env();
int run_tokenize(const TokenizeRequest& request);
int run_report(const ReportRequest& request);

}  // namespace hft::app
