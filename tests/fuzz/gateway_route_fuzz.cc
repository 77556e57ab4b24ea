// The gateway's handling of what a caller names and sends, short of a
// server (services/gateway/proxy, common/auth, common/status): which
// headers travel on to a domain service, which method a path names and
// whether its bytes are that method's request (read from gRPC's buffers in
// place by ParseRequest, as the proxy and the services do, naming what is
// wrong), and how an upstream's status is taken back.
// Input: byte 0 chooses a check, the rest is its data.
// tests/fuzz/gateway_call_fuzz.cc sends the same through a real gateway.
//
// Properties: a forwarded header is never the caller's token, ours
// (x-parley-*) or gRPC's, and its value is one gRPC can send (else the
// gateway's own call would fail an assertion in gRPC); the proxy's in-place
// parse accepts only what a plain parse does, however the bytes are
// sliced, yields the same message, and refuses as INVALID_ARGUMENT only
// bytes that do not parse or that hold a field under another wire type;
// a status survives the trip to the
// wire and back with its code, message and field violations (given a
// message in UTF-8).
#include <grpc/grpc.h>
#include <grpc/slice.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/grpc_status.h"
#include "common/base/status.h"
#include "common/server/auth.h"
#include "common/server/service_host.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "parley/admin/v1/admin_service.grpc.pb.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "parley/negotiations/v1/negotiations_service.grpc.pb.h"
#include "parley/reports/v1/reports_service.grpc.pb.h"
#include "services/gateway/proxy.h"
#include "tests/fuzz/fuzz_input.h"

namespace parley::fuzz {
namespace {

using ::google::protobuf::Message;
using ::google::protobuf::MethodDescriptor;

bool LegalKey(absl::string_view key) {
  return grpc_header_key_is_legal(
             grpc_slice_from_static_buffer(key.data(), key.size())) != 0;
}

bool LegalValue(absl::string_view value) {
  return grpc_header_nonbin_value_is_legal(
             grpc_slice_from_static_buffer(value.data(), value.size())) != 0;
}

// "key: value".
void CheckHeader(absl::string_view line) {
  const size_t colon = line.find(':');
  const absl::string_view key = line.substr(0, colon);
  const absl::string_view value =
      colon == absl::string_view::npos ? "" : line.substr(colon + 1);
  if (!gateway::ForwardsHeader(key, value)) return;
  const std::string both = absl::StrCat(key, ": ", value);
  PARLEY_FUZZ_CHECK(
      key != "authorization" && !absl::StartsWith(key, "x-parley-") &&
          !absl::StartsWith(key, "grpc-") && !absl::StartsWith(key, ":"),
      both);
  // gRPC hands the gateway only legal keys; their values must stay legal.
  if (LegalKey(key) && !absl::EndsWith(key, "-bin")) {
    PARLEY_FUZZ_CHECK(LegalValue(value), both);
  }
}

// The services the gateway serves: its own and the three it proxies.
const std::vector<const google::protobuf::ServiceDescriptor*>& Served() {
  static const auto* served = [] {
    // Naming a message of each contract links its descriptors in.
    (void)exchanges::v1::CreateExchangeRequest::descriptor();
    (void)negotiations::v1::CreateRoundRequest::descriptor();
    (void)incidents::v1::CreateIncidentRequest::descriptor();
    (void)reports::v1::GetSummaryRequest::descriptor();
    (void)admin::v1::ListBackupsRequest::descriptor();
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    auto* services =
        new std::vector<const google::protobuf::ServiceDescriptor*>;
    for (const char* name :
         {exchanges::v1::ExchangesService::service_full_name(),
          negotiations::v1::NegotiationsService::service_full_name(),
          incidents::v1::IncidentsService::service_full_name(),
          reports::v1::ReportService::service_full_name(),
          admin::v1::AdminService::service_full_name()}) {
      const auto* service = pool->FindServiceByName(name);
      PARLEY_FUZZ_CHECK(service != nullptr, name);
      services->push_back(service);
    }
    return services;
  }();
  return *served;
}

// "/package.Service/Method": the method, or null (gRPC answers
// UNIMPLEMENTED).
const MethodDescriptor* Route(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/")) return nullptr;
  const size_t slash = path.find('/');
  if (slash == absl::string_view::npos) return nullptr;
  const absl::string_view service = path.substr(0, slash);
  const absl::string_view method = path.substr(slash + 1);
  for (const auto* s : Served()) {
    if (s->full_name() != service) continue;
    for (int i = 0; i < s->method_count(); ++i) {
      if (s->method(i)->name() == method) return s->method(i);
    }
  }
  return nullptr;
}

// Byte 0: where to cut the body into two slices; then "path\n" and the body.
void CheckRequest(FuzzInput& input) {
  const uint8_t cut = input.TakeByte();
  const absl::string_view path = input.TakeLine();
  const MethodDescriptor* method = Route(path);
  if (method == nullptr) return;
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          method->input_type());
  PARLEY_FUZZ_CHECK(prototype != nullptr, method->full_name());
  const Role role =
      RequiredRole(method->service()->full_name(), method->name());
  if (method->service()->full_name() == "parley.admin.v1.AdminService") {
    PARLEY_FUZZ_CHECK(role == Role::kAdmin, method->full_name());
  }

