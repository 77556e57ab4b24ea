// parleyctl's connection to the gateway, and calls made by method name with
// messages from the generated pool, so one code path serves every record
// kind.
#ifndef PARLEY_TOOLS_PARLEYCTL_CLIENT_H_
#define PARLEY_TOOLS_PARLEYCTL_CLIENT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace parley::ctl {

// Exit codes scripts can rely on.
enum ExitCode {
  kOk = 0,
  kFailed = 1,        // some records or the report failed
  kUsage = 2,         // bad command line
  kUnreachable = 3,   // the gateway could not be reached
  kUnauthorized = 4,  // bad or missing token, or not allowed
  kNoFile = 5,        // an input file is missing or unreadable
  kInterrupted = 6,   // stopped by Ctrl-C: run it again to resume
};

// The exit code a call's status calls for.
int ExitCodeFor(const absl::Status& status);

class Client {
 public:
  // From --gateway, --token, --tls, --ca_cert (or PARLEY_GATEWAY, ...).
  static std::unique_ptr<Client> FromFlags();

  // Calls "/pkg.Service/Method" with `request`, parsing the reply into a
  // new message of the method's output type.
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Call(
      const std::string& service, const std::string& method,
      const google::protobuf::Message& request);
  // The same, the reply left as its bytes: for a caller that reads only
  // part of it (an import reads a batch's results, not the records).
  absl::StatusOr<std::string> CallForBytes(
      const std::string& service, const std::string& method,
      const google::protobuf::Message& request);

  // Calls a server-streaming method; `on_message` gets each reply (parsed
  // as the method's output type) and returns false to stop. Returns the
  // stream's final status (OK when stopped by `on_message` or `stop`).
  // `stop` is polled a few times a second: true cancels the call.
  absl::Status Stream(
      const std::string& service, const std::string& method,
      const google::protobuf::Message& request,
      const std::function<bool(const google::protobuf::Message&)>& on_message,
      const std::function<bool()>& stop);

  const std::string& address() const { return address_; }

 private:
  std::string address_;
  std::string token_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

// A new empty message of a type in the generated pool, e.g.
// "parley.exchanges.v1.CreateAgreementRequest".
std::unique_ptr<google::protobuf::Message> NewMessage(
    const std::string& full_name);

// Protobuf JSON (lowerCamelCase), one line or indented.
std::string ToJson(const google::protobuf::Message& message, bool pretty);
absl::Status FromJson(const std::string& json,
                      google::protobuf::Message* message);

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_CLIENT_H_
