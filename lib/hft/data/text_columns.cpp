#include "hft/data/text_columns.h"

#include <map>

#include "hft/data/data_error.h"  // DataError

namespace hft::data {

std::optional<TextColumns> glue_task_columns(const std::string& task_name) {
  static const std::map<std::string, TextColumns> kTasks = {
      {"cola", {"sentence", std::nullopt}},      {"sst2", {"sentence", std::nullopt}},
      {"mrpc", {"sentence1", "sentence2"}},      {"stsb", {"sentence1", "sentence2"}},
      {"qqp", {"question1", "question2"}},       {"mnli", {"premise", "hypothesis"}},
      {"qnli", {"question", "sentence"}},        {"rte", {"sentence1", "sentence2"}},
      {"wnli", {"sentence1", "sentence2"}}};
  auto it = kTasks.find(task_name);
  if (it == kTasks.end()) return std::nullopt;
  return it->second;
}

namespace {

TextColumns from_names(const Table& table, const std::vector<std::string>& names) {
  if (names.size() > 2)
    throw DataError(table.file, 0, "text_column_names holds " + std::to_string(names.size()) +
                                       " names; give one, or two for sentence pairs");
  for (const std::string& name : names) table.at(name);  // throws listing the columns there are
  return names.size() == 1 ? TextColumns{names[0], std::nullopt} : TextColumns{names[0], names[1]};
}

TextColumns guessed(const Table& table, const std::string& label_column) {
  std::vector<std::string> candidates;
  for (const Column& column : table.columns)
    if (column.name != label_column) candidates.push_back(column.name);
  const auto has = [&](const char* name) { return table.find(name).has_value(); };
  if (has("sentence1") && has("sentence2") && label_column != "sentence1" && label_column != "sentence2")
    return {"sentence1", "sentence2"};
  if (candidates.empty())
    throw DataError(table.file, 0, "no text column besides the label column '" + label_column + "'");
  if (candidates.size() == 1) return {candidates[0], std::nullopt};
  return {candidates[0], candidates[1]};
}

}  // namespace

TextColumns choose_text_columns(const Table& table, const ColumnOptions& options) {
  if (options.task_name) {
    auto task = glue_task_columns(*options.task_name);
    if (!task) throw DataError(table.file, 0, "unknown task_name '" + *options.task_name + "'");
    std::vector<std::string> names = {task->first};
    if (task->second) names.push_back(*task->second);
    return from_names(table, names);
  }
  if (!options.text_column_names.empty()) return from_names(table, options.text_column_names);
  return guessed(table, options.label_column_name);
}

}  // namespace hft::data
