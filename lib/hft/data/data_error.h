// A problem in a user's data file, pointing at the file and line (and column where known).
#pragma once

#include <cstdint>
#include <string>

#include "hft/error.h"  // BadInput

namespace hft::data {

class DataError : public BadInput {
 public:
  // "file:line: message"; line 0 when the problem is the whole file.
  DataError(std::string file, int64_t line, const std::string& message)
      : DataError(std::move(file), line, 0, message) {}
  // "file:line:column: message"; column 0 leaves the column out.
  DataError(std::string file, int64_t line, int64_t column, const std::string& message)
      : BadInput(where(file, line, column) + message), file_(std::move(file)), line_(line),
        column_(column) {}
  const std::string& file() const { return file_; }
  int64_t line() const { return line_; }
  int64_t column() const { return column_; }

 private:
  static std::string where(const std::string& file, int64_t line, int64_t column) {
    std::string at = file;
    if (line > 0) at.append(":").append(std::to_string(line));
    if (line > 0 && column > 0) at.append(":").append(std::to_string(column));
    return at.append(": ");
  }
  std::string file_;
  int64_t line_;
  int64_t column_;
};

}  // namespace hft::data
