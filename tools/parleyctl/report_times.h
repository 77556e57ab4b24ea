// The two times every report takes (--as_of, --known_at), for the report and
// chart commands alike.
#ifndef PARLEY_TOOLS_PARLEYCTL_REPORT_TIMES_H_
#define PARLEY_TOOLS_PARLEYCTL_REPORT_TIMES_H_

#include <cstdio>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "google/protobuf/util/time_util.h"

ABSL_DECLARE_FLAG(std::string, as_of);
ABSL_DECLARE_FLAG(std::string, known_at);

namespace parley::ctl {

// Sets the request's as_of and known_at from the flags; false (after saying
// why on stderr) if --known_at is not an RFC 3339 time.
template <typename Request>
bool SetReportTimes(const char* command, Request* request) {
  request->set_as_of(absl::GetFlag(FLAGS_as_of));
  const std::string known_at = absl::GetFlag(FLAGS_known_at);
  if (!known_at.empty() && !google::protobuf::util::TimeUtil::FromString(
                               known_at, request->mutable_known_at())) {
    std::fprintf(stderr, "%s: --known_at is an RFC 3339 time, not \"%s\"\n",
                 command, known_at.c_str());
    return false;
  }
  return true;
}

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_REPORT_TIMES_H_
