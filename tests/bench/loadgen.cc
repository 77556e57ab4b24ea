// parley-loadgen: a closed-loop gRPC load generator for the benchmarks
// (tests/bench/README.md). --concurrency clients each make one call at a
// time, the next as soon as the last completes, over --channels channels,
// through the callback API (GenericStub::UnaryCall) with requests built
// from the generated protos. After --warmup_seconds, calls made during
// --duration_seconds (or the next --count calls) are measured: throughput
// and latency percentiles, as a text line and, with --json_out, JSON.
//
// Exit status: 0 done; 1 cannot connect, or more than 1% of the calls
// failed (or all of the first), or a report left a section out; 2 bad
// flags.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "tests/bench/loadgen_requests.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051",
          "host:port of the server (plaintext)");
ABSL_FLAG(std::string, method, "",
          "create_exchange|get_agreement|list_exchanges|agreement_progress|"
          "summary|empty");
ABSL_FLAG(int, concurrency, 1, "clients, each with one call in flight");
ABSL_FLAG(double, duration_seconds, 10, "measured seconds (without --count)");
ABSL_FLAG(int64_t, count, 0,
          "measure this many calls instead of --duration_seconds");
ABSL_FLAG(double, warmup_seconds, 1, "seconds of calls not measured, first");
ABSL_FLAG(std::string, token, "",
          "bearer token, sent as `authorization: Bearer <token>`");
ABSL_FLAG(int, channels, 0,
          "channels (connections) the clients are spread over; 0: "
          "min(concurrency, 8)");
ABSL_FLAG(std::string, payload, "small",
          "create_exchange's request: small (~200 B) or large (~7 KB)");
ABSL_FLAG(std::string, id_prefix, "",
          "created exchanges are <prefix>-<n> (so are their request ids); "
          "default: unique to this run");
ABSL_FLAG(std::string, agreement, "agreements/bench",
          "read by get_agreement and agreement_progress; the agreement "
          "created exchanges fall under (\"\" for none)");
ABSL_FLAG(std::string, span, "2026-W05", "the span of a summary");
ABSL_FLAG(int, deadline_ms, 10000, "deadline of each call");
ABSL_FLAG(std::string, json_out, "", "also write the result as JSON here");
ABSL_FLAG(int64_t, preload, 0,
          "create this many exchanges under --agreement (made if missing), "
          "dated over 2025-01-01..2026-01-31, and report it like "
          "create_exchange with --count");
ABSL_FLAG(bool, ensure_agreement, false,
          "create --agreement first if missing (idempotent)");
ABSL_FLAG(bool, allow_missing, false,
          "succeed even when a report says it left a section out (without "
          "it, exit 1: such a report did not do the work measured)");

namespace parley::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
// All of the first this many calls failing stops the run at once.
constexpr int64_t kFirstCalls = 10;

[[noreturn]] void Usage(const std::string& message) {
  std::fprintf(stderr, "parley-loadgen: %s\n", message.c_str());
  std::exit(kExitUsage);
}

// absl exits with 1 on a bad flag; we promise 2. Each --name[=value] is
// checked against the flags before absl parses them.
void CheckFlags(int argc, char** argv) {
  static const char* const kAbslOwn[] = {
      "help",    "helpfull",   "helpshort", "helppackage",
      "helpon",  "helpmatch",  "version",   "flagfile",
      "fromenv", "tryfromenv", "undefok",   "only_check_args"};
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (!absl::StartsWith(arg, "-") || arg == "-") {
      Usage(absl::StrCat("unexpected argument \"", arg, "\""));
    }
    arg.remove_prefix(absl::StartsWith(arg, "--") ? 2 : 1);
    const size_t eq = arg.find('=');
    const absl::string_view name = arg.substr(0, eq);
    if (std::find(std::begin(kAbslOwn), std::end(kAbslOwn), name) !=
        std::end(kAbslOwn))
      continue;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    std::string error;
    if (flag == nullptr) {
      absl::CommandLineFlag* negated =
          absl::StartsWith(name, "no") && eq == absl::string_view::npos
              ? absl::FindCommandLineFlag(name.substr(2))
              : nullptr;
      if (negated != nullptr && negated->IsOfType<bool>()) continue;
      Usage(absl::StrCat("unknown flag --", name));
    }
    std::string value;
    if (eq != absl::string_view::npos) {
      value = std::string(arg.substr(eq + 1));
    } else if (flag->IsOfType<bool>()) {
      continue;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      Usage(absl::StrCat("--", name, " needs a value"));
    }
    if (!flag->ParseFrom(value, &error)) {
      Usage(absl::StrCat("--", name, "=", value, ": ", error));
    }
  }
}

