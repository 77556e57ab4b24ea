// Report figures by the window rule (common/model/window.h): what a figure
// says (its value), how many records stand behind it and how each counts,
// which ones where they are listed, and the note that says what is behind
// an upper bound or that none was recorded.
#ifndef PARLEY_SERVICES_GATEWAY_FIGURES_H_
#define PARLEY_SERVICES_GATEWAY_FIGURES_H_

#include <string>
#include <vector>

#include "common/model/date_span.h"
#include "common/model/estimate.h"
#include "common/model/window.h"
#include "common/model/window_sum.h"
#include "google/protobuf/repeated_field.h"
#include "parley/common/v1/source.pb.h"
#include "parley/incidents/v1/incident.pb.h"
#include "parley/reports/v1/reports_service.pb.h"

namespace parley::gateway {

// How a record that happened once, dated `span_text` (as stored), counts in
// `window`; kNot if the date is unreadable.
Counted CountOnce(const std::string& span_text, const DateSpan& window);
// How an incident counts in `window`: once or ongoing, as it says.
Counted CountIncident(const incidents::v1::Incident& incident,
                      const DateSpan& window);

// The records behind one figure, by name, as they count in its window.
struct Behind {
  std::vector<std::string> whole;
  std::vector<std::string> maybe;
  std::vector<std::string> ongoing;

  void Add(const std::string& name, Counted how);
};

// One figure read from the records themselves: their sum (or count), their
// names and their sources.
struct FigureParts {
  WindowSum sum;
  Behind behind;
  std::vector<common::v1::Source> sources;

  // Adds a record's figure (per_period: a level) as it counts, with its name
  // and sources. A record that does not count is left out.
  void Add(const std::string& name, Counted how, const Estimate& figure,
           const google::protobuf::RepeatedPtrField<common::v1::Source>&
               record_sources,
           bool per_period = false);
};

// Sets the figure's value and record counts. A count figure ("exchanges:
// prisoner exchange") counts records: those surely in the window (whole or
// ongoing) up to those that may be. Otherwise `value` is the rule's total.
void SetCounted(const Estimate& value, int64_t whole, int64_t maybe,
                int64_t ongoing, reports::v1::Figure* figure);
void SetCount(int64_t whole, int64_t maybe, int64_t ongoing,
              reports::v1::Figure* figure);

// Lists the records behind the figure by how they count.
void SetBehind(const Behind& behind, reports::v1::Figure* figure);

// Adds `source` unless an equal one is there.
void AddSource(const common::v1::Source& source,
               google::protobuf::RepeatedPtrField<common::v1::Source>* out);

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_FIGURES_H_
