// Turning a chart's Vega-Lite specification into a picture: SVG through the
// Vega renderer (tools/parleyctl/vega_render.js, or any command given by
// --chart_renderer that reads a specification file and writes SVG), PNG
// from that SVG through rsvg-convert.
#ifndef PARLEY_TOOLS_PARLEYCTL_CHART_RENDER_H_
#define PARLEY_TOOLS_PARLEYCTL_CHART_RENDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace parley::ctl::chart {

// The renderer command: --chart_renderer, else $PARLEY_CHART_RENDERER, else
// node with this checkout's vega_render.js.
std::string RendererCommand();

// The SVG of `spec`. FAILED_PRECONDITION with the renderer's own words if it
// is missing or refuses the specification.
absl::StatusOr<std::string> RenderSvg(const nlohmann::json& spec,
                                      const std::string& renderer);

// Writes `svg` as a PNG at `scale` times its size (2: sharp on a screen or
// in print). FAILED_PRECONDITION if rsvg-convert is missing or fails.
absl::Status WritePng(const std::string& svg, const std::string& png_file,
                      double scale);

}  // namespace parley::ctl::chart

#endif  // PARLEY_TOOLS_PARLEYCTL_CHART_RENDER_H_