// gRPC's codes are Abseil's, names and numbers.
std::string CodeName(grpc::StatusCode code) {
  const std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? absl::StrCat("CODE_", static_cast<int>(code)) : name;
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(CodeName(status.error_code()), ": ",
                      status.error_message());
}

struct Config {
  std::string target;
  Method method = Method::kEmpty;
  int concurrency = 1;
  int channels = 1;
  double duration_seconds = 10;
  int64_t count = 0;
  double warmup_seconds = 1;
  std::string token;
  std::chrono::milliseconds deadline{10000};
  RequestOptions requests;
  std::string payload;
  bool preload = false;
  bool ensure_agreement = false;
  bool allow_missing = false;
  std::string json_out;
};

Config ConfigFromFlags() {
  Config c;
  c.target = absl::GetFlag(FLAGS_target);
  if (c.target.empty()) Usage("--target is empty");
  const int64_t preload = absl::GetFlag(FLAGS_preload);
  if (preload < 0) Usage("--preload must be at least 0");
  c.preload = preload > 0;
  std::string method = absl::GetFlag(FLAGS_method);
  if (c.preload) {
    if (!method.empty() && method != "create_exchange")
      Usage("--preload creates exchanges: leave out --method");
    method = "create_exchange";
  }
  if (method.empty())
    Usage(absl::StrCat("--method is required: ", MethodNames()));
  const auto parsed = ParseMethod(method);
  if (!parsed.has_value()) {
    Usage(absl::StrCat("--method=", method, ": not one of ", MethodNames()));
  }
  c.method = *parsed;
  c.concurrency = absl::GetFlag(FLAGS_concurrency);
  if (c.concurrency < 1 || c.concurrency > 100000)
    Usage("--concurrency must be 1..100000");
  c.channels = absl::GetFlag(FLAGS_channels);
  if (c.channels < 0) Usage("--channels must be at least 0");
  if (c.channels == 0) c.channels = std::min(c.concurrency, 8);
  c.channels = std::min(c.channels, c.concurrency);
  c.duration_seconds = absl::GetFlag(FLAGS_duration_seconds);
  c.count = c.preload ? preload : absl::GetFlag(FLAGS_count);
  if (c.count < 0) Usage("--count must be at least 0");
  if (c.count == 0 && !(c.duration_seconds > 0))
    Usage("--duration_seconds must be more than 0 (or give --count)");
  c.warmup_seconds = c.preload ? 0 : absl::GetFlag(FLAGS_warmup_seconds);
  if (!(c.warmup_seconds >= 0)) Usage("--warmup_seconds must be at least 0");
  c.token = absl::GetFlag(FLAGS_token);
  const int deadline_ms = absl::GetFlag(FLAGS_deadline_ms);
  if (deadline_ms < 1) Usage("--deadline_ms must be at least 1");
  c.deadline = std::chrono::milliseconds(deadline_ms);
  c.payload = absl::GetFlag(FLAGS_payload);
  if (c.payload != "small" && c.payload != "large")
    Usage("--payload must be small or large");
  c.requests.large = c.payload == "large";
  c.requests.agreement = absl::GetFlag(FLAGS_agreement);
  c.requests.span = absl::GetFlag(FLAGS_span);
  c.ensure_agreement = absl::GetFlag(FLAGS_ensure_agreement) || c.preload;
  if (c.requests.agreement.empty()) {
    if (c.method == Method::kGetAgreement ||
        c.method == Method::kAgreementProgress)
      Usage(absl::StrCat(MethodName(c.method), " needs --agreement"));
    c.ensure_agreement = false;
  } else if (!AgreementId(c.requests.agreement).has_value()) {
    Usage(absl::StrCat("--agreement=", c.requests.agreement,
                       ": not agreements/<id> (lowercase, digits, '-')"));
  }
  c.requests.id_prefix = absl::GetFlag(FLAGS_id_prefix);
  if (c.requests.id_prefix.empty()) {
    // Unique to the run: "b" and the time in microseconds, base 36.
    uint64_t t = static_cast<uint64_t>(absl::ToUnixMicros(absl::Now()));
    std::string digits;
    for (; t > 0; t /= 36)
      digits.insert(digits.begin(),
                    "0123456789abcdefghijklmnopqrstuvwxyz"[t % 36]);
    c.requests.id_prefix = absl::StrCat("b", digits);
  }
  if (!IsValidIdPrefix(c.requests.id_prefix))
    Usage(absl::StrCat("--id_prefix=", c.requests.id_prefix,
                       ": lowercase letters, digits and '-', up to 40, not "
                       "starting with '-'"));
  c.allow_missing = absl::GetFlag(FLAGS_allow_missing);
  c.json_out = absl::GetFlag(FLAGS_json_out);
  return c;
}

