// What the three domain targets share: a domain service on a real store
// (tests/fuzz/fuzz_store.h) holding the seed week, and one call per input.
//
// Input: byte 0 picks the method (its index in tests/fuzz/domains.h, modulo
// their number), byte 1 holds flags, the rest is the request's protobuf
// bytes, read as the service reads what gRPC hands it (ParseRequest, which
// names what is wrong with bytes that are not the request; bits 1..7 of
// byte 1 say where gRPC's buffer is cut in two slices).
// Flag 0x01 forges the request's page_token as an attacker who read our
// code could: its bytes are taken as a PageToken and given the query's own
// fingerprint, so scans resume from keys the client chose.
//
// Properties: no request makes the service fail as INTERNAL, UNKNOWN or
// DATA_LOSS (those say the service or its data is broken); every error's
// message is UTF-8 and its details reach the client whole (a
// google.rpc.Status whose BadRequest fields and descriptions are valid
// UTF-8, or a client cannot parse them);
// a record a write returns is the record a Get then returns, and it passes
// its own type's validation again.
//
// The store is emptied and loaded again every kInputsPerStore inputs, so
// that a crash reproduces from its input alone almost always: it needs at
// most the records the inputs just before it wrote.
#ifndef PARLEY_TESTS_FUZZ_DOMAIN_HARNESS_H_
#define PARLEY_TESTS_FUZZ_DOMAIN_HARNESS_H_

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/grpc_status.h"
#include "common/api/paging.h"
#include "common/base/status.h"
#include "common/server/service_host.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "parley/common/v1/batch.pb.h"
#include "tests/fuzz/domains.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_store.h"
#include "tests/fuzz/proto_mutator.h"
#include "tests/fuzz/seed_week.h"

namespace parley::fuzz {

// With PARLEY_FUZZ_VERBOSE set, each call and its answer go to stderr: to
// see what a crashing input (or a seed) does.
inline bool Verbose() {
  static const bool verbose = std::getenv("PARLEY_FUZZ_VERBOSE") != nullptr;
  return verbose;
}

inline bool IsUtf8(const std::string& s) {
  return google::protobuf::internal::IsStructurallyValidUTF8(
      s.data(), static_cast<int>(s.size()));
}

// What every answer to a client must be, whatever it asked.
inline void CheckAnswer(const absl::Status& status, absl::string_view call) {
  const std::string what = absl::StrCat(call, " -> ", status.ToString());
  PARLEY_FUZZ_CHECK(status.code() != absl::StatusCode::kInternal &&
                        status.code() != absl::StatusCode::kUnknown &&
                        status.code() != absl::StatusCode::kDataLoss,
                    what);
  // The message is text for people and goes into the details' proto3
  // string: UTF-8, or the client cannot parse the details.
  PARLEY_FUZZ_CHECK(IsUtf8(std::string(status.message())), what);
  const grpc::Status wire = ToGrpcStatus(status);
  if (wire.error_details().empty()) return;
  google::rpc::Status details;
  PARLEY_FUZZ_CHECK(details.ParseFromString(wire.error_details()), what);
  google::rpc::BadRequest bad;
  if (!GetBadRequest(status, &bad)) return;
  PARLEY_FUZZ_CHECK(bad.field_violations_size() > 0, what);
  for (const auto& v : bad.field_violations()) {
    PARLEY_FUZZ_CHECK(
        !v.field().empty() && IsUtf8(v.field()) && IsUtf8(v.description()),
        what);
  }
}

// `bytes` as gRPC may hand them over: a buffer of two slices, cut at `cut`.
inline grpc::ByteBuffer Sliced(absl::string_view bytes, size_t cut) {
  const size_t at = std::min(cut, bytes.size());
  grpc::Slice slices[] = {grpc::Slice(bytes.data(), at),
                          grpc::Slice(bytes.data() + at, bytes.size() - at)};
  return grpc::ByteBuffer(slices, 2);
}

// Gives the request's page_token, read as PageToken bytes, the query's
// fingerprint.
inline void ForgePageToken(Message* request) {
  const auto* field = request->GetDescriptor()->FindFieldByName("page_token");
  if (field == nullptr) return;
  const auto* reflection = request->GetReflection();
  ::parley::api::v1::PageToken token;
  if (!token.ParseFromString(reflection->GetString(*request, field))) return;
  token.set_query_fingerprint(QueryFingerprint(*request));
  reflection->SetString(request, field, EncodePageToken(token));
}

template <typename Domain>
class DomainHarness {
 public:
  static constexpr int kInputsPerStore = 20000;

