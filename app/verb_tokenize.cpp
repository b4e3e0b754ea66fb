// `hft tokenize --tokenizer DIR --input FILE`: one JSON line per row of a TSV file (or .tsv.gz) with the
// token ids, type ids and attention mask the model would see, for inspection and for the
// oracle tests (tests/e2e/tokenize_oracle_test.py).
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>  // decoded texts as JSON strings

#include "hft/checkpoint/atomic_file.h"   // write_file_atomically
#include "hft/config/config_error.h"      // ConfigErrors: a bad argument
#include "hft/config/device_rules.h"      // max_loader_workers
#include "hft/data/data_error.h"          // DataError
#include "hft/data/data_file.h"           // read_file_bytes
#include "hft/tokenize/load.h"            // load, kTokenizerFiles
#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/unicode.h"         // decode_utf8
#include "output_argument.h"              // check_output_argument
#include "verbs.h"

namespace hft::app {
namespace {

// A tab-separated file read plainly: one row per line, no quoting (GLUE's TSVs hold quote
// characters that are part of the text). Empty lines are skipped. Rows keep their line numbers.
struct Tsv {
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> line_numbers;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
    fields.push_back(line.substr(start, tab - start));
  }
  fields.push_back(line.substr(start));
  return fields;
}

Tsv read_tsv(const std::string& path) {
  std::istringstream in(data::read_file_bytes(path));  // a .gz file decompressed
  Tsv tsv;
  std::string line;
  for (int64_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    tsv.rows.push_back(split_tabs(line));
    tsv.line_numbers.push_back(number);
  }
  return tsv;
}

// A column by header name, or by 0-based index (the only way without a header).
size_t resolve_column(const std::string& spec, const std::vector<std::string>* header, const std::string& path) {
  if (header) {
    for (size_t i = 0; i < header->size(); ++i) {
      if ((*header)[i] == spec) return i;
    }
  }
  size_t index = 0;
  const auto [end, error] = std::from_chars(spec.data(), spec.data() + spec.size(), index);
  if (!spec.empty() && error == std::errc() && end == spec.data() + spec.size()) return index;  // column_texts checks it
  std::string names;
  if (header) {
    for (const auto& name : *header) names += (names.empty() ? "" : ", ") + name;
  }
  throw data::DataError(path, 1, "no column \"" + spec + "\"" +
                                     (header ? " (the header has: " + names + ")" : "") +
                                     "; name a header column or give a 0-based index");
}

// The texts of one column, checked to be UTF-8.
std::vector<std::string> column_texts(const Tsv& tsv, size_t first_row, size_t column, const std::string& path) {
  std::vector<std::string> texts;
  texts.reserve(tsv.rows.size());
  std::u32string scratch;
  for (size_t r = first_row; r < tsv.rows.size(); ++r) {
    const auto& row = tsv.rows[r];
    if (column >= row.size()) {
      throw data::DataError(path, tsv.line_numbers[r], "has " + std::to_string(row.size()) + " columns, column " +
                                                           std::to_string(column) + " (0-based) is not there");
    }
    size_t bad = 0;
    if (!tokenize::unicode::decode_utf8(row[column], scratch, &bad)) {
      throw data::DataError(path, tsv.line_numbers[r], "invalid UTF-8 in column " + std::to_string(column) +
                                                           " at byte " + std::to_string(bad) + " (save the file as UTF-8)");
    }
    texts.push_back(row[column]);
  }
  return texts;
}

void append_ints(std::string& out, const char* key, const std::vector<int32_t>& values) {
  out += '"';
  out += key;
  out += "\":[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  out += ']';
}

void append_offsets(std::string& out, const std::vector<tokenize::CharOffsets>& offsets) {
  out += "\"offsets\":[";
  for (size_t i = 0; i < offsets.size(); ++i) {
    if (i) out += ',';
    out += '[' + std::to_string(offsets[i].first) + ',' + std::to_string(offsets[i].second) + ']';
  }
  out += ']';
}

// "decoded" (every token) and "decoded_skip_special" (without special tokens), as JSON strings.
void append_decoded(std::string& out, const tokenize::Tokenizer& tokenizer, const std::vector<int32_t>& ids) {
  using nlohmann::json;
  out += ",\"decoded\":" + json(tokenizer.decode(ids, false)).dump(-1, ' ', true, json::error_handler_t::replace);
  out += ",\"decoded_skip_special\":" +
         json(tokenizer.decode(ids, true)).dump(-1, ' ', true, json::error_handler_t::replace);
}

std::string json_line(const tokenize::Encoding& e, bool with_offsets, const tokenize::Tokenizer* decode_with) {
  std::string line = "{";
  append_ints(line, "input_ids", e.input_ids);
  line += ',';
  append_ints(line, "token_type_ids", e.token_type_ids);
  line += ',';
  append_ints(line, "attention_mask", e.attention_mask);
  if (with_offsets) {
    line += ',';
    append_ints(line, "special_tokens_mask", e.special_tokens_mask);
    line += ',';
    append_offsets(line, e.offsets);
  }
  if (decode_with) append_decoded(line, *decode_with, e.input_ids);
  line += "}\n";
  return line;
}

// --max-length as typed: a whole number of tokens that fits the int32 positions of an encoding.
std::optional<size_t> parse_max_length(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size() && value >= 1 &&
      value <= std::numeric_limits<int32_t>::max())
    return static_cast<size_t>(value);
  const config::Origin argument{config::Origin::Kind::kCommandLine, "--max-length " + text, 0, 0};
  throw config::ConfigErrors({config::ConfigError{
      argument, "", "not a length", "", "a whole number of tokens from 1 to 2147483647, or no --max-length for no limit"}});
}

