#include "common/base/log.h"

#include <cstdio>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace parley {
namespace {

absl::Mutex log_mu(absl::kConstInit);
std::string* log_service ABSL_GUARDED_BY(log_mu) = nullptr;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void SetLogService(std::string service) {
  absl::MutexLock lock(&log_mu);
  delete log_service;
  log_service = new std::string(std::move(service));
}

void Log(LogLevel level, absl::string_view message,
         const nlohmann::json& fields) {
  nlohmann::json line = {
      {"time",
       absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone())},
      {"level", LevelName(level)},
      {"msg", std::string(message)}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      line[it.key()] = it.value();
    }
  }
  {
    absl::ReaderMutexLock lock(&log_mu);
    if (log_service != nullptr) line["service"] = *log_service;
  }
  // Replace invalid UTF-8 rather than throw on a caller's bad bytes.
  std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  // Only the write is serialised (one line at a time, whole); the line was
  // built outside, so that callers on many threads do not queue behind it.
  absl::MutexLock lock(&log_mu);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace parley
