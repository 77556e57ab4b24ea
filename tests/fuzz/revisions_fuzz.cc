// Etags and revision tokens (common/collection, common/resource_methods):
// the `etag` an Update or Delete must match, the page tokens of
// ListRevisions (which hold the last revision returned, and which a client
// can forge), and reads as of a past `read_time`; on the exchanges service
// with the seed week in a real store.
//
// Input: byte 0 picks the operation, byte 1 the seed record, byte 2 a
// parameter (flags or page size), the rest is the operation's data.
//   0 ListRevisions, page token forged from the data (as the last key) with
//     the request's own fingerprint; byte 2 is the page size (signed).
//   1 ListRevisions, the data as the page token the client sent.
//   2 Update (its free text to "revision N"), etag: the data, or with byte
//     2's bit 0 the current etag (then the data appended, with bit 1).
//   3 Delete of a fresh copy of the record, etag as for 2.
//   4 Get as of read_time: seconds and nanos from the data's first 12 bytes.
//
// Properties: answers as tests/fuzz/domain_harness.h says; an etag other
// than the current one is refused as ABORTED and changes nothing; the
// current one is accepted and a change moves the record to a new revision
// and a new etag; revisions come oldest first, after the token's revision,
// at most a page of them; a record read as of a time is one of its
// revisions.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/paging.h"
#include "common/model/keys.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "tests/fuzz/domain_harness.h"

namespace parley::fuzz {
namespace {

namespace ex = ::parley::exchanges::v1;

class Harness {
 public:
  static constexpr int kInputsPerStore = 20000;

  Harness() : methods_(ExchangesMethods()) {
    for (const auto& seed : SeedCreates(methods_, kSeedExchangesJsonl)) {
      const auto* request = seed.request.get();
      const std::string id = request->GetReflection()->GetString(
          *request, request->GetDescriptor()->FindFieldByNumber(2));
      // "CreateAgreement" -> "Agreement".
      records_.push_back({absl::StrCat(seed.method->creates, "/", id),
                          seed.method->name.substr(6)});
    }
    Open();
  }

  void Run(const uint8_t* data, size_t size) {
    if (++inputs_ % kInputsPerStore == 0) Open();
    FuzzInput input(data, size);
    const uint8_t op = input.TakeByte();
    const Record& record = records_[input.TakeByte() % records_.size()];
    const uint8_t parameter = input.TakeByte();
    const std::string rest(input.Rest());
    // Etags and page tokens are proto3 strings: a request that parsed holds
    // them in UTF-8 (a forged token's key is bytes, base64-encoded).
    if (op % 5 != 0 && op % 5 != 4 && !IsUtf8(rest)) return;
    switch (op % 5) {
      case 0:
        ListRevisions(record, static_cast<int8_t>(parameter), rest, true);
        break;
      case 1:
        ListRevisions(record, parameter, rest, false);
        break;
      case 2:
        UpdateWithEtag(record, parameter, rest);
        break;
      case 3:
        DeleteWithEtag(record, parameter, rest);
        break;
      case 4:
        GetAsOf(record, rest);
        break;
    }
  }

 private:
  struct Record {
    std::string name;
    std::string kind;  // "Agreement"
  };

  void Open() {
    domain_.reset();
    store_.Reset();
    domain_ = std::make_unique<exchanges::Exchanges>(store_.store());
    LoadSeedWeek(*domain_, methods_, kSeedExchangesJsonl);
  }

  const DomainMethod<exchanges::Exchanges>& Method(const std::string& name) {
    for (const auto& m : methods_) {
      if (m.name == name) return m;
    }
    Violated("no such method", name);
  }

  absl::Status Call(const std::string& method, const Message& request,
                    Message* response) {
    const auto& m = Method(method);
    std::unique_ptr<Message> scratch;
    if (response == nullptr) {
      scratch.reset(m.response_type->New());
      response = scratch.get();
    }
    const absl::Status status = m.call(*domain_, request, caller_, response);
    CheckAnswer(status, method);
    return status;
  }

  // The record now (it is always there: deletes take copies).
  std::unique_ptr<Message> Current(const Record& record) {
    const auto& get = Method(absl::StrCat("Get", record.kind));
    std::unique_ptr<Message> request(get.request_type->New());
    request->GetReflection()->SetString(
        request.get(), request->GetDescriptor()->FindFieldByName("name"),
        record.name);
    std::unique_ptr<Message> out(get.response_type->New());
    const absl::Status status = Call(get.name, *request, out.get());
    PARLEY_FUZZ_CHECK(status.ok(), status.ToString());
    return out;
  }

  std::string EtagFor(const Message& current, uint8_t flags,
                      const std::string& data) {
    if (!(flags & 0x01)) return data;
    const std::string& etag = GetMetadata(current).etag();
    return flags & 0x02 ? absl::StrCat(etag, data) : etag;
  }

  void ListRevisions(const Record& record, int page_size,
                     const std::string& data, bool forge) {
    ex::ListRevisionsRequest request;
    request.set_name(record.name);
    request.set_page_size(page_size);
    request.set_page_token(data);
    int64_t after = 0;
    if (forge) {
      ::parley::api::v1::PageToken token;
      token.set_query_fingerprint(QueryFingerprint(request));
      token.set_last_key(data);
      request.set_page_token(EncodePageToken(token));
      absl::string_view key(data);
      uint64_t revision = 0;
      if (keys::ConsumeUint64(&key, &revision)) {
        after = static_cast<int64_t>(revision);
      }
    }
    ex::ListRevisionsResponse response;
    const absl::Status status = Call("ListRevisions", request, &response);
    if (!status.ok()) return;
    const int limit = page_size == 0 ? 50 : std::min(page_size, 500);
    PARLEY_FUZZ_CHECK(response.revisions_size() <= limit,
                      request.ShortDebugString());
    int64_t previous = after;
    for (const auto& revision : response.revisions()) {
      PARLEY_FUZZ_CHECK(revision.revision() > previous,
                        response.ShortDebugString());
      previous = revision.revision();
    }
  }

