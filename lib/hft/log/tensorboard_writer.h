// TensorBoard event files, written by hft: TFRecord framing (length, masked CRC-32C, payload,
// masked CRC-32C) around Event protocol buffers holding scalar summaries. TensorBoard's own
// reader (event_accumulator) reads them. Only the three messages needed are encoded:
//   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
//   Summary { repeated Value value = 1; }
//   Value   { string tag = 1; float simple_value = 2; }
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace hft::log {

class TensorBoardWriter {
 public:
  // Creates `folder` and events.out.tfevents.<seconds>.<host>.<pid>.0 in it. Throws
  // std::runtime_error naming the file when it cannot be created.
  explicit TensorBoardWriter(const std::string& folder);

  void add_scalar(std::string_view tag, double value, int64_t step);
  void flush() { out_.flush(); }
  const std::string& path() const { return path_; }

 private:
  void write_record(const std::string& payload);

  std::string path_;
  std::ofstream out_;
};

// The CRC-32C (Castagnoli) of `bytes`, as TFRecord framing uses it (exposed for tests).
uint32_t crc32c(std::string_view bytes);

}  // namespace hft::log
