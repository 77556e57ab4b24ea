// A unary call of any method with raw bytes as its request: what a client
// that sends what it likes (grpcurl, a fuzzer, a broken client) does, and
// what the gateway does when it forwards.
#ifndef PARLEY_TESTS_LIB_RAW_CALL_H_
#define PARLEY_TESTS_LIB_RAW_CALL_H_

#include <future>
#include <string>
#include <utility>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace parley::testing {

// Makes the call and waits for it; on success, the reply's bytes go to
// `reply` (if given).
inline grpc::Status CallBytes(grpc::GenericStub& stub,
                              grpc::ClientContext* context,
                              const std::string& method,
                              const std::string& bytes,
                              std::string* reply = nullptr) {
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status status = done.get_future().get();
  if (reply != nullptr && status.ok()) {
    grpc::Slice all;
    reply->clear();
    if (response.DumpToSingleSlice(&all).ok()) {
      reply->assign(reinterpret_cast<const char*>(all.begin()), all.size());
    }
  }
  return status;
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_RAW_CALL_H_
