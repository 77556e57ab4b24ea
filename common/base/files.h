// Reading the small files operators hand a service: tokens, credentials,
// certificates.
#ifndef PARLEY_COMMON_BASE_FILES_H_
#define PARLEY_COMMON_BASE_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parley {

// The whole file; FAILED_PRECONDITION naming `what` and the path if it
// cannot be read.
absl::StatusOr<std::string> ReadTextFile(const std::string& path,
                                         absl::string_view what);

// `path` normalized, without a trailing separator ("data/x/" is "data/x"),
// so that siblings and parents of a folder are computed right.
std::string FolderPath(const std::string& path);

}  // namespace parley

#endif  // PARLEY_COMMON_BASE_FILES_H_
