// report.html: the page template with Chart.js, the style, the drawing script and the runs' data
// inlined, so the file opens anywhere, offline, as one file.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hft::report {

// The page for `data` (report_data's document), titled after its runs.
std::string render_report(const nlohmann::json& data);

// Reads `folders` and writes their report to `output_path` atomically. Throws ReportError (a
// folder that is no run's) or std::runtime_error (the file cannot be written).
void write_report(const std::vector<std::string>& folders, const std::string& output_path);

}  // namespace hft::report