  DomainHarness(std::vector<DomainMethod<Domain>> methods,
                absl::string_view seed_jsonl)
      : methods_(std::move(methods)), seed_jsonl_(seed_jsonl) {
    QuietProtobufLogs();
    for (const auto& m : methods_) {
      if (absl::StartsWith(m.name, "Get")) {
        gets_[m.response_type->GetDescriptor()] = &m;
      }
    }
    Open();
  }

  void Run(const uint8_t* data, size_t size) {
    if (++inputs_ % kInputsPerStore == 0) Open();
    FuzzInput input(data, size);
    const DomainMethod<Domain>& method =
        methods_[input.TakeByte() % methods_.size()];
    const uint8_t flags = input.TakeByte();
    std::unique_ptr<Message> request(method.request_type->New());
    // Read as the service reads the bytes gRPC hands it (common/
    // service_host.h), in two slices cut where flags bits 1..7 say.
    const absl::string_view bytes = input.Rest();
    const absl::Status parsed =
        ParseRequest(Sliced(bytes, flags >> 1), request.get());
    if (Verbose() && !parsed.ok()) {
      std::fprintf(stderr, "%s (bytes) -> %s\n", method.name.c_str(),
                   parsed.ToString().c_str());
    }
    if (!parsed.ok()) {
      PARLEY_FUZZ_CHECK(absl::IsInvalidArgument(parsed), parsed.ToString());
      CheckAnswer(parsed, method.name);
      return;
    }
    if (flags & 0x01) ForgePageToken(request.get());
    std::unique_ptr<Message> response(method.response_type->New());
    const absl::Status status =
        method.call(*domain_, *request, caller_, response.get());
    if (Verbose()) {
      std::fprintf(stderr, "%s %s -> %s\n", method.name.c_str(),
                   request->ShortDebugString().c_str(),
                   status.ToString().c_str());
    }
    CheckAnswer(status, method.name);
    if (status.ok()) CheckWritten(method, *request, *response);
    if (status.ok()) CheckBatch(method, *request, *response);
  }

 private:
  void Open() {
    domain_.reset();
    store_.Reset();
    domain_ = std::make_unique<Domain>(store_.store());
    LoadSeedWeek(*domain_, methods_, seed_jsonl_);
  }

  // A batch (AIP-233) answers each item: as many results as requests, each
  // stored under a name or refused with a code that blames the item (never
  // INTERNAL, UNKNOWN or DATA_LOSS), a UTF-8 message, and field paths under
  // that item ("requests[3].incident.killed"). A stored item is there.
  void CheckBatch(const DomainMethod<Domain>& method, const Message& request,
                  const Message& response) {
    if (!absl::StartsWith(method.name, "Batch")) return;
    const auto* requests = request.GetDescriptor()->FindFieldByName("requests");
    const auto* results = response.GetDescriptor()->FindFieldByName("results");
    PARLEY_FUZZ_CHECK(requests != nullptr && results != nullptr, method.name);
    const auto* in = request.GetReflection();
    const auto* out = response.GetReflection();
    const int n = in->FieldSize(request, requests);
    PARLEY_FUZZ_CHECK(
        out->FieldSize(response, results) == n,
        absl::StrCat(method.name, ": ", n, " requests, ",
                     out->FieldSize(response, results), " results"));
    for (int i = 0; i < n; ++i) {
      common::v1::BatchResult result;
      result.CopyFrom(out->GetRepeatedMessage(response, results, i));
      const std::string what = absl::StrCat(method.name, " item ", i, ": ",
                                            result.ShortDebugString());
      PARLEY_FUZZ_CHECK(
          result.outcome() != common::v1::BatchResult::OUTCOME_UNSPECIFIED,
          what);
      if (result.outcome() != common::v1::BatchResult::OUTCOME_REFUSED) {
        PARLEY_FUZZ_CHECK(!result.name().empty(), what);
        continue;
      }
      const std::string& code = result.error().code();
      PARLEY_FUZZ_CHECK(!code.empty() && code != "INTERNAL" &&
                            code != "UNKNOWN" && code != "DATA_LOSS",
                        what);
      PARLEY_FUZZ_CHECK(IsUtf8(result.error().message()), what);
      const std::string prefix = absl::StrCat("requests[", i, "]");
      for (const auto& v : result.error().field_violations()) {
        PARLEY_FUZZ_CHECK(absl::StartsWith(v.field(), prefix) &&
                              IsUtf8(v.field()) && IsUtf8(v.description()),
                          what);
      }
    }
  }

