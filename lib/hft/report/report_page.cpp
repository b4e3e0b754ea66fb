#include "hft/report/report_page.h"

#include <stdexcept>
#include <string_view>
#include <vector>

#include "hft/checkpoint/atomic_file.h"  // write_file_atomically
#include "hft/report/report_assets.h"    // kTemplate, kStyle, kScript, kChartJs
#include "hft/report/report_data.h"      // report_data

namespace hft::report {
namespace {

std::string html_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// JSON inside <script type="application/json">: "</" would end the element, so it is written
// "<\/" (the same string to a JSON parser).
std::string script_safe_json(const nlohmann::json& data) {
  const std::string text = data.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') out += '\\';
  }
  return out;
}

struct Slot {
  std::string_view placeholder;
  std::string text;
};

// The template with each slot's placeholder replaced by its text, in one pass over the template
// (so no inserted text is searched for placeholders). Throws when a placeholder is missing: a
// template that lost one would give a page without its data or script.
std::string filled(std::string_view page, const std::vector<Slot>& slots) {
  std::string out;
  std::vector<bool> used(slots.size(), false);
  for (size_t pos = 0;;) {
    size_t next = std::string_view::npos, which = 0;
    for (size_t i = 0; i < slots.size(); ++i)
      if (const size_t at = page.find(slots[i].placeholder, pos); at < next) next = at, which = i;
    out += page.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    if (next == std::string_view::npos) break;
    out += slots[which].text;
    used[which] = true;
    pos = next + slots[which].placeholder.size();
  }
  for (size_t i = 0; i < slots.size(); ++i)
    if (!used[i]) throw std::logic_error("the report template lacks " + std::string(slots[i].placeholder));
  return out;
}

std::string title(const nlohmann::json& data) {
  std::string names;
  for (const auto& run : data.at("runs")) names += (names.empty() ? "" : ", ") + run.at("name").get<std::string>();
  return "hft report: " + names;
}

}  // namespace

std::string render_report(const nlohmann::json& data) {
  return filled(kTemplate, {{"@HFT_TITLE@", html_escaped(title(data))},
                            {"/*@HFT_STYLE@*/", std::string(kStyle)},
                            {"/*@HFT_CHART_JS@*/", std::string(kChartJs)},
                            {"/*@HFT_DATA@*/", script_safe_json(data)},
                            {"/*@HFT_SCRIPT@*/", std::string(kScript)}});
}

void write_report(const std::vector<std::string>& folders, const std::string& output_path) {
  checkpoint::write_file_atomically(output_path, render_report(report_data(folders)));
}

}  // namespace hft::report