// One connection each: a channel argument of its own keeps channels from
// sharing a subchannel (and so a TCP connection).
std::vector<std::shared_ptr<grpc::Channel>> Connect(const Config& c) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < c.channels; ++i) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    args.SetInt("parley.bench.channel", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(grpc::CreateCustomChannel(
        c.target, grpc::InsecureChannelCredentials(), args));
  }
  const auto deadline =
      std::chrono::system_clock::now() + std::chrono::seconds(5);
  for (auto& channel : channels) {
    if (!channel->WaitForConnected(deadline)) {
      std::fprintf(stderr, "parley-loadgen: cannot connect to %s\n",
                   c.target.c_str());
      std::exit(kExitFailed);
    }
  }
  return channels;
}

// Creates --agreement unless it exists. Exits on failure.
void EnsureAgreement(const Config& c,
                     const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = exchanges::v1::ExchangesService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + c.deadline);
  if (!c.token.empty())
    context.AddMetadata("authorization", absl::StrCat("Bearer ", c.token));
  exchanges::v1::Agreement agreement;
  const grpc::Status status = stub->CreateAgreement(
      &context, BenchAgreementRequest(c.requests.agreement), &agreement);
  // Already there (made another way, or by an earlier run): as good.
  if (status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS)
    return;
  std::fprintf(stderr, "parley-loadgen: cannot create %s: %s\n",
               c.requests.agreement.c_str(), Describe(status).c_str());
  std::exit(kExitFailed);
}

// What the clients share: the plan, and what went wrong.
struct Run {
  const Config* config;
  std::string path;
  Clock::time_point measure_start;
  Clock::time_point measure_end;  // without --count
  std::atomic<uint64_t> next_call{0};
  std::atomic<int64_t> measured_started{0};
  std::atomic<int64_t> completed{0};
  std::atomic<int64_t> failed{0};
  std::atomic<bool> stop{false};

  absl::Mutex mu;
  int active ABSL_GUARDED_BY(mu) = 0;
  bool aborted ABSL_GUARDED_BY(mu) = false;
  std::map<std::string, int64_t> errors ABSL_GUARDED_BY(mu);
  std::string first_error ABSL_GUARDED_BY(mu);
  // The size of the first response that succeeded.
  std::atomic<bool> first_response_taken{false};
  std::atomic<int64_t> response_bytes{0};
  // Reports whose response says they left a section out (a report that
  // did not read its data measures nothing), and the first one's sections.
  int64_t missing_responses ABSL_GUARDED_BY(mu) = 0;
  std::vector<std::string> missing ABSL_GUARDED_BY(mu);

  void Failed(const grpc::Status& status) {
    const int64_t failed_now = failed.fetch_add(1) + 1;
    const int64_t completed_now = completed.load();
    absl::MutexLock lock(&mu);
    ++errors[CodeName(status.error_code())];
    if (first_error.empty()) first_error = Describe(status);
    // All of the first calls failed, or so many that the run means
    // nothing: stop now rather than hammer a broken server.
    if ((failed_now >= kFirstCalls && failed_now == completed_now) ||
        (failed_now > 1000 && failed_now * 100 > completed_now)) {
      aborted = true;
      stop = true;
    }
  }
};

class Client {
 public:
  Client(Run* run, grpc::GenericStub* stub)
      : run_(run),
        stub_(stub),
        requests_(run->config->method, run->config->requests) {
    if (!requests_.varies()) fixed_ = grpc::Slice(requests_.Next(0));
  }

  void Start() {
    {
      absl::MutexLock lock(&run_->mu);
      ++run_->active;
    }
    Issue();
  }

  const std::vector<int64_t>& samples() const { return samples_; }
  int64_t measured_errors() const { return measured_errors_; }
  Clock::time_point last_completion() const { return last_completion_; }