  // The record a write returned (the response itself, or ReportPosition's
  // `position`) is what Get returns now, and valid.
  void CheckWritten(const DomainMethod<Domain>& method, const Message& request,
                    const Message& response) {
    const bool writes = absl::StartsWith(method.name, "Create") ||
                        absl::StartsWith(method.name, "Update") ||
                        absl::StartsWith(method.name, "Report");
    if (!writes) return;
    const Message* record = &response;
    if (const auto* field = response.GetDescriptor()->FindFieldByNumber(1);
        absl::StartsWith(method.name, "Report") && field != nullptr) {
      record = &response.GetReflection()->GetMessage(response, field);
    }
    FieldViolations violations;
    PARLEY_FUZZ_CHECK(Revalidate(*record, &violations),
                      record->GetDescriptor()->full_name());
    const absl::Status valid = violations.ToStatus();
    PARLEY_FUZZ_CHECK(valid.ok(), absl::StrCat(method.name, " stored ",
                                               record->ShortDebugString(), ": ",
                                               valid.ToString()));
    auto get = gets_.find(record->GetDescriptor());
    PARLEY_FUZZ_CHECK(get != gets_.end(), record->GetDescriptor()->full_name());
    std::unique_ptr<Message> get_request(get->second->request_type->New());
    const auto* name_field =
        get_request->GetDescriptor()->FindFieldByName("name");
    get_request->GetReflection()->SetString(get_request.get(), name_field,
                                            GetMetadata(*record).name());
    std::unique_ptr<Message> read(get->second->response_type->New());
    const absl::Status got =
        get->second->call(*domain_, *get_request, caller_, read.get());
    const auto* request_id =
        request.GetDescriptor()->FindFieldByName("request_id");
    if (request_id != nullptr &&
        !request.GetReflection()->GetString(request, request_id).empty() &&
        (absl::IsNotFound(got) ||
         GetMetadata(*read).revision() != GetMetadata(*record).revision())) {
      // A retry (a request id seen before) answers what the first request
      // did, though the record has changed or gone since.
      return;
    }
    PARLEY_FUZZ_CHECK(got.ok(), got.ToString());
    std::string diff;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    PARLEY_FUZZ_CHECK(
        differencer.Compare(*record, *read),
        absl::StrCat(method.name, " returned what Get does not: ", diff));
  }

  std::vector<DomainMethod<Domain>> methods_;
  std::string seed_jsonl_;
  absl::flat_hash_map<const google::protobuf::Descriptor*,
                      const DomainMethod<Domain>*>
      gets_;
  const Caller caller_{.actor = "fuzz"};
  FuzzStore store_;
  std::unique_ptr<Domain> domain_;
  uint64_t inputs_ = 0;
};

#ifdef PARLEY_LIBFUZZER
// libFuzzer's mutation of a domain target's input: mostly one change to the
// request through reflection (tests/fuzz/proto_mutator.h); sometimes
// another method or flags for the same bytes; a quarter of the time, and
// for bytes that do not parse, libFuzzer's own byte-level mutation.
template <typename Domain>
size_t MutateDomainInput(const std::vector<DomainMethod<Domain>>& methods,
                         uint8_t* data, size_t size, size_t max_size,
                         unsigned seed) {
  static const auto* dictionary = [] {
    QuietProtobufLogs();
    return new std::vector<std::string>(SeedStrings());
  }();
  ProtoMutator mutator(seed, dictionary);
  if (size < 2 || mutator.Chance(4)) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  if (mutator.Chance(16)) {
    data[mutator.Below(2)] = static_cast<uint8_t>(mutator.Below(256));
    return size;
  }
  const DomainMethod<Domain>& method = methods[data[0] % methods.size()];
  std::unique_ptr<Message> request(method.request_type->New());
  if (!request->ParseFromArray(data + 2, static_cast<int>(size - 2))) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  const int changes = 1 + static_cast<int>(mutator.Below(3));
  for (int i = 0; i < changes; ++i) mutator.Mutate(request.get());
  std::string out(reinterpret_cast<const char*>(data), 2);
  request->AppendToString(&out);
  const size_t written = Replace(out, data, max_size);
  return written > 0 ? written : LLVMFuzzerMutate(data, size, max_size);
}
#endif  // PARLEY_LIBFUZZER

}  // namespace parley::fuzz

#endif  // PARLEY_TESTS_FUZZ_DOMAIN_HARNESS_H_
