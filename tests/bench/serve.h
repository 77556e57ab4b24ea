// How the benchmarks' bare servers run: signals kept from gRPC's threads,
// the port printed once listening (`port=NNNN`), and a stop on SIGTERM or
// SIGINT.
#ifndef PARLEY_TESTS_BENCH_SERVE_H_
#define PARLEY_TESTS_BENCH_SERVE_H_

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"

namespace parley::bench {

// Call first, before any thread starts: SIGTERM and SIGINT are then taken
// by Serve's sigwait, never by one of gRPC's threads.
inline sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// Listens on `listen` (plaintext, no port sharing) with what `builder` has
// registered, prints the port, and serves until a stop signal; the exit
// code (1 if it cannot listen).
inline int Serve(grpc::ServerBuilder& builder, const std::string& listen,
                 const sigset_t& signals, const char* program) {
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "%s: cannot listen on %s\n", program, listen.c_str());
    return 1;
  }
  std::printf("port=%d\n", port);
  std::fflush(stdout);
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  return 0;
}

}  // namespace parley::bench

#endif  // PARLEY_TESTS_BENCH_SERVE_H_
