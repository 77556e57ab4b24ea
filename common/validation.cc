#include "common/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/country_codes.h"
#include "google/protobuf/stubs/common.h"

namespace parley {

using ::parley::common::v1::Party;
using ::parley::common::v1::Place;
using ::parley::common::v1::Source;

std::string Path(absl::string_view parent, absl::string_view field) {
  if (parent.empty()) return std::string(field);
  return absl::StrCat(parent, ".", field);
}

std::string Path(absl::string_view parent, absl::string_view field, int index) {
  return absl::StrCat(Path(parent, field), "[", index, "]");
}

std::optional<DateSpan> CheckDateSpan(
    const std::string& text, const std::string& field, bool required,
    FieldViolations* v, ::parley::common::v1::DateSpan* resolved) {
  if (text.empty()) {
    if (required) {
      v->Add(field,
             "required: a date span such as \"2026-01-27\", \"2026-W05\", "
             "\"2025-11\", \"2025\" or \"2026-01-20/2026-01-24\"");
    }
    return std::nullopt;
  }
  auto span = DateSpan::Parse(text);
  if (!span.ok()) {
    v->Add(field, std::string(span.status().message()));
    return std::nullopt;
  }
  if (resolved != nullptr) *resolved = span->ToProto();
  return *std::move(span);
}

void CheckText(const std::string& text, const std::string& field, bool required,
               FieldViolations* v) {
  if (text.empty()) {
    if (required) v->Add(field, "required");
    return;
  }
  if (text.size() > kMaxTextLength) {
    v->Add(field, absl::StrCat("longer than ", kMaxTextLength, " bytes"));
  } else if (!google::protobuf::internal::IsStructurallyValidUTF8(
                 text.data(), static_cast<int>(text.size()))) {
    v->Add(field, "not valid UTF-8");
  }
}

void CheckEnum(int value, const google::protobuf::EnumDescriptor* descriptor,
               const std::string& field, bool required, FieldViolations* v) {
  if (value == 0) {
    if (required) {
      std::string names;
      for (int i = 1; i < descriptor->value_count(); ++i) {
        absl::StrAppend(&names, i > 1 ? ", " : "",
                        descriptor->value(i)->name());
      }
      v->Add(field, absl::StrCat("required: one of ", names));
    }
    return;
  }
  if (descriptor->FindValueByNumber(value) == nullptr) {
    v->Add(field,
           absl::StrCat("unknown ", descriptor->name(), " value ", value));
  }
}

void CheckCountry(const std::string& code, const std::string& field,
                  bool required, FieldViolations* v) {
  if (code.empty()) {
    if (required)
      v->Add(field, "required: an ISO 3166-1 alpha-2 code (\"UA\")");
    return;
  }
  if (!IsCountryCode(code)) {
    v->Add(field, absl::StrCat("\"", code.substr(0, 16),
                               "\" is not an ISO 3166-1 alpha-2 country code"));
  }
}

void CheckParty(const Party& party, const std::string& field,
                FieldViolations* v) {
  if (party.country().empty() && party.organization().empty() &&
      party.person().empty()) {
    v->Add(field, "required: a country, organization or person");
    return;
  }
  CheckCountry(party.country(), Path(field, "country"), false, v);
  CheckText(party.organization(), Path(field, "organization"), false, v);
  CheckText(party.person(), Path(field, "person"), false, v);
  CheckText(party.role(), Path(field, "role"), false, v);
}

void CheckParties(const google::protobuf::RepeatedPtrField<Party>& parties,
                  const std::string& field, size_t min_count,
                  FieldViolations* v) {
  if (static_cast<size_t>(parties.size()) < min_count) {
    v->Add(field, absl::StrCat("at least ", min_count, " required"));
  }
  CheckRepeatedSize(parties.size(), field, v);
  for (int i = 0; i < parties.size() && i < kMaxRepeated; ++i) {
    CheckParty(parties[i], Path("", field, i), v);
  }
}

void CheckPlace(const Place& place, bool present, const std::string& field,
                bool required, FieldViolations* v) {
  if (!present) {
    if (required) v->Add(field, "required");
    return;
  }
  CheckCountry(place.country(), Path(field, "country"), true, v);
  CheckText(place.admin1(), Path(field, "admin1"), false, v);
  CheckText(place.admin2(), Path(field, "admin2"), false, v);
  CheckText(place.settlement(), Path(field, "settlement"), false, v);
  if (place.has_coordinates()) {
    const auto& c = place.coordinates();
    if (!(c.latitude() >= -90 && c.latitude() <= 90)) {
      v->Add(Path(field, "coordinates.latitude"), "must be within -90..90");
    }
    if (!(c.longitude() >= -180 && c.longitude() <= 180)) {
      v->Add(Path(field, "coordinates.longitude"), "must be within -180..180");
    }
  }
  CheckEnum(place.precision(), Path(field, "precision"), false, v);
}

void CheckSources(const google::protobuf::RepeatedPtrField<Source>& sources,
                  const std::string& field, FieldViolations* v) {
  if (sources.empty()) {
    v->Add(field, "at least one source is required");
    return;
  }
  CheckRepeatedSize(sources.size(), field, v);
  for (int i = 0; i < sources.size() && i < kMaxRepeated; ++i) {
    const Source& s = sources[i];
    const std::string at = Path("", field, i);
    if (s.publisher().empty() && !s.has_attributed_to()) {
      v->Add(Path(at, "publisher"),
             "required: a publisher or an attributed_to");
    }
    CheckText(s.publisher(), Path(at, "publisher"), false, v);
    if (s.has_attributed_to())
      CheckParty(s.attributed_to(), Path(at, "attributed_to"), v);
    CheckText(s.channel(), Path(at, "channel"), false, v);
    CheckDateSpan(s.published(), Path(at, "published"), false, v);
    CheckText(s.excerpt(), Path(at, "excerpt"), false, v);
    CheckText(s.url(), Path(at, "url"), false, v);
    if (!s.url().empty() && !absl::StartsWith(s.url(), "https://") &&
        !absl::StartsWith(s.url(), "http://")) {
      v->Add(Path(at, "url"), "must be an http(s) URL");
    }
    CheckEnum(s.reliability(), Path(at, "reliability"), true, v);
  }
}

void CheckEstimate(const Estimate& estimate, bool present,
                   const std::string& field, bool required,
                   FieldViolations* v) {
  if (!present) {
    if (required) v->Add(field, "required");
    return;
  }
  ValidateEstimate(estimate, field, v);
  CheckRepeatedSize(estimate.claims_size(), Path(field, "claims"), v);
  for (int i = 0; i < estimate.claims_size() && i < kMaxRepeated; ++i) {
    const auto& claim = estimate.claims(i);
    if (claim.has_claimed_by()) {
      CheckParty(claim.claimed_by(),
                 Path(Path(field, "claims", i), "claimed_by"), v);
    }
    CheckText(claim.note(), Path(Path(field, "claims", i), "note"), false, v);
  }
}

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-') return false;
  for (char c : id) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> CheckName(const std::string& name,
                                     absl::string_view collection,
                                     const std::string& field, bool required,
                                     FieldViolations* v) {
  if (name.empty()) {
    if (required)
      v->Add(field, absl::StrCat("required: \"", collection, "/{id}\""));
    return std::nullopt;
  }
  const std::string prefix = absl::StrCat(collection, "/");
  if (!absl::StartsWith(name, prefix) ||
      !IsValidId(absl::string_view(name).substr(prefix.size()))) {
    v->Add(field,
           absl::StrCat("\"", name.substr(0, 80),
                        "\" is not a name of the form \"", collection,
                        "/{id}\" (id: lower-case letters, digits, '-')"));
    return std::nullopt;
  }
  return name.substr(prefix.size());
}

void CheckRepeatedSize(int size, const std::string& field, FieldViolations* v) {
  if (size > kMaxRepeated) {
    v->Add(field, absl::StrCat("more than ", kMaxRepeated, " entries"));
  }
}

void CheckRecordName(const std::string& name, const std::string& field,
                     FieldViolations* v) {
  // Every collection of the suite, in every service.
  static constexpr absl::string_view kCollections[] = {
      "agreements", "exchanges", "channels",   "channelStatuses",
      "rounds",     "positions", "statements", "incidents"};
  const size_t slash = name.find('/');
  if (slash != std::string::npos) {
    const absl::string_view collection =
        absl::string_view(name).substr(0, slash);
    for (absl::string_view known : kCollections) {
      if (collection == known) {
        CheckName(name, known, field, true, v);
        return;
      }
    }
  }
  v->Add(field, absl::StrCat("\"", name.substr(0, 80),
                             "\" is not a record name such as "
                             "\"channels/{id}\", \"agreements/{id}\", "
                             "\"rounds/{id}\" or \"incidents/{id}\""));
}

int CheckPageSize(int page_size, const std::string& field, FieldViolations* v) {
  if (page_size < 0) {
    v->Add(field, "must be >= 0");
    return kDefaultPageSize;
  }
  if (page_size == 0) return kDefaultPageSize;
  return std::min(page_size, kMaxPageSize);
}

}  // namespace parley
