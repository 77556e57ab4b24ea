#include "common/base/files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace parley {

absl::StatusOr<std::string> ReadTextFile(const std::string& path,
                                         absl::string_view what) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the ", what, " ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string FolderPath(const std::string& path) {
  std::filesystem::path folder = std::filesystem::path(path).lexically_normal();
  if (!folder.has_filename() && folder.has_parent_path()) {
    folder = folder.parent_path();
  }
  return folder.string();
}

}  // namespace parley
