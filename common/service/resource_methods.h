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
#include "common/api/batch.h"
#include "common/api/paging.h"
#include "common/api/validation.h"
#include "common/base/status.h"
#include "common/server/auth.h"
#include "common/store/collection.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "parley/common/v1/batch.pb.h"

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

// A batch item's outcome as the API says it.
inline common::v1::BatchResult::Outcome ToProtoOutcome(BatchOutcome outcome) {
  switch (outcome) {
    case BatchOutcome::kCreated:
      return common::v1::BatchResult::OUTCOME_CREATED;
    case BatchOutcome::kAlreadyDone:
      return common::v1::BatchResult::OUTCOME_ALREADY_DONE;
    case BatchOutcome::kUpdated:
      return common::v1::BatchResult::OUTCOME_UPDATED;
    case BatchOutcome::kUnchanged:
      return common::v1::BatchResult::OUTCOME_UNCHANGED;
    case BatchOutcome::kRefused:
      break;
  }
  return common::v1::BatchResult::OUTCOME_REFUSED;
}

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
    Resource record = resource;
    CheckCreate(id, request_id, "", &record, &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    WriteContext context{caller.actor, request_id,
                         request_id.empty() ? 0 : QueryFingerprint(request)};
    ASSIGN_OR_RETURN(auto created, collection_.Create(record, id, context));
    out->CopyFrom(*created);
    return absl::OkStatus();
  }

  // BatchCreate<Resources> (AIP-233): each request checked as Create checks
  // it, its field errors under "requests[i]."; what passes is stored at
  // once (Collection::CreateMany). `requests` are Create<Resource>Requests,
  // read by their field names (`<resource_field>`, `<resource_field>_id`,
  // `request_id`). Every request gets a result, in order; the records
  // stored or found go to `out`, in order.
  template <typename CreateRequest>
  absl::Status BatchCreate(
      const google::protobuf::RepeatedPtrField<CreateRequest>& requests,
      const Caller& caller, google::protobuf::RepeatedPtrField<Resource>* out,
      google::protobuf::RepeatedPtrField<common::v1::BatchResult>* results) {
    RETURN_IF_ERROR(CheckBatchSize(requests.size()));
    std::vector<Resource> records(requests.size());
    std::vector<CreateItem> items;
    std::vector<int> item_request;
    for (int i = 0; i < requests.size(); ++i) {
      const CreateRequest& request = requests[i];
      const auto* fields = request.GetDescriptor();
      const auto* reflection = request.GetReflection();
      records[i].CopyFrom(reflection->GetMessage(
          request, fields->FindFieldByName(resource_field_)));
      const std::string id = reflection->GetString(
          request, fields->FindFieldByName(resource_field_ + "_id"));
      const std::string request_id =
          reflection->GetString(request, fields->FindFieldByName("request_id"));
      FieldViolations violations;
      CheckCreate(id, request_id, absl::StrCat(BatchPath(i), "."), &records[i],
                  &violations);
      if (!violations.empty()) {
        AddRefused(violations.ToStatus(), results);
        continue;
      }
      results->Add();  // filled in once stored
      items.push_back(
          {&records[i], id,
           WriteContext{caller.actor, request_id,
                        request_id.empty() ? 0 : QueryFingerprint(request)}});
      item_request.push_back(i);
    }
    FillResults(collection_.CreateMany(items), item_request, out, results);
    return absl::OkStatus();
  }

  // BatchUpdate<Resources> (AIP-234) that put records whole: each request
  // (an Update<Resource>Request, read by field name: `<resource_field>`,
  // `update_mask`, `allow_missing`, `request_id`) must have update_mask
  // "*"; it replaces the record named by its metadata.name, or with
  // allow_missing creates it (Collection::PutMany).
  template <typename UpdateRequest>
  absl::Status BatchPut(
      const google::protobuf::RepeatedPtrField<UpdateRequest>& requests,
      const Caller& caller, google::protobuf::RepeatedPtrField<Resource>* out,
      google::protobuf::RepeatedPtrField<common::v1::BatchResult>* results) {
    RETURN_IF_ERROR(CheckBatchSize(requests.size()));
    std::vector<Resource> records(requests.size());
    std::vector<PutItem> items;
    std::vector<int> item_request;
    for (int i = 0; i < requests.size(); ++i) {
      const UpdateRequest& request = requests[i];
      const std::string at = BatchPath(i);
      records[i].CopyFrom(request.GetReflection()->GetMessage(
          request, request.GetDescriptor()->FindFieldByName(resource_field_)));
      FieldViolations violations;
      const auto& mask = request.update_mask();
      if (mask.paths_size() != 1 || mask.paths(0) != "*") {
        violations.Add(absl::StrCat(at, ".update_mask"),
                       "a batch update replaces each record whole: \"*\"");
      }
      if (request.request_id().size() > kMaxRequestIdLength) {
        violations.Add(
            absl::StrCat(at, ".request_id"),
            absl::StrCat("longer than ", kMaxRequestIdLength, " bytes"));
      }
      const std::string record_at = absl::StrCat(at, ".", resource_field_);
      auto id = CheckName(
          GetMetadata(records[i]).name(), collection_.schema().collection,
          absl::StrCat(record_at, ".metadata.name"), true, &violations);
      const std::string etag = GetMetadata(records[i]).etag();
      validate_(&records[i], record_at, &violations);
      if (!violations.empty()) {
        AddRefused(violations.ToStatus(), results);
        continue;
      }
      MutableMetadata(&records[i])->Clear();
      results->Add();  // filled in once stored
      items.push_back(
          {&records[i], *id,
           WriteContext{
               caller.actor, request.request_id(),
               request.request_id().empty() ? 0 : QueryFingerprint(request)},
           request.allow_missing(), etag});
      item_request.push_back(i);
    }
    FillResults(collection_.PutMany(items), item_request, out, results);
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
  // With `allow_missing`, a record that does not exist is created from
  // `patch` (AIP-134).
  absl::Status Update(const Resource& patch,
                      const google::protobuf::FieldMask& mask,
                      const Caller& caller, Resource* out,
                      const std::string& request_id = "",
                      const google::protobuf::Message* request = nullptr,
                      bool allow_missing = false) {
    FieldViolations violations;
    auto id = CheckName(
        GetMetadata(patch).name(), collection_.schema().collection,
        absl::StrCat(resource_field_, ".metadata.name"), true, &violations);
    CheckFieldMaskPaths(mask, "update_mask", &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    if (allow_missing && !collection_.Exists(*id)) {
      Resource record = patch;
      MutableMetadata(&record)->Clear();
      return Create(record, *id, request_id,
                    request != nullptr ? *request : patch, caller, out);
    }
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
    // A read_mask (AIP-157), where the request has one: only those fields.
    const google::protobuf::FieldMask* read_mask = ReadMaskOf(request);
    if (read_mask != nullptr && read_mask->paths_size() > 0) {
      for (const std::string& path : read_mask->paths()) {
        if (!google::protobuf::util::FieldMaskUtil::GetFieldDescriptors(
                Resource::descriptor(), path, nullptr)) {
          return InvalidField("read_mask",
                              absl::StrCat("\"", path, "\" is not a field of ",
                                           Resource::descriptor()->name()));
        }
      }
    }
    ASSIGN_OR_RETURN(ListResult result, collection_.List(query));
    for (auto& record : result.records) {
      Resource* added = out->Add();
      added->CopyFrom(*record);
      if (read_mask != nullptr && read_mask->paths_size() > 0) {
        google::protobuf::util::FieldMaskUtil::TrimMessage(*read_mask, added);
      }
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
  // A List request's read_mask field, if it has one.
  static const google::protobuf::FieldMask* ReadMaskOf(
      const google::protobuf::Message& request) {
    const auto* field = request.GetDescriptor()->FindFieldByName("read_mask");
    if (field == nullptr ||
        !request.GetReflection()->HasField(request, field)) {
      return nullptr;
    }
    return static_cast<const google::protobuf::FieldMask*>(
        &request.GetReflection()->GetMessage(request, field));
  }

  // The checks of a Create beyond the record's own: the id and request id,
  // at `prefix` ("" or "requests[3].") in the request.
  void CheckCreate(const std::string& id, const std::string& request_id,
                   const std::string& prefix, Resource* record,
                   FieldViolations* violations) {
    if (!id.empty() && !IsValidId(id)) {
      violations->Add(absl::StrCat(prefix, resource_field_, "_id"),
                      "1 to 63 lower-case letters, digits and '-', not "
                      "starting with '-'");
    }
    if (request_id.size() > kMaxRequestIdLength) {
      violations->Add(
          absl::StrCat(prefix, "request_id"),
          absl::StrCat("longer than ", kMaxRequestIdLength, " bytes"));
    }
    validate_(record, absl::StrCat(prefix, resource_field_), violations);
  }

  // Results of the stored items into their requests' places, and their
  // records into `out`.
  static void FillResults(
      std::vector<BatchItemResult> stored, const std::vector<int>& item_request,
      google::protobuf::RepeatedPtrField<Resource>* out,
      google::protobuf::RepeatedPtrField<common::v1::BatchResult>* results) {
    for (size_t k = 0; k < stored.size(); ++k) {
      common::v1::BatchResult* result = results->Mutable(item_request[k]);
      BatchItemResult& item = stored[k];
      if (item.outcome == BatchOutcome::kRefused) {
        result->set_outcome(common::v1::BatchResult::OUTCOME_REFUSED);
        SetBatchError(item.status, result->mutable_error());
        continue;
      }
      result->set_outcome(ToProtoOutcome(item.outcome));
      result->set_name(GetMetadata(*item.record).name());
      // Moved, not copied: the results are this call's own.
      *out->Add() = std::move(static_cast<Resource&>(*item.record));
    }
  }

  static void AddRefused(
      const absl::Status& status,
      google::protobuf::RepeatedPtrField<common::v1::BatchResult>* results) {
    common::v1::BatchResult* result = results->Add();
    result->set_outcome(common::v1::BatchResult::OUTCOME_REFUSED);
    SetBatchError(status, result->mutable_error());
  }

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