 private:
  void Issue() {
    const Config& c = *run_->config;
    const Clock::time_point now = Clock::now();
    measured_ = now >= run_->measure_start;
    if (run_->stop.load(std::memory_order_relaxed) ||
        (measured_ &&
         (c.count > 0 ? run_->measured_started.fetch_add(1) >= c.count
                      : now >= run_->measure_end))) {
      absl::MutexLock lock(&run_->mu);
      --run_->active;
      return;
    }
    const uint64_t n = run_->next_call.fetch_add(1);
    grpc::Slice slice =
        requests_.varies() ? grpc::Slice(requests_.Next(n)) : fixed_;
    request_ = grpc::ByteBuffer(&slice, 1);
    response_.Clear();
    context_ = std::make_unique<grpc::ClientContext>();
    if (!c.token.empty())
      context_->AddMetadata("authorization", absl::StrCat("Bearer ", c.token));
    start_ = Clock::now();
    context_->set_deadline(std::chrono::system_clock::now() + c.deadline);
    stub_->UnaryCall(context_.get(), run_->path, grpc::StubOptions(), &request_,
                     &response_, [this](grpc::Status status) { Done(status); });
  }

  void Done(const grpc::Status& status) {
    const Clock::time_point end = Clock::now();
    run_->completed.fetch_add(1);
    if (!status.ok()) run_->Failed(status);
    if (status.ok()) CheckResponse();
    if (measured_) {
      if (status.ok()) {
        samples_.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(end - start_)
                .count());
      } else {
        ++measured_errors_;
      }
      last_completion_ = std::max(last_completion_, end);
    }
    Issue();
  }

  void CheckResponse() {
    if (!run_->first_response_taken.exchange(true))
      run_->response_bytes = static_cast<int64_t>(response_.Length());
    if (!IsReport(run_->config->method)) return;
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (response_.Dump(&slices).ok()) {
      for (const grpc::Slice& slice : slices) {
        bytes.append(reinterpret_cast<const char*>(slice.begin()),
                     slice.size());
      }
    }
    std::vector<std::string> missing =
        MissingSections(run_->config->method, bytes);
    if (missing.empty()) return;
    absl::MutexLock lock(&run_->mu);
    if (run_->missing_responses++ == 0) run_->missing = std::move(missing);
  }

  Run* const run_;
  grpc::GenericStub* const stub_;
  Requests requests_;
  grpc::Slice fixed_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::unique_ptr<grpc::ClientContext> context_;
  Clock::time_point start_;
  bool measured_ = false;
  std::vector<int64_t> samples_;
  int64_t measured_errors_ = 0;
  Clock::time_point last_completion_{};
};

