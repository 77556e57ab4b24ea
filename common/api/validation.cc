#include "common/api/validation.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/model/country_codes.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/wire_format_lite.h"

namespace parley {

using ::parley::common::v1::Party;
using ::parley::common::v1::Place;
using ::parley::common::v1::Source;

namespace {

// `text` in quotes, cut to at most `max` bytes without splitting a UTF-8
// sequence: descriptions quote what the client sent, and they travel as
// proto3 strings, which a client cannot parse unless they are UTF-8.
std::string Quoted(absl::string_view text, size_t max) {
  if (text.size() > max) {
    size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    text = text.substr(0, end);
  }
  return absl::StrCat("\"", text, "\"");
}

}  // namespace

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
    v->Add(field, absl::StrCat(Quoted(code, 16),
                               " is not an ISO 3166-1 alpha-2 country code"));
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
           absl::StrCat(Quoted(name, 80), " is not a name of the form \"",
                        collection,
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
  v->Add(field, absl::StrCat(Quoted(name, 80),
                             " is not a record name such as "
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

void CheckTimestamp(const google::protobuf::Timestamp& time,
                    const std::string& field, FieldViolations* v) {
  // 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  if (time.seconds() < kMinSeconds || time.seconds() > kMaxSeconds ||
      time.nanos() < 0 || time.nanos() > 999999999) {
    v->Add(field,
           absl::StrCat("not a valid timestamp (seconds ", time.seconds(),
                        ", nanos ", time.nanos(),
                        "): it must fall within 0001-01-01..9999-12-31 UTC, "
                        "nanos within 0..999999999"));
  }
}

void CheckFieldMaskPaths(const google::protobuf::FieldMask& mask,
                         const std::string& field, FieldViolations* v) {
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (path.empty() || absl::StartsWith(path, ".") ||
        absl::EndsWith(path, ".") || absl::StrContains(path, "..")) {
      v->Add(Path(field, "paths", i),
             absl::StrCat(Quoted(path, 80),
                          " is not a field path such as \"description\" or "
                          "\"place.country\""));
    }
  }
}

// ---------------------------------------------------------------------------
// Request bytes.

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::UnknownField;
using google::protobuf::internal::WireFormatLite;

// Deeper than any request of ours; bounds the walk on hostile bytes.
constexpr int kMaxNesting = 64;

const char* WireTypeName(int wire_type) {
  switch (wire_type) {
    case WireFormatLite::WIRETYPE_VARINT:
      return "a varint";
    case WireFormatLite::WIRETYPE_FIXED64:
      return "a 64-bit fixed value";
    case WireFormatLite::WIRETYPE_LENGTH_DELIMITED:
      return "length-delimited bytes";
    case WireFormatLite::WIRETYPE_START_GROUP:
    case WireFormatLite::WIRETYPE_END_GROUP:
      return "a group";
    case WireFormatLite::WIRETYPE_FIXED32:
      return "a 32-bit fixed value";
    default:
      return "an invalid wire type";
  }
}

const char* UnknownTypeName(UnknownField::Type type) {
  switch (type) {
    case UnknownField::TYPE_VARINT:
      return WireTypeName(WireFormatLite::WIRETYPE_VARINT);
    case UnknownField::TYPE_FIXED32:
      return WireTypeName(WireFormatLite::WIRETYPE_FIXED32);
    case UnknownField::TYPE_FIXED64:
      return WireTypeName(WireFormatLite::WIRETYPE_FIXED64);
    case UnknownField::TYPE_LENGTH_DELIMITED:
      return WireTypeName(WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
    case UnknownField::TYPE_GROUP:
      return WireTypeName(WireFormatLite::WIRETYPE_START_GROUP);
  }
  return "an unknown wire type";
}

// "a string", "an int32", "a message (parley.common.v1.Estimate)".
std::string FieldTypeName(const FieldDescriptor& field) {
  if (field.message_type() != nullptr)
    return absl::StrCat("a message (", field.message_type()->full_name(), ")");
  if (field.enum_type() != nullptr)
    return absl::StrCat("an enum (", field.enum_type()->full_name(), ")");
  const absl::string_view name = field.type_name();
  const bool vowel = absl::StrContains("aeiou", name.substr(0, 1));
  return absl::StrCat(vowel ? "an " : "a ", name);
}

std::string WrongWireType(const char* sent, const FieldDescriptor& field) {
  return absl::StrCat("sent as ", sent, ", but it is ", FieldTypeName(field));
}

bool WireTypeFits(const FieldDescriptor& field, int wire_type) {
  const int own = WireFormatLite::WireTypeForFieldType(
      static_cast<WireFormatLite::FieldType>(field.type()));
  if (wire_type == own) return true;
  // Repeated numbers may come packed or not, whatever the field says.
  return field.is_packable() &&
         wire_type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
}

struct WireProblem {
  std::string field;  // request path; empty for the message as a whole
  std::string description;
};

// Walks a message's wire form as `type` describes it; false with the first
// problem. Fields `type` does not know are skipped, as protobuf does.
bool WalkMessage(const Descriptor& type, absl::string_view bytes,
                 const std::string& path, int depth, WireProblem* problem) {
  if (depth > kMaxNesting) {
    *problem = {path, "nested too deeply"};
    return false;
  }
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  // Occurrences of each repeated field so far: the index in the path.
  absl::flat_hash_map<int, int> seen;
  while (true) {
    const int offset = in.CurrentPosition();
    if (static_cast<size_t>(offset) == bytes.size()) return true;
    const uint32_t tag = in.ReadTag();
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    const int wire_type = WireFormatLite::GetTagWireType(tag);
    if (tag == 0 || number == 0 || wire_type > 5) {
      *problem = {path, absl::StrCat("a malformed field key at byte ", offset)};
      return false;
    }
    const FieldDescriptor* field = type.FindFieldByNumber(number);
    if (field == nullptr) {
      if (!WireFormatLite::SkipField(&in, tag)) {
        *problem = {path, absl::StrCat("field ", number, " at byte ", offset,
                                       " is cut off or malformed")};
        return false;
      }
      continue;
    }
    const std::string at = field->is_repeated()
                               ? Path(path, field->name(), seen[number]++)
                               : Path(path, field->name());
    if (!WireTypeFits(*field, wire_type)) {
      *problem = {at, WrongWireType(WireTypeName(wire_type), *field)};
      return false;
    }
    if (wire_type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&in, tag)) {
        *problem = {at, "cut off"};
        return false;
      }
      continue;
    }
    uint32_t length = 0;
    const size_t left =
        bytes.size() - static_cast<size_t>(in.CurrentPosition());
    if (!in.ReadVarint32(&length) || length > left) {
      *problem = {at, "cut off: its length runs past the end of the request"};
      return false;
    }
    const absl::string_view value = bytes.substr(in.CurrentPosition(), length);
    in.Skip(static_cast<int>(length));
    if (field->type() == FieldDescriptor::TYPE_STRING &&
        !google::protobuf::internal::IsStructurallyValidUTF8(
            value.data(), static_cast<int>(value.size()))) {
      *problem = {at, "not valid UTF-8"};
      return false;
    }
    if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
        !WalkMessage(*field->message_type(), value, at, depth + 1, problem)) {
      return false;
    }
  }
}

