// Structured logs: one JSON object per line on stdout, for log collectors.
#ifndef PARLEY_COMMON_BASE_LOG_H_
#define PARLEY_COMMON_BASE_LOG_H_

#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace parley {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// Names the process in every line ("exchanges").
void SetLogService(std::string service);

// {"time": RFC 3339, "level", "service", "msg", ...fields}.
void Log(LogLevel level, absl::string_view message,
         const nlohmann::json& fields = nlohmann::json::object());

}  // namespace parley

#endif  // PARLEY_COMMON_BASE_LOG_H_