// The files of the tokenizer that tokenize::load may read (load.cpp, tokenizer_config.cpp), in
// the folder given or beside the file given: an --output naming one would replace it.
std::vector<config::InputFile> tokenizer_files(const std::string& given) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path folder = fs::is_directory(given, ec) ? fs::path(given) : fs::path(given).parent_path();
  std::vector<config::InputFile> files = {{"--tokenizer", given}};
  for (const char* name : tokenize::kTokenizerFiles) files.push_back({"the tokenizer's", (folder / name).string()});
  files.push_back({"the tokenizer's", (folder / "config.json").string()});  // the model's, beside them
  return files;
}

// --threads: 0 (every core) up to the most threads a run may start (config::max_loader_workers):
// each one reserves a stack, and past what the cores run more only cost memory.
unsigned encoding_threads(unsigned threads) {
  const int64_t most = config::max_loader_workers({true, std::max(1u, std::thread::hardware_concurrency())});
  if (threads <= most) return threads;
  const config::Origin argument{config::Origin::Kind::kCommandLine, "--threads " + std::to_string(threads), 0, 0};
  throw config::ConfigErrors({config::ConfigError{argument, "", "too many threads", "",
                                                  "0 (every core) to " + std::to_string(most) + " on this machine"}});
}

tokenize::EncodeOptions encode_options(const TokenizeRequest& request) {
  tokenize::EncodeOptions options;
  options.add_special_tokens = !request.no_special_tokens;
  if (const auto max_length = parse_max_length(request.max_length)) options.max_length = *max_length;
  options.truncation = tokenize::parse_truncation(request.truncation);
  return options;
}

}  // namespace

int run_tokenize(const TokenizeRequest& request) {
  const tokenize::EncodeOptions options = encode_options(request);
  const unsigned threads = encoding_threads(request.threads);
  if (!request.output_path.empty()) {
    std::vector<config::InputFile> inputs = tokenizer_files(request.tokenizer_dir);
    inputs.push_back({"--input", request.input_path});
    check_output_argument(request.output_path, inputs);
  }
  const tokenize::Tokenizer tokenizer = tokenize::load(request.tokenizer_dir);
  const Tsv tsv = read_tsv(request.input_path);
  const std::vector<std::string>* header = (!request.no_header && !tsv.rows.empty()) ? &tsv.rows[0] : nullptr;
  const size_t first_row = header ? 1 : 0;
  const std::vector<std::string> texts =
      column_texts(tsv, first_row, resolve_column(request.column, header, request.input_path), request.input_path);
  std::vector<std::string> pairs;
  if (!request.pair_column.empty()) {
    pairs = column_texts(tsv, first_row, resolve_column(request.pair_column, header, request.input_path),
                         request.input_path);
  }
  std::vector<tokenize::Encoding> encodings;
  try {
    encodings = tokenizer.encode_batch(texts, request.pair_column.empty() ? nullptr : &pairs, options, threads);
  } catch (const tokenize::TokenizeError& e) {
    if (!e.index()) throw;
    // Point at the row: "train.tsv:12: truncation: ..."
    throw data::DataError(request.input_path, tsv.line_numbers[first_row + *e.index()], e.unindexed());
  }

  std::string lines;
  for (const auto& e : encodings) lines += json_line(e, request.with_offsets, request.decode ? &tokenizer : nullptr);
  if (!request.output_path.empty()) {
    checkpoint::write_file_atomically(request.output_path, lines);  // whole or not at all; a file there stays until then
    return 0;
  }
  std::cout << lines << std::flush;
  if (!std::cout) throw std::runtime_error("writing the token ids to stdout failed");
  return 0;
}

}  // namespace hft::app