  void UpdateWithEtag(const Record& record, uint8_t flags,
                      const std::string& data) {
    std::unique_ptr<Message> current = Current(record);
    const std::string etag = EtagFor(*current, flags, data);
    const auto& update = Method(absl::StrCat("Update", record.kind));
    std::unique_ptr<Message> request(update.request_type->New());
    const auto* descriptor = request->GetDescriptor();
    Message* patch = request->GetReflection()->MutableMessage(
        request.get(), descriptor->FindFieldByNumber(1));
    *MutableMetadata(patch) = GetMetadata(*current);
    MutableMetadata(patch)->set_etag(etag);
    // A change, so that a revision is made: the free text every exchanges
    // record has.
    const auto* text = patch->GetDescriptor()->FindFieldByName(
        record.kind == "ChannelStatus" ? "summary" : "description");
    PARLEY_FUZZ_CHECK(text != nullptr, record.kind);
    patch->GetReflection()->SetString(
        patch, text,
        absl::StrCat("revision ", GetMetadata(*current).revision() + 1));
    auto* mask = static_cast<google::protobuf::FieldMask*>(
        request->GetReflection()->MutableMessage(
            request.get(), descriptor->FindFieldByName("update_mask")));
    mask->add_paths(text->name());
    std::unique_ptr<Message> out(update.response_type->New());
    const absl::Status status = Call(update.name, *request, out.get());
    const auto& before = GetMetadata(*current);
    if (!etag.empty() && etag != before.etag()) {
      PARLEY_FUZZ_CHECK(absl::IsAborted(status), status.ToString());
      PARLEY_FUZZ_CHECK(
          GetMetadata(*Current(record)).revision() == before.revision(),
          record.name);
      return;
    }
    PARLEY_FUZZ_CHECK(status.ok(), status.ToString());
    const auto& after = GetMetadata(*out);
    PARLEY_FUZZ_CHECK(after.revision() == before.revision() + 1 &&
                          after.etag() != before.etag(),
                      absl::StrCat(before.ShortDebugString(), " -> ",
                                   after.ShortDebugString()));
  }

  void DeleteWithEtag(const Record& record, uint8_t flags,
                      const std::string& data) {
    // A copy under a new id: the seed records stay.
    std::unique_ptr<Message> current = Current(record);
    const auto& create = Method(absl::StrCat("Create", record.kind));
    std::unique_ptr<Message> create_request(create.request_type->New());
    Message* copy = create_request->GetReflection()->MutableMessage(
        create_request.get(),
        create_request->GetDescriptor()->FindFieldByNumber(1));
    copy->CopyFrom(*current);
    MutableMetadata(copy)->Clear();
    std::unique_ptr<Message> created(create.response_type->New());
    const absl::Status made = Call(create.name, *create_request, created.get());
    PARLEY_FUZZ_CHECK(made.ok(), made.ToString());
    const std::string name = GetMetadata(*created).name();

    const std::string etag = EtagFor(*created, flags, data);
    const auto& remove = Method(absl::StrCat("Delete", record.kind));
    std::unique_ptr<Message> request(remove.request_type->New());
    const auto* descriptor = request->GetDescriptor();
    request->GetReflection()->SetString(
        request.get(), descriptor->FindFieldByName("name"), name);
    request->GetReflection()->SetString(
        request.get(), descriptor->FindFieldByName("etag"), etag);
    const absl::Status status = Call(remove.name, *request, nullptr);
    if (!etag.empty() && etag != GetMetadata(*created).etag()) {
      PARLEY_FUZZ_CHECK(absl::IsAborted(status), status.ToString());
    } else {
      PARLEY_FUZZ_CHECK(status.ok(), status.ToString());
    }
  }

  void GetAsOf(const Record& record, const std::string& data) {
    int64_t seconds = 0;
    int32_t nanos = 0;
    std::memcpy(&seconds, data.data(), std::min<size_t>(data.size(), 8));
    if (data.size() > 8) {
      std::memcpy(&nanos, data.data() + 8,
                  std::min<size_t>(data.size() - 8, 4));
    }
    const auto& get = Method(absl::StrCat("Get", record.kind));
    std::unique_ptr<Message> request(get.request_type->New());
    const auto* descriptor = request->GetDescriptor();
    request->GetReflection()->SetString(
        request.get(), descriptor->FindFieldByName("name"), record.name);
    auto* read_time = static_cast<google::protobuf::Timestamp*>(
        request->GetReflection()->MutableMessage(
            request.get(), descriptor->FindFieldByName("read_time")));
    read_time->set_seconds(seconds);
    read_time->set_nanos(nanos);
    std::unique_ptr<Message> out(get.response_type->New());
    const absl::Status status = Call(get.name, *request, out.get());
    if (!status.ok()) return;
    PARLEY_FUZZ_CHECK(GetMetadata(*out).revision() >= 1 &&
                          GetMetadata(*out).revision() <=
                              GetMetadata(*Current(record)).revision(),
                      out->ShortDebugString());
  }

  std::vector<DomainMethod<exchanges::Exchanges>> methods_;
  std::vector<Record> records_;
  const Caller caller_{.actor = "fuzz"};
  FuzzStore store_;
  std::unique_ptr<exchanges::Exchanges> domain_;
  uint64_t inputs_ = 0;
};

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Never destroyed: its store closes at exit (tests/fuzz/fuzz_store.h).
  static auto* harness = new parley::fuzz::Harness();
  harness->Run(data, size);
  return 0;
}
