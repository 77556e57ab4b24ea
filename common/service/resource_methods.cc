#include "common/service/resource_methods.h"

#include "absl/strings/match.h"
#include "common/model/keys.h"

namespace parley {

absl::StatusOr<std::optional<ListCursor>> CursorFromPageToken(
    const std::string& page_token, uint64_t fingerprint) {
  if (page_token.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(api::v1::PageToken token,
                   DecodePageToken(page_token, fingerprint));
  return ListCursor{.plan = token.plan(), .last_key = token.last_key()};
}

std::string PageTokenFor(const std::optional<ListCursor>& next,
                         uint64_t fingerprint) {
  if (!next.has_value()) return "";
  api::v1::PageToken token;
  token.set_query_fingerprint(fingerprint);
  token.set_plan(next->plan);
  token.set_last_key(next->last_key);
  return EncodePageToken(token);
}

absl::Status ListRevisions(
    const std::vector<Collection*>& collections, const std::string& name,
    int page_size, const std::string& page_token,
    const google::protobuf::Message& request,
    google::protobuf::RepeatedPtrField<::parley::common::v1::Revision>* out,
    std::string* next_page_token) {
  FieldViolations violations;
  const int limit = CheckPageSize(page_size, "page_size", &violations);
  Collection* collection = nullptr;
  std::optional<std::string> id;
  for (Collection* c : collections) {
    if (absl::StartsWith(name, absl::StrCat(c->schema().collection, "/"))) {
      collection = c;
      id = CheckName(name, c->schema().collection, "name", true, &violations);
    }
  }
  if (collection == nullptr) {
    std::string known;
    for (Collection* c : collections) {
      absl::StrAppend(&known, known.empty() ? "" : ", ", "\"",
                      c->schema().collection, "/{id}\"");
    }
    violations.Add("name", absl::StrCat("required: one of ", known));
  }
  int64_t after = 0;
  const uint64_t fingerprint = QueryFingerprint(request);
  if (!page_token.empty()) {
    auto token = DecodePageToken(page_token, fingerprint);
    absl::string_view last;
    uint64_t revision = 0;
    if (!token.ok()) return token.status();
    if (last = token->last_key(); !keys::ConsumeUint64(&last, &revision) ||
                                  revision == 0 || revision > (1ull << 62)) {
      violations.Add("page_token", "malformed");
    } else {
      after = static_cast<int64_t>(revision);
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());

  bool more = false;
  ASSIGN_OR_RETURN(auto revisions,
                   collection->Revisions(*id, after, limit, &more));
  if (revisions.empty() && after == 0) {
    return absl::NotFoundError(absl::StrCat(name, " never existed"));
  }
  for (auto& r : revisions) *out->Add() = std::move(r);
  next_page_token->clear();
  if (more && !out->empty()) {
    ::parley::api::v1::PageToken token;
    token.set_query_fingerprint(fingerprint);
    std::string last;
    keys::AppendUint64(&last, static_cast<uint64_t>(out->rbegin()->revision()));
    token.set_last_key(last);
    *next_page_token = EncodePageToken(token);
  }
  return absl::OkStatus();
}

}  // namespace parley
