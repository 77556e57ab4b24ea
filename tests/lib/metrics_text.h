// Reading the Prometheus text format back in tests: the value of one sample,
// found by its name and exact label set.
#ifndef PARLEY_TESTS_LIB_METRICS_TEXT_H_
#define PARLEY_TESTS_LIB_METRICS_TEXT_H_

#include <map>
#include <optional>
#include <sstream>
#include <string>

namespace parley::testing {

using MetricLabels = std::map<std::string, std::string>;

// The value of the sample `name{labels}` in `text` (labels in any order, all
// of them given), or nullopt if there is no such line.
inline std::optional<double> SampleValue(const std::string& text,
                                         const std::string& name,
                                         const MetricLabels& labels = {}) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    const std::string series = line.substr(0, space);
    const size_t brace = series.find('{');
    if (series.substr(0, brace) != name) continue;
    MetricLabels found;
    if (brace != std::string::npos) {
      // name{a="x",b="y"}: our label values hold no quotes or commas.
      std::string inside = series.substr(brace + 1, series.size() - brace - 2);
      std::istringstream pairs(inside);
      std::string pair;
      while (std::getline(pairs, pair, ',')) {
        const size_t eq = pair.find('=');
        if (eq == std::string::npos || pair.size() < eq + 3) continue;
        found[pair.substr(0, eq)] = pair.substr(eq + 2, pair.size() - eq - 3);
      }
    }
    if (found == labels) return std::stod(line.substr(space + 1));
  }
  return std::nullopt;
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_METRICS_TEXT_H_