// Nearest rank: the smallest sample with at least `p` of them at or below.
double PercentileMs(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p * sorted.size()));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1] / 1e6;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "closed-loop gRPC load generator: parley-loadgen --target=host:port "
      "--method=get_agreement --concurrency=8 --duration_seconds=10");
  CheckFlags(argc, argv);
  absl::ParseCommandLine(argc, argv);
  const Config c = ConfigFromFlags();

  std::vector<std::shared_ptr<grpc::Channel>> channels = Connect(c);
  if (c.ensure_agreement) EnsureAgreement(c, channels[0]);
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (auto& channel : channels)
    stubs.push_back(std::make_unique<grpc::GenericStub>(channel));

  Run run;
  run.config = &c;
  run.path = MethodPath(c.method);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < c.concurrency; ++i) {
    clients.push_back(
        std::make_unique<Client>(&run, stubs[i % stubs.size()].get()));
  }
  const Clock::time_point began = Clock::now();
  run.measure_start =
      began + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(c.warmup_seconds));
  run.measure_end = run.measure_start +
                    std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(c.duration_seconds));
  for (auto& client : clients) client->Start();

  // Wait for every client to stop, saying how far a long run has got.
  {
    absl::MutexLock lock(&run.mu);
    auto all_stopped = [&run]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(run.mu) {
      return run.active == 0;
    };
    while (!run.mu.AwaitWithTimeout(absl::Condition(&all_stopped),
                                    absl::Seconds(10))) {
      std::fprintf(
          stderr, "parley-loadgen: %s: %lld calls, %lld failed, %.0f s\n",
          MethodName(c.method), static_cast<long long>(run.completed.load()),
          static_cast<long long>(run.failed.load()),
          std::chrono::duration<double>(Clock::now() - began).count());
    }
  }

  std::vector<int64_t> samples;
  int64_t measured_errors = 0;
  Clock::time_point last = run.measure_start;
  for (const auto& client : clients) {
    samples.insert(samples.end(), client->samples().begin(),
                   client->samples().end());
    measured_errors += client->measured_errors();
    last = std::max(last, client->last_completion());
  }
  std::sort(samples.begin(), samples.end());
  const int64_t calls = static_cast<int64_t>(samples.size());
  const double seconds =
      std::chrono::duration<double>(last - run.measure_start).count();
  const double throughput = seconds > 0 ? calls / seconds : 0;
  const int64_t completed = run.completed.load();
  const int64_t failed = run.failed.load();

  absl::MutexLock lock(&run.mu);
  std::string errors_text;
  for (const auto& [code, n] : run.errors)
    absl::StrAppend(&errors_text, " ", code, "=", n);
  const std::string line = absl::StrFormat(
      "%s target=%s concurrency=%d channels=%d payload=%s calls=%d errors=%d%s "
      "seconds=%.2f throughput=%.1f/s p50=%.3fms p90=%.3fms p99=%.3fms "
      "p99.9=%.3fms max=%.3fms response_bytes=%d%s",
      c.preload ? "preload(create_exchange)" : MethodName(c.method), c.target,
      c.concurrency, c.channels, c.payload, calls, failed, errors_text, seconds,
      throughput, PercentileMs(samples, 0.5), PercentileMs(samples, 0.9),
      PercentileMs(samples, 0.99), PercentileMs(samples, 0.999),
      samples.empty() ? 0.0 : samples.back() / 1e6, run.response_bytes.load(),
      run.missing_responses == 0
          ? ""
          : absl::StrCat(" missing_sections_in=", run.missing_responses));
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);

  std::string hint;
  if (absl::StrContains(run.first_error, "does not exist") &&
      c.method == Method::kCreateExchange && !c.ensure_agreement)
    hint = " (--ensure_agreement creates the agreement)";
  if (run.aborted && failed == completed) {
    std::fprintf(stderr,
                 "parley-loadgen: all of the first %lld calls failed; first "
                 "error: %s%s\n",
                 static_cast<long long>(completed), run.first_error.c_str(),
                 hint.c_str());
    return kExitFailed;
  }
  if (completed == 0 || calls == 0) {
    std::fprintf(
        stderr,
        "parley-loadgen: no call succeeded in the measured window%s%s\n",
        run.first_error.empty() ? "" : "; first error: ",
        run.first_error.c_str());
    return kExitFailed;
  }
  if (failed * 100 > completed || run.aborted) {
    std::fprintf(stderr,
                 "parley-loadgen: %lld of %lld calls failed (more than 1%%); "
                 "first error: %s%s\n",
                 static_cast<long long>(failed),
                 static_cast<long long>(completed), run.first_error.c_str(),
                 hint.c_str());
    return kExitFailed;
  }
  if (failed > 0) {
    std::fprintf(
        stderr,
        "parley-loadgen: %lld calls failed (%lld measured); first error: %s\n",
        static_cast<long long>(failed), static_cast<long long>(measured_errors),
        run.first_error.c_str());
  }

  if (run.missing_responses > 0) {
    std::fprintf(stderr,
                 "parley-loadgen: %lld of %lld reports left a section out; "
                 "the first left out:\n",
                 static_cast<long long>(run.missing_responses),
                 static_cast<long long>(completed - failed));
    for (const std::string& missing : run.missing)
      std::fprintf(stderr, "  %s\n", missing.c_str());
  }
  if (!run.missing.empty() && !c.allow_missing) {
    std::fprintf(stderr,
                 "parley-loadgen: a report that leaves a section out is not "
                 "the work measured (--allow_missing to accept it)\n");
    return kExitFailed;
  }

  if (!c.json_out.empty()) {
    nlohmann::json errors_by_code = nlohmann::json::object();
    for (const auto& [code, n] : run.errors) errors_by_code[code] = n;
    const nlohmann::json result = {
        {"method", MethodName(c.method)},
        {"target", c.target},
        {"concurrency", c.concurrency},
        {"channels", c.channels},
        {"payload", c.payload},
        {"preload", c.preload},
        {"calls", calls},
        {"errors", failed},
        {"errors_by_code", errors_by_code},
        {"seconds", seconds},
        {"throughput", throughput},
        {"p50_ms", PercentileMs(samples, 0.5)},
        {"p90_ms", PercentileMs(samples, 0.9)},
        {"p99_ms", PercentileMs(samples, 0.99)},
        {"p999_ms", PercentileMs(samples, 0.999)},
        {"max_ms", samples.back() / 1e6},
        {"response_bytes", run.response_bytes.load()},
        {"missing_responses", run.missing_responses},
        {"missing", run.missing},
    };
    std::ofstream out(c.json_out, std::ios::trunc);
    out << result.dump() << "\n";
    out.close();
    if (!out) {
      std::fprintf(stderr, "parley-loadgen: cannot write %s\n",
                   c.json_out.c_str());
      return kExitFailed;
    }
  }
  return 0;
}

}  // namespace
}  // namespace parley::bench

int main(int argc, char** argv) { return parley::bench::Main(argc, argv); }
