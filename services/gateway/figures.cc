#include "services/gateway/figures.h"

#include "google/protobuf/util/message_differencer.h"

namespace parley::gateway {

Counted CountOnce(const std::string& span_text, const DateSpan& window) {
  auto span = StoredSpan(span_text);
  if (!span.has_value()) return Counted::kNot;
  return CountIn(*span, common::v1::OCCURRENCE_ONCE, window);
}

Counted CountIncident(const incidents::v1::Incident& incident,
                      const DateSpan& window) {
  auto span = StoredSpan(incident.occurred());
  if (!span.has_value()) return Counted::kNot;
  return CountIn(*span, incident.occurrence(), window);
}

void Behind::Add(const std::string& name, Counted how) {
  switch (how) {
    case Counted::kWhole:
      whole.push_back(name);
      return;
    case Counted::kMaybe:
      maybe.push_back(name);
      return;
    case Counted::kOngoing:
      ongoing.push_back(name);
      return;
    case Counted::kNot:
      return;
  }
}

void FigureParts::Add(
    const std::string& name, Counted how, const Estimate& figure,
    const google::protobuf::RepeatedPtrField<common::v1::Source>&
        record_sources,
    bool per_period) {
  if (how == Counted::kNot) return;
  sum.Add(figure, how, per_period);
  behind.Add(name, how);
  sources.insert(sources.end(), record_sources.begin(), record_sources.end());
}

void SetCounted(const Estimate& value, int64_t whole, int64_t maybe,
                int64_t ongoing, reports::v1::Figure* figure) {
  *figure->mutable_value() = value;
  figure->set_record_count(whole);
  figure->set_partly_in_count(maybe);
  figure->set_ongoing_count(ongoing);
  figure->set_note(WindowNote(whole + maybe + ongoing, maybe, ongoing));
}

void SetCount(int64_t whole, int64_t maybe, int64_t ongoing,
              reports::v1::Figure* figure) {
  SetCounted(CountEstimate(whole + ongoing, maybe), whole, maybe, ongoing,
             figure);
}

void SetBehind(const Behind& behind, reports::v1::Figure* figure) {
  for (const auto& name : behind.whole) figure->add_records(name);
  for (const auto& name : behind.maybe) figure->add_partly_in(name);
  for (const auto& name : behind.ongoing) figure->add_ongoing(name);
}

void AddSource(const common::v1::Source& source,
               google::protobuf::RepeatedPtrField<common::v1::Source>* out) {
  for (const auto& s : *out) {
    if (google::protobuf::util::MessageDifferencer::Equals(s, source)) return;
  }
  *out->Add() = source;
}

}  // namespace parley::gateway