// Where a nested message sits, kept as a chain of frames: the path is
// spelled out only for a field found mistyped, not for every message
// walked (a batch holds thousands).
struct PathFrame {
  const PathFrame* parent = nullptr;
  const FieldDescriptor* field = nullptr;
  int index = -1;  // in a repeated field, else -1
};

std::string PathOf(const PathFrame* frame) {
  if (frame == nullptr || frame->field == nullptr) return "";
  const std::string parent = PathOf(frame->parent);
  return frame->index < 0 ? Path(parent, frame->field->name())
                          : Path(parent, frame->field->name(), frame->index);
}

// The message-typed fields of `type`, listed once per thread (a node map:
// a list stays put while the walk below adds others).
const std::vector<const FieldDescriptor*>& MessageFields(
    const Descriptor& type) {
  thread_local absl::node_hash_map<const Descriptor*,
                                   std::vector<const FieldDescriptor*>>
      fields;
  auto [it, first] = fields.try_emplace(&type);
  if (first) {
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor* field = type.field(i);
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        it->second.push_back(field);
      }
    }
    // In number order, as Reflection::ListFields gives them.
    std::sort(it->second.begin(), it->second.end(),
              [](const FieldDescriptor* a, const FieldDescriptor* b) {
                return a->number() < b->number();
              });
  }
  return it->second;
}

void FindMistypedFields(const google::protobuf::Message& message,
                        const PathFrame* at, int depth, FieldViolations* v) {
  const Descriptor& type = *message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  const auto& unknown = reflection->GetUnknownFields(message);
  for (int i = 0; i < unknown.field_count(); ++i) {
    const UnknownField& sent = unknown.field(i);
    // A number this build does not know is left alone (a newer client's).
    if (const FieldDescriptor* field = type.FindFieldByNumber(sent.number())) {
      v->Add(Path(PathOf(at), field->name()),
             WrongWireType(UnknownTypeName(sent.type()), *field));
    }
  }
  if (depth >= kMaxNesting) return;
  for (const FieldDescriptor* field : MessageFields(type)) {
    if (!field->is_repeated()) {
      if (!reflection->HasField(message, field)) continue;
      const PathFrame frame{at, field, -1};
      FindMistypedFields(reflection->GetMessage(message, field), &frame,
                         depth + 1, v);
      continue;
    }
    const int size = reflection->FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      const PathFrame frame{at, field, i};
      FindMistypedFields(reflection->GetRepeatedMessage(message, field, i),
                         &frame, depth + 1, v);
    }
  }
}

std::string NotValid(const Descriptor& type) {
  return absl::StrCat("the request is not a valid ", type.full_name());
}

}  // namespace

absl::Status DescribeMalformedRequest(const Descriptor& type,
                                      absl::string_view bytes) {
  WireProblem problem;
  if (WalkMessage(type, bytes, "", 0, &problem)) {
    return absl::InvalidArgumentError(
        absl::StrCat(NotValid(type), " (malformed protobuf bytes)"));
  }
  if (problem.field.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(NotValid(type), ": ", problem.description));
  }
  FieldViolations v;
  v.Add(problem.field, problem.description);
  return v.ToStatus(NotValid(type));
}

absl::Status CheckWireTypes(const google::protobuf::Message& request) {
  FieldViolations v;
  FindMistypedFields(request, nullptr, 0, &v);
  return v.ToStatus(NotValid(*request.GetDescriptor()));
}

}  // namespace parley
