#include "tools/parleyctl/chart_render.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

ABSL_FLAG(std::string, chart_renderer, "",
          "chart: a command that reads a Vega-Lite specification file (its "
          "last argument) and writes SVG; default $PARLEY_CHART_RENDERER, "
          "else node with tools/parleyctl/vega_render.js");

namespace parley::ctl::chart {
namespace {

std::string Quoted(const std::string& text) {
  return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "'\\''"}}), "'");
}

// A folder of its own for one rendering's files, removed with it.
class ScratchDir {
 public:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = absl::StrCat(tmp != nullptr && *tmp ? tmp : "/tmp",
                                       "/parleyctl-XXXXXX");
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;  // a leftover temp folder is no error
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  bool ok() const { return !path_.empty(); }
  std::string File(const std::string& name) const {
    return absl::StrCat(path_, "/", name);
  }

 private:
  std::string path_;
};

std::string ReadAll(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool WriteAll(const std::string& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// Runs `command` through the shell with its standard error to `err_file`;
// its standard output to `out_file`. The exit status, or -1.
int Run(const std::string& command, const std::string& out_file,
        const std::string& err_file) {
  const int status = std::system(
      absl::StrCat(command, " >", Quoted(out_file), " 2>", Quoted(err_file))
          .c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

std::string RendererCommand() {
  std::string command = absl::GetFlag(FLAGS_chart_renderer);
  if (command.empty()) {
    const char* env = std::getenv("PARLEY_CHART_RENDERER");
    if (env != nullptr) command = env;
  }
  if (command.empty()) {
    command = absl::StrCat("node ", Quoted(PARLEY_DEFAULT_VEGA_RENDER));
  }
  return command;
}

absl::StatusOr<std::string> RenderSvg(const nlohmann::json& spec,
                                      const std::string& renderer) {
  ScratchDir dir;
  if (!dir.ok()) return absl::InternalError("cannot make a temporary folder");
  const std::string spec_file = dir.File("chart.vl.json");
  if (!WriteAll(spec_file, spec.dump())) {
    return absl::InternalError("cannot write the specification");
  }
  const int rc = Run(absl::StrCat(renderer, " ", Quoted(spec_file)),
                     dir.File("chart.svg"), dir.File("err"));
  std::string svg = ReadAll(dir.File("chart.svg"));
  if (rc != 0 || svg.find("<svg") == std::string::npos) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the chart renderer (", renderer, ") failed",
        rc == 127 ? ": not found" : "", "; ",
        absl::StripAsciiWhitespace(ReadAll(dir.File("err"))),
        " (tests/lib/install-deps.sh installs node, vega and vega-lite; "
        "--format=vega-lite needs no renderer)"));
  }
  return svg;
}

absl::Status WritePng(const std::string& svg, const std::string& png_file,
                      double scale) {
  ScratchDir dir;
  if (!dir.ok()) return absl::InternalError("cannot make a temporary folder");
  const std::string svg_file = dir.File("chart.svg");
  if (!WriteAll(svg_file, svg)) {
    return absl::InternalError("cannot write the SVG");
  }
  const int rc = Run(absl::StrFormat("rsvg-convert --format=png --zoom=%g %s",
                                     scale, Quoted(svg_file)),
                     dir.File("chart.png"), dir.File("err"));
  if (rc != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("rsvg-convert failed", rc == 127 ? ": not found" : "",
                     "; ", absl::StripAsciiWhitespace(ReadAll(dir.File("err"))),
                     " (Debian's librsvg2-bin has it)"));
  }
  std::error_code error;
  std::filesystem::copy_file(dir.File("chart.png"), png_file,
                             std::filesystem::copy_options::overwrite_existing,
                             error);
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("cannot write ", png_file, ": ", error.message()));
  }
  return absl::OkStatus();
}

}  // namespace parley::ctl::chart