  const absl::string_view body = input.Rest();
  const size_t at = std::min<size_t>(cut, body.size());
  grpc::Slice slices[] = {grpc::Slice(body.data(), at),
                          grpc::Slice(body.data() + at, body.size() - at)};
  const grpc::ByteBuffer buffer(slices, 2);

  // As the proxy reads it (common/service_host.h): in place, naming what
  // is wrong.
  std::unique_ptr<Message> in_place(prototype->New());
  const absl::Status read = ParseRequest(buffer, in_place.get());
  std::unique_ptr<Message> plain(prototype->New());
  const bool plain_ok =
      plain->ParseFromArray(body.data(), static_cast<int>(body.size()));
  if (!read.ok()) {
    PARLEY_FUZZ_CHECK(absl::IsInvalidArgument(read), read.ToString());
    // Bytes that parse are refused only for a field sent under another
    // wire type than its own (which protobuf would keep aside, unset).
    PARLEY_FUZZ_CHECK(!plain_ok || absl::StrContains(read.message(), "sent as"),
                      read.ToString());
    return;
  }
  PARLEY_FUZZ_CHECK(plain_ok, method->full_name());
  PARLEY_FUZZ_CHECK(
      google::protobuf::util::MessageDifferencer::Equals(*in_place, *plain),
      method->full_name());
}

// Byte 0: the code; then "message\n" and the details' bytes, as an upstream
// (or anything between) may answer.
void CheckStatus(FuzzInput& input) {
  const int code = input.TakeByte() % 17;
  if (code == 0) return;
  const std::string message(input.TakeLine());
  const std::string details(input.Rest());
  const grpc::Status upstream(static_cast<grpc::StatusCode>(code), message,
                              details);
  const absl::Status taken = FromGrpcStatus(upstream);
  PARLEY_FUZZ_CHECK(static_cast<int>(taken.code()) == code, message);
  PARLEY_FUZZ_CHECK(taken.message() == message, message);
  const grpc::Status back = ToGrpcStatus(taken);
  PARLEY_FUZZ_CHECK(back.error_code() == upstream.error_code() &&
                        back.error_message() == message,
                    message);
  google::rpc::BadRequest bad;
  if (!GetBadRequest(taken, &bad)) return;
  // Field violations survive, whole, with a message in UTF-8: our services
  // send no other (tests/fuzz/domain_harness.h checks that), and the
  // details' proto3 string could not be parsed with one.
  if (!google::protobuf::internal::IsStructurallyValidUTF8(
          message.data(), static_cast<int>(message.size()))) {
    return;
  }
  const absl::Status again = FromGrpcStatus(back);
  google::rpc::BadRequest bad_again;
  PARLEY_FUZZ_CHECK(GetBadRequest(again, &bad_again), message);
  PARLEY_FUZZ_CHECK(
      google::protobuf::util::MessageDifferencer::Equals(bad, bad_again),
      message);
}

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley::fuzz;  // NOLINT(build/namespaces)
  FuzzInput input(data, size);
  switch (input.TakeByte() % 3) {
    case 0:
      while (!input.empty()) CheckHeader(input.TakeLine());
      break;
    case 1:
      CheckRequest(input);
      break;
    case 2:
      CheckStatus(input);
      break;
  }
  return 0;
}
