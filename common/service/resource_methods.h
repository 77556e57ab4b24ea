// The standard methods (AIP-131..135) for one resource type over a
// Collection, so that a domain service writes only what differs: how a
// record is validated and which filters its List takes.
#ifndef PARLEY_COMMON_SERVICE_RESOURCE_METHODS_H_
#define PARLEY_COMMON_SERVICE_RESOURCE_METHODS_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/paging.h"
#include "common/api/validation.h"
#include "common/base/status.h"
#include "common/server/auth.h"
#include "common/store/collection.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"

namespace parley {

// The cursor a request's `page_token` resumes from (none if it is empty);
// INVALID_ARGUMENT naming page_token if it is not one of ours or belongs to
// a request with other filters (`fingerprint`: QueryFingerprint).
absl::StatusOr<std::optional<ListCursor>> CursorFromPageToken(
    const std::string& page_token, uint64_t fingerprint);

// The next_page_token for where a listing stopped ("" if it did not).
std::string PageTokenFor(const std::optional<ListCursor>& next,
                         uint64_t fingerprint);

// Longest request_id kept.
inline constexpr size_t kMaxRequestIdLength = 128;

template <typename Resource>
class ResourceMethods {
 public:
  // Checks a record at request path `field`, resolving its output-only
  // fields (date spans) and normalising estimates in place.
  using Validate = std::function<void(
      Resource* record, const std::string& field, FieldViolations* violations)>;

  // `resource_field` is the request field that holds the record
  // ("agreement"); its id field is `<resource_field>_id`.
  ResourceMethods(Store* store, const CollectionSchema* schema,
                  std::string resource_field, Validate validate)
      : collection_(store, schema),
        resource_field_(std::move(resource_field)),
        validate_(std::move(validate)) {}

  Collection& collection() { return collection_; }

  absl::Status Create(const Resource& resource, const std::string& id,
                      const std::string& request_id,
                      const google::protobuf::Message& request,
                      const Caller& caller, Resource* out) {
    FieldViolations violations;
    if (!id.empty() && !IsValidId(id)) {
      violations.Add(absl::StrCat(resource_field_, "_id"),
                     "1 to 63 lower-case letters, digits and '-', not "
                     "starting with '-'");
    }
    if (request_id.size() > kMaxRequestIdLength) {
      violations.Add("request_id", absl::StrCat("longer than ",
                                                kMaxRequestIdLength, " bytes"));
    }
    Resource record = resource;
    validate_(&record, resource_field_, &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    WriteContext context{caller.actor, request_id,
                         request_id.empty() ? 0 : QueryFingerprint(request)};
    ASSIGN_OR_RETURN(auto created, collection_.Create(record, id, context));
    out->CopyFrom(*created);
    return absl::OkStatus();
  }

  absl::Status Get(const std::string& name, bool has_read_time,
                   const google::protobuf::Timestamp& read_time,
                   Resource* out) {
    FieldViolations violations;
    auto id = CheckName(name, collection_.schema().collection, "name", true,
                        &violations);
    if (has_read_time) CheckTimestamp(read_time, "read_time", &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    std::optional<absl::Time> at;
    if (has_read_time) {
      at = absl::FromUnixSeconds(read_time.seconds()) +
           absl::Nanoseconds(read_time.nanos());
    }
    ASSIGN_OR_RETURN(auto record, collection_.Get(*id, at));
    out->CopyFrom(*record);
    return absl::OkStatus();
  }

  // `request_id`, if given, makes a retry return the first result;
  // `request` is what it fingerprints.
  absl::Status Update(const Resource& patch,
                      const google::protobuf::FieldMask& mask,
                      const Caller& caller, Resource* out,
                      const std::string& request_id = "",
                      const google::protobuf::Message* request = nullptr) {
    FieldViolations violations;
    auto id = CheckName(
        GetMetadata(patch).name(), collection_.schema().collection,
        absl::StrCat(resource_field_, ".metadata.name"), true, &violations);
    CheckFieldMaskPaths(mask, "update_mask", &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    const Validator validate = [this](Message* record) {
      FieldViolations v;
      validate_(static_cast<Resource*>(record), resource_field_, &v);
      return v.ToStatus();
    };
    ASSIGN_OR_RETURN(
        auto updated,
        collection_.Update(
            *id, patch, mask, validate,
            WriteContext{caller.actor, request_id,
                         request == nullptr ? 0 : QueryFingerprint(*request)}));
    out->CopyFrom(*updated);
    return absl::OkStatus();
  }

  absl::Status Delete(const std::string& name, const std::string& etag,
                      const Caller& caller) {
    FieldViolations violations;
    auto id = CheckName(name, collection_.schema().collection, "name", true,
                        &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    return collection_.Delete(*id, etag, WriteContext{caller.actor, "", 0});
  }

  // Runs `query` (filters already checked) with the request's paging.
  absl::Status List(ListQuery query, int page_size,
                    const std::string& page_token,
                    const google::protobuf::Message& request,
                    google::protobuf::RepeatedPtrField<Resource>* out,
                    std::string* next_page_token) {
    query.page_size = page_size;
    const uint64_t fingerprint = QueryFingerprint(request);
    ASSIGN_OR_RETURN(query.resume,
                     CursorFromPageToken(page_token, fingerprint));
    ASSIGN_OR_RETURN(ListResult result, collection_.List(query));
    for (auto& record : result.records) {
      out->Add()->CopyFrom(*record);
    }
    *next_page_token = PageTokenFor(result.next, fingerprint);
    return absl::OkStatus();
  }

  // Whether `name` ("agreements/x") names an existing record; a violation
  // at `field` if not. Empty is fine unless `required`.
  void CheckReference(const std::string& name, const std::string& field,
                      bool required, FieldViolations* violations) {
    auto id = CheckName(name, collection_.schema().collection, field, required,
                        violations);
    if (id.has_value() && !collection_.Exists(*id)) {
      violations->Add(field, absl::StrCat(name, " does not exist"));
    }
  }

 private:
  Collection collection_;
  std::string resource_field_;
  Validate validate_;
};

// ListRevisions for any record of a service: the collection is found from
// the name's prefix ("agreements/x").
absl::Status ListRevisions(
    const std::vector<Collection*>& collections, const std::string& name,
    int page_size, const std::string& page_token,
    const google::protobuf::Message& request,
    google::protobuf::RepeatedPtrField<::parley::common::v1::Revision>* out,
    std::string* next_page_token);

}  // namespace parley

#endif  // PARLEY_COMMON_SERVICE_RESOURCE_METHODS_H_
