#include "hft/task/multiple_choice/choice_examples.h"

#include <charconv>

#include "hft/data/read_table.h"  // read_table

namespace hft::task {
namespace {

int64_t choice_index(const data::Table& table, const data::Column& column, int64_t row, int64_t choices) {
  const std::string& cell = column.cells[row];
  int64_t value = -1;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (column.missing[row] || error != std::errc() || end != cell.data() + cell.size() || value < 0 || value >= choices)
    data::throw_row_error(table, row, column.name + " is `" + cell + "`; expected the index of the right ending, 0 to " +
                                          std::to_string(choices - 1));
  return value;
}

bool filled(const data::Column& column, int64_t row) { return !column.missing[row] && !column.cells[row].empty(); }

// Every row has all its endings: a row with fewer has another number of choices than the others.
void check_endings(const data::Table& table, const std::vector<const data::Column*>& endings, int64_t row) {
  int64_t found = 0;
  for (const data::Column* ending : endings) found += filled(*ending, row) ? 1 : 0;
  if (found == static_cast<int64_t>(endings.size())) return;
  std::string missing;
  for (const data::Column* ending : endings)
    if (!filled(*ending, row)) missing += (missing.empty() ? "" : ", ") + ending->name;
  data::throw_row_error(table, row, "this row has " + std::to_string(found) + " endings (" + missing +
                                        " empty or missing); expected " + std::to_string(endings.size()) +
                                        " (ending_column_names), the same number in every row");
}

}  // namespace

void ChoiceExamples::keep_first(int64_t n) {
  if (n >= size()) return;
  contexts.resize(n);
  second.resize(n * choices);
  lines.resize(n);
  if (!labels.empty()) labels.resize(n);
}

ChoiceExamples read_choice_examples(const std::string& path, const ChoiceColumns& columns, bool labels_required) {
  const data::Table table = data::read_table(path);
  ChoiceExamples out;
  out.file = path;
  out.choices = static_cast<int64_t>(columns.endings.size());
  const data::Column& context = table.at(columns.context);
  const data::Column* question = columns.question.empty() ? nullptr : &table.at(columns.question);
  std::vector<const data::Column*> endings;
  for (const auto& name : columns.endings) endings.push_back(&table.at(name));
  const data::Column* label = labels_required || table.find(columns.label) ? &table.at(columns.label) : nullptr;
  for (int64_t row = 0; row < table.num_rows(); ++row) {
    if (!filled(context, row)) data::throw_row_error(table, row, context.name + " is empty; expected the context");
    check_endings(table, endings, row);
    out.contexts.push_back(context.cells[row]);
    out.lines.push_back(table.lines[row]);
    const std::string stem = question && !question->missing[row] ? question->cells[row] + " " : "";  // f"{header} {ending}"
    for (const data::Column* ending : endings) out.second.push_back(stem + ending->cells[row]);
    if (label) out.labels.push_back(choice_index(table, *label, row, out.choices));
  }
  return out;
}

}  // namespace hft::task
