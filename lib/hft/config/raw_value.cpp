#include "hft/config/raw_value.h"

namespace hft::config {

bool RawValue::is_null() const {
  if (kind == Kind::kNull) return true;
  if (kind != Kind::kScalar || quoted) return false;
  return scalar.empty() || scalar == "null" || scalar == "Null" || scalar == "NULL" ||
         scalar == "~" || scalar == "None";
}

std::string RawValue::display() const {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kScalar:
      return quoted ? "\"" + scalar + "\"" : scalar;
    case Kind::kSequence: {
      std::string out = "[";
      for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i].display();
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < entries.size(); ++i)
        out += (i ? ", " : "") + entries[i].first + ": " + entries[i].second.display();
      return out + "}";
    }
  }
  return "";
}

}  // namespace hft::config
