// Which columns hold the text, chosen as the text-classification example (run_glue.py) does:
// the GLUE task's columns when a task is named, the columns the recipe names, else
// sentence1/sentence2 when both exist, else the first one or two columns that are not the label.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hft/data/table.h"  // Table

namespace hft::data {

struct ColumnOptions {
  std::optional<std::string> task_name;         // cola, sst2, stsb, mrpc, qqp, mnli, qnli, rte, wnli
  std::vector<std::string> text_column_names;   // one or two names; empty: chosen from the file
  std::string label_column_name = "label";
};

struct TextColumns {
  std::string first;
  std::optional<std::string> second;  // set for sentence-pair tasks
};

// Chooses from `table` (the training file, whose choice then applies to every split). Throws
// DataError when a named column is missing (listing those that exist) or no text column is left.
TextColumns choose_text_columns(const Table& table, const ColumnOptions& options);

// The text columns of a GLUE task (run_glue.py's task_to_keys); nullopt for an unknown task.
std::optional<TextColumns> glue_task_columns(const std::string& task_name);

}  // namespace hft::data
