// The files report.html is made of, built into the binary (report_assets.cpp is generated from
// lib/hft/report/assets/ and Debian's Chart.js by embed_assets.cmake), so a report needs nothing
// beside hft, and the page nothing beside itself.
#pragma once

#include <string_view>

namespace hft::report {

extern const std::string_view kTemplate;  // assets/report_template.html, with the placeholders report_page.cpp fills
extern const std::string_view kStyle;     // assets/report.css
extern const std::string_view kScript;    // assets/report.js: draws the charts and tables from the data
extern const std::string_view kChartJs;   // Chart.js's UMD build (chart.min.js, MIT)

}  // namespace hft::report
