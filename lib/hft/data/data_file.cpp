#include "hft/data/data_file.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "hft/data/data_error.h"  // DataError

namespace hft::data {
namespace {

namespace fs = std::filesystem;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string read_plain(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path, 0, std::string("cannot read: ") + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// gzip's magic number: zlib would pass other bytes through unchanged, which hides a misnamed file.
void require_gzip_magic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {0, 0};
  in.read(magic, 2);
  if (in.gcount() != 2 || static_cast<unsigned char>(magic[0]) != 0x1f || static_cast<unsigned char>(magic[1]) != 0x8b)
    throw DataError(path, 0, "not gzip-compressed, though its name ends in .gz; compress it with gzip or drop the .gz");
}

std::string read_gzip(const std::string& path) {
  require_gzip_magic(path);
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) throw DataError(path, 0, std::string("cannot read: ") + std::strerror(errno));
  constexpr unsigned kChunk = 1 << 18;
  gzbuffer(file.get(), kChunk);
  std::string text;
  std::unique_ptr<char[]> chunk(new char[kChunk]);
  int read = 0;
  while ((read = gzread(file.get(), chunk.get(), kChunk)) > 0) text.append(chunk.get(), static_cast<size_t>(read));
  int status = Z_OK;
  std::string message = gzerror(file.get(), &status);
  if (message.starts_with(path + ": ")) message.erase(0, path.size() + 2);  // zlib names the file too
  if (read < 0 || status != Z_OK)  // Z_BUF_ERROR: cut short; Z_DATA_ERROR: damaged
    throw DataError(path, 0, "damaged gzip data (" + message + "); check the file with `gzip -t`");
  return text;
}

}  // namespace

std::string data_format(const std::string& path) {
  fs::path name(path);
  if (is_gzip_name(path)) name = name.stem();
  return lowercase(name.extension().string());
}

bool is_gzip_name(const std::string& path) { return lowercase(fs::path(path).extension().string()) == ".gz"; }

std::string read_file_bytes(const std::string& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw DataError(path, 0, "no such file");
  return is_gzip_name(path) ? read_gzip(path) : read_plain(path);
}

}  // namespace hft::data
