#include "hft/log/tensorboard_writer.h"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "hft/error.h"  // RunFailure

namespace hft::log {
namespace {

// Protocol buffer wire format: a field key is (number << 3 | wire type).
enum WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

void put_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void put_key(std::string& out, int field, WireType type) { put_varint(out, static_cast<uint64_t>(field) << 3 | type); }

template <class T> void put_fixed(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // little-endian on every machine hft builds for
  out.append(bytes, sizeof(T));
}

void put_bytes(std::string& out, int field, std::string_view bytes) {
  put_key(out, field, kLengthDelimited);
  put_varint(out, bytes.size());
  out.append(bytes);
}

std::string event(double wall_time, int64_t step) {
  std::string e;
  put_key(e, 1, kFixed64), put_fixed(e, wall_time);
  put_key(e, 2, kVarint), put_varint(e, static_cast<uint64_t>(step));
  return e;
}

double seconds_since_epoch() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// TFRecord's masking, so that a CRC of data that holds CRCs stays well distributed.
uint32_t masked_crc(std::string_view bytes) {
  const uint32_t crc = crc32c(bytes);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

std::string host_name() {
  char name[256] = {};
  return ::gethostname(name, sizeof(name) - 1) == 0 ? name : "localhost";
}

}  // namespace

uint32_t crc32c(std::string_view bytes) {
  // Bitwise, reflected polynomial 0x82F63B78: event files are small, so no table is needed.
  uint32_t crc = 0xffffffffu;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

TensorBoardWriter::TensorBoardWriter(const std::string& folder) {
  std::filesystem::create_directories(folder);
  const auto now = static_cast<int64_t>(seconds_since_epoch());
  path_ = (std::filesystem::path(folder) / ("events.out.tfevents." + std::to_string(now) + "." + host_name() + "." +
                                            std::to_string(::getpid()) + ".0")).string();
  out_.open(path_, std::ios::binary);
  if (!out_) throw RunFailure("cannot create the TensorBoard event file " + path_ + " (logging_dir)");
  std::string first = event(seconds_since_epoch(), 0);
  put_bytes(first, 3, "brain.Event:2");
  write_record(first);
}

void TensorBoardWriter::add_scalar(std::string_view tag, double value, int64_t step) {
  std::string value_message;
  put_bytes(value_message, 1, tag);
  put_key(value_message, 2, kFixed32), put_fixed(value_message, static_cast<float>(value));
  std::string summary;
  put_bytes(summary, 1, value_message);
  std::string e = event(seconds_since_epoch(), step);
  put_bytes(e, 5, summary);
  write_record(e);
}

void TensorBoardWriter::write_record(const std::string& payload) {
  std::string length;
  put_fixed(length, static_cast<uint64_t>(payload.size()));
  out_.write(length.data(), static_cast<std::streamsize>(length.size()));
  const uint32_t length_crc = masked_crc(length), payload_crc = masked_crc(payload);
  out_.write(reinterpret_cast<const char*>(&length_crc), sizeof(length_crc));
  out_.write(payload.data(), static_cast<std::streamsize>(payload.size()));
  out_.write(reinterpret_cast<const char*>(&payload_crc), sizeof(payload_crc));
}

}  // namespace hft::log
