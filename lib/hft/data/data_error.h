// A problem in a user's data file, pointing at the file and line.
#pragma once

#include <stdexcept>
#include <string>

namespace hft::data {

class DataError : public std::runtime_error {
 public:
  DataError(std::string file, int64_t line, const std::string& message)
      : std::runtime_error(file + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message),
        file_(std::move(file)), line_(line) {}
  const std::string& file() const { return file_; }
  int64_t line() const { return line_; }

 private:
  std::string file_;
  int64_t line_;
};

}  // namespace hft::data
