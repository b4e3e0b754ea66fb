// Writing a gzip-compressed test file, as `gzip` writes one, with zlib.
#pragma once

#include <zlib.h>

#include <stdexcept>
#include <string>

namespace hft::testing {

// Writes `content` gzip-compressed to `path`; returns the path.
inline std::string write_gzip(const std::string& path, const std::string& content) {
  gzFile file = gzopen(path.c_str(), "wb9");
  if (!file) throw std::runtime_error("cannot write " + path);
  gzwrite(file, content.data(), static_cast<unsigned>(content.size()));
  gzclose(file);
  return path;
}

}  // namespace hft::testing
