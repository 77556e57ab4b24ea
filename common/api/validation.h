// Field checks shared by every domain's request validation. Each records
// what is wrong at a request path and never stops at the first problem.
#ifndef PARLEY_COMMON_API_VALIDATION_H_
#define PARLEY_COMMON_API_VALIDATION_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/base/status.h"
#include "common/model/date_span.h"
#include "common/model/estimate.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "parley/common/v1/party.pb.h"
#include "parley/common/v1/place.pb.h"
#include "parley/common/v1/source.pb.h"

namespace parley {

// Longest free-text field we keep; longer is refused, not truncated.
inline constexpr size_t kMaxTextLength = 4096;
// Most entries in any repeated field of a record.
inline constexpr int kMaxRepeated = 256;

// Joins a request path: Path("exchange", "transfers", 0) ->
// "exchange.transfers[0]".
std::string Path(absl::string_view parent, absl::string_view field);
std::string Path(absl::string_view parent, absl::string_view field, int index);

// A DateSpan string. Empty is an error only if `required`. On success fills
// `resolved` (if given) and returns the span.
std::optional<DateSpan> CheckDateSpan(
    const std::string& text, const std::string& field, bool required,
    FieldViolations* v, ::parley::common::v1::DateSpan* resolved = nullptr);

// Free text up to kMaxTextLength bytes of valid UTF-8.
void CheckText(const std::string& text, const std::string& field, bool required,
               FieldViolations* v);

// An enum value: set (not the _UNSPECIFIED zero) and one the contract knows.
void CheckEnum(int value, const google::protobuf::EnumDescriptor* descriptor,
               const std::string& field, bool required, FieldViolations* v);
template <typename E>
void CheckEnum(E value, const std::string& field, bool required,
               FieldViolations* v) {
  CheckEnum(static_cast<int>(value), google::protobuf::GetEnumDescriptor<E>(),
            field, required, v);
}

// An ISO 3166-1 alpha-2 code ("UA"). Empty is an error only if `required`.
void CheckCountry(const std::string& code, const std::string& field,
                  bool required, FieldViolations* v);

void CheckParty(const ::parley::common::v1::Party& party,
                const std::string& field, FieldViolations* v);
void CheckParties(
    const google::protobuf::RepeatedPtrField<::parley::common::v1::Party>&
        parties,
    const std::string& field, size_t min_count, FieldViolations* v);

// A place; `required` means it must be present with at least a country.
void CheckPlace(const ::parley::common::v1::Place& place, bool present,
                const std::string& field, bool required, FieldViolations* v);

// At least one source, each with a publisher or an attribution, a
// reliability, and a well-formed published date and URL where given.
void CheckSources(const google::protobuf::RepeatedPtrField<
                      ::parley::common::v1::Source>& sources,
                  const std::string& field, FieldViolations* v);

// An estimate that must be present (with `present` from has_*()).
void CheckEstimate(const Estimate& estimate, bool present,
                   const std::string& field, bool required, FieldViolations* v);

// A repeated field with at most kMaxRepeated entries.
void CheckRepeatedSize(int size, const std::string& field, FieldViolations* v);

// A record of any service of the suite, by name: "channels/pow-ru-ua",
// "rounds/uae-2026-01", "incidents/kharkiv-train". Cross-domain links are
// names only; the service that holds the record is not asked.
void CheckRecordName(const std::string& name, const std::string& field,
                     FieldViolations* v);

// A record id: 1..63 of [a-z0-9-], starting with a letter or digit.
bool IsValidId(absl::string_view id);

// "collection/id" -> id, or a violation at `field`.
std::optional<std::string> CheckName(const std::string& name,
                                     absl::string_view collection,
                                     const std::string& field, bool required,
                                     FieldViolations* v);

// Page size: negative is an error; 0 means the default; above the maximum is
// lowered to it.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;
int CheckPageSize(int page_size, const std::string& field, FieldViolations* v);

// A timestamp a request gives (read_time): within 0001-01-01..9999-12-31
// UTC, nanos within 0..999,999,999, as google.protobuf.Timestamp says.
void CheckTimestamp(const google::protobuf::Timestamp& time,
                    const std::string& field, FieldViolations* v);

// An update mask's paths are well-formed ("description", "place.country"):
// none empty (protobuf would read "" as the whole record), no empty part.
// Whether each names a field is the collection's to say.
void CheckFieldMaskPaths(const google::protobuf::FieldMask& mask,
                         const std::string& field, FieldViolations* v);

// Request bytes that are not a `type` message: INVALID_ARGUMENT naming the
// type and, where it can be found, the first bad field as a BadRequest
// violation ("exchange.description: not valid UTF-8", "exchange_id: sent as
// a varint, but it is a string", "exchange.transfers[0]: cut off"). For a
// caller whose bytes did not parse: protobuf says only that they did not.
absl::Status DescribeMalformedRequest(const google::protobuf::Descriptor& type,
                                      absl::string_view bytes);

// A parsed request with a field sent under another wire type than its own:
// protobuf keeps such a field aside as unknown, so it would read as unset
// (an exchange_id sent as a number would get a generated id). INVALID_ARGUMENT
// naming each such field; OK if there is none.
absl::Status CheckWireTypes(const google::protobuf::Message& request);

}  // namespace parley

#endif  // PARLEY_COMMON_API_VALIDATION_H_
