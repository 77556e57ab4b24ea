#include "services/incidents/validation.h"

#include "common/api/validation.h"
#include "common/model/subdivisions.h"

namespace parley::incidents {

using v1::Incident;

namespace {

// Every Estimate field set in `message` (casualties, an effect): checked and
// completed. Unset ones stay unset: no figure is not zero.
void CheckEstimates(google::protobuf::Message* message, const std::string& at,
                    FieldViolations* v) {
  const auto* descriptor = message->GetDescriptor();
  const auto* reflection = message->GetReflection();
  for (int f = 0; f < descriptor->field_count(); ++f) {
    const auto* field = descriptor->field(f);
    if (field->message_type() != Estimate::descriptor() ||
        !reflection->HasField(*message, field)) {
      continue;
    }
    auto* estimate =
        static_cast<Estimate*>(reflection->MutableMessage(message, field));
    CheckEstimate(*estimate, true, Path(at, field->name()), false, v);
    NormalizeEstimate(estimate);
  }
}

}  // namespace

void ValidateIncident(Incident* i, const std::string& field,
                      FieldViolations* v) {
  CheckText(i->title(), Path(field, "title"), false, v);
  CheckEnum(i->kind(), Path(field, "kind"), true, v);
  CheckEnum(i->target(), Path(field, "target"), true, v);
  i->clear_occurred_span();
  CheckDateSpan(i->occurred(), Path(field, "occurred"), true, v,
                i->mutable_occurred_span());
  CheckEnum(i->occurrence(), Path(field, "occurrence"), false, v);
  CheckPlace(i->place(), i->has_place(), Path(field, "place"), true, v);
  // Output only: the region as ISO 3166-2, so every spelling is one region.
  if (i->has_place()) {
    i->mutable_place()->set_admin1_code(
        i->place().admin1().empty()
            ? ""
            : SubdivisionCode(i->place().country(), i->place().admin1()));
  }
  if (i->has_provenance()) {
    const std::string at = Path(field, "provenance");
    CheckText(i->provenance().dataset(), Path(at, "dataset"), true, v);
    CheckText(i->provenance().version(), Path(at, "version"), false, v);
    CheckText(i->provenance().upstream_id(), Path(at, "upstream_id"), false, v);
  }
  if (i->has_attribution()) {
    const std::string at = Path(field, "attribution");
    CheckParty(i->attribution().party(), Path(at, "party"), v);
    CheckEnum(i->attribution().reliability(), Path(at, "reliability"), true, v);
  }
  if (i->has_casualties()) {
    CheckEstimates(i->mutable_casualties(), Path(field, "casualties"), v);
  }
  CheckRepeatedSize(i->effects_size(), Path(field, "effects"), v);
  for (int e = 0; e < i->effects_size() && e < kMaxRepeated; ++e) {
    auto* effect = i->mutable_effects(e);
    const std::string at = Path(field, "effects", e);
    CheckEnum(effect->kind(), Path(at, "kind"), true, v);
    CheckEstimates(effect, at, v);
    if (effect->has_duration_hours() && effect->duration_hours() < 0) {
      v->Add(Path(at, "duration_hours"), "must be >= 0");
    }
    CheckPlace(effect->place(), effect->has_place(), Path(at, "place"), false,
               v);
    CheckText(effect->note(), Path(at, "note"), false, v);
  }
  CheckSources(i->sources(), Path(field, "sources"), v);
  CheckText(i->description(), Path(field, "description"), false, v);
}

}  // namespace parley::incidents
