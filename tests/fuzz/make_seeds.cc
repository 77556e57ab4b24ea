// Writes the seed inputs of every fuzz target into <corpus>/<target>/seed-*
// (replacing the seed files there, leaving the rest), from the seed week
// (deploy/seed/*.jsonl, compiled in) and from forms the code documents:
//
//   parley_fuzz_make_seeds tests/fuzz/corpus
//
// Each file is laid out as its target's header comment says.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/api/paging.h"
#include "common/model/date_span.h"
#include "common/model/keys.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "parley/reports/v1/reports_service.grpc.pb.h"
#include "tests/fuzz/domains.h"
#include "tests/fuzz/seed_week.h"

namespace parley::fuzz {
namespace {

namespace fs = std::filesystem;
using ::google::protobuf::FieldDescriptor;

class Corpus {
 public:
  explicit Corpus(fs::path root) : root_(std::move(root)) {}

  // Adds seed-<label>-<n> to the target's folder (emptied of seed files on
  // first use).
  void Add(const std::string& target, const std::string& label,
           const std::string& bytes) {
    const fs::path dir = root_ / target;
    if (cleared_.insert({target, 0}).second) {
      fs::create_directories(dir);
      for (const auto& entry : fs::directory_iterator(dir)) {
        if (absl::StartsWith(entry.path().filename().string(), "seed-")) {
          fs::remove(entry.path());
        }
      }
    }
    int& n = counts_[target + "/" + label];
    const fs::path path = dir / absl::StrCat("seed-", label, "-", n++);
    std::ofstream(path, std::ios::binary) << bytes;
  }

  void Report() const {
    std::map<std::string, int> per_target;
    for (const auto& [key, n] : counts_) {
      per_target[key.substr(0, key.find('/'))] += n;
    }
    for (const auto& [target, n] : per_target) {
      std::printf("%-14s %d seeds\n", target.c_str(), n);
    }
  }

 private:
  fs::path root_;
  std::map<std::string, int> cleared_;
  std::map<std::string, int> counts_;
};

// Every string field's value in `m` and below.
std::vector<std::string> Strings(const Message& m) {
  std::vector<std::string> out;
  Walk(m, [&out](const Message& sub) {
    std::vector<const FieldDescriptor*> fields;
    sub.GetReflection()->ListFields(sub, &fields);
    for (const auto* f : fields) {
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_STRING || f->is_repeated())
        continue;
      out.push_back(sub.GetReflection()->GetString(sub, f));
    }
  });
  return out;
}

std::string Bytes(uint8_t a, uint8_t b) {
  return std::string{static_cast<char>(a), static_cast<char>(b)};
}

// The seed week's records, as created: (method, Create request).
struct Seeds {
  std::vector<std::unique_ptr<Message>> records;  // every record
  std::vector<std::string> names;
};

template <typename Domain>
Seeds RecordsOf(const std::vector<DomainMethod<Domain>>& methods,
                const char* jsonl) {
  Seeds out;
  for (auto& seed : SeedCreates(methods, jsonl)) {
    const Message& request = *seed.request;
    const auto* d = request.GetDescriptor();
    std::unique_ptr<Message> record(
        request.GetReflection()
            ->GetMessage(request, d->FindFieldByNumber(1))
            .New());
    record->CopyFrom(
        request.GetReflection()->GetMessage(request, d->FindFieldByNumber(1)));
    const std::string name = absl::StrCat(
        seed.method->creates, "/",
        request.GetReflection()->GetString(request, d->FindFieldByNumber(2)));
    MutableMetadata(record.get())->set_name(name);
    out.names.push_back(name);
    out.records.push_back(std::move(record));
  }
  return out;
}

// Sets one List or Summarize filter of `r` to a value the seed week has;
// false if `f` is none this knows.
bool SetFilter(Message* r, const FieldDescriptor* f) {
  const auto* reflection = r->GetReflection();
  if (f->name() == "page_size") {
    reflection->SetInt32(r, f, 1);
  } else if (f->name() == "span") {
    reflection->SetString(r, f, "2026-01");
  } else if (f->name() == "as_of") {
    reflection->SetString(r, f, "2026-W05");
  } else if (f->name() == "agreement") {
    reflection->SetString(r, f, "agreements/istanbul-2025");
  } else if (absl::StrContains(f->name(), "party") ||
             absl::StrContains(f->name(), "country") || f->name() == "region") {
    reflection->SetString(r, f, "UA");
  } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    reflection->SetEnumValue(r, f, 1);
  } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
    reflection->SetInt64(r, f, 1);
  } else if (f->name() == "read_time") {
    auto* t = reflection->MutableMessage(r, f);
    t->GetReflection()->SetInt64(
        t, t->GetDescriptor()->FindFieldByName("seconds"), 4102444800);
  } else {
    return false;
  }
  return true;
}

// List or Summarize requests: none set, each filter alone, and all the
// filters but read_time together.
std::vector<std::unique_ptr<Message>> FilteredRequests(const Message& type) {
  std::vector<std::unique_ptr<Message>> out;
  out.emplace_back(type.New());
  std::unique_ptr<Message> all(type.New());
  const auto* d = type.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    std::unique_ptr<Message> r(type.New());
    if (!SetFilter(r.get(), d->field(i))) continue;
    out.push_back(std::move(r));
    if (d->field(i)->name() != "read_time") SetFilter(all.get(), d->field(i));
  }
  out.push_back(std::move(all));
  return out;
}

// The domain target's seeds and the gateway_call seeds of the same calls.
template <typename Domain>
void DomainSeeds(Corpus& corpus, const std::string& target,
                 const std::string& service,
                 const std::vector<DomainMethod<Domain>>& methods,
                 const char* jsonl) {
  const Seeds seeds = RecordsOf(methods, jsonl);
  const auto creates = SeedCreates(methods, jsonl);
  for (size_t index = 0; index < methods.size(); ++index) {
    const DomainMethod<Domain>& m = methods[index];
    std::vector<std::pair<uint8_t, std::string>> requests;  // (flags, bytes)
    const auto add = [&requests](const Message& r, uint8_t flags = 0) {
      requests.emplace_back(flags, r.SerializeAsString());
    };
    const auto* d = m.request_type->GetDescriptor();
    const auto* record_field = d->FindFieldByNumber(1);
    const google::protobuf::Descriptor* record_type =
        record_field != nullptr && record_field->message_type() != nullptr
            ? record_field->message_type()
            : nullptr;
    if (!m.creates.empty() || m.name == "ReportPosition") {
      for (const auto& c : creates) {
        if (c.request->GetDescriptor()->FindFieldByNumber(1)->message_type() !=
            record_type) {
          continue;
        }
        std::unique_ptr<Message> r(m.request_type->New());
        const Message& record = c.request->GetReflection()->GetMessage(
            *c.request, c.request->GetDescriptor()->FindFieldByNumber(1));
        r->GetReflection()
            ->MutableMessage(r.get(), record_field)
            ->CopyFrom(record);
        add(*r);  // no id: generated
        if (m.creates.empty()) continue;
        r->CopyFrom(*c.request);
        add(*r);
        r->GetReflection()->SetString(r.get(), d->FindFieldByName("request_id"),
                                      "seed-request");
        add(*r);
      }
    } else if (absl::StartsWith(m.name, "Delete")) {
      // Records that are not there, and one that is with a stale etag: a
      // replay keeps the seed week whole for the inputs after these.
      std::unique_ptr<Message> r(m.request_type->New());
      for (const auto& name : seeds.names) {
        r->GetReflection()->SetString(r.get(), d->FindFieldByName("name"),
                                      absl::StrCat(name, "-gone"));
        add(*r);
      }
      r->GetReflection()->SetString(r.get(), d->FindFieldByName("name"),
                                    seeds.names.front());
      r->GetReflection()->SetString(r.get(), d->FindFieldByName("etag"),
                                    "1-0123456789abcdef");
      add(*r);
    } else if (absl::StartsWith(m.name, "Get") || m.name == "ListRevisions") {
      for (const auto& name : seeds.names) {
        std::unique_ptr<Message> r(m.request_type->New());
        r->GetReflection()->SetString(r.get(), d->FindFieldByName("name"),
                                      name);
        add(*r);
      }
      std::unique_ptr<Message> r(m.request_type->New());
      r->GetReflection()->SetString(r.get(), d->FindFieldByName("name"),
                                    seeds.names.front());
      if (const auto* size = d->FindFieldByName("page_size")) {
        r->GetReflection()->SetInt32(r.get(), size, 1);
        ::parley::api::v1::PageToken token;
        std::string last;
        keys::AppendUint64(&last, 1);
        token.set_last_key(last);
        r->GetReflection()->SetString(r.get(), d->FindFieldByName("page_token"),
                                      token.SerializeAsString());
        add(*r, 0x01);
        r->GetReflection()->ClearField(r.get(),
                                       d->FindFieldByName("page_token"));
      } else if (const auto* read_time = d->FindFieldByName("read_time")) {
        // 2100-01-01: the latest revision, read through history.
        auto* t = r->GetReflection()->MutableMessage(r.get(), read_time);
        t->GetReflection()->SetInt64(
            t, t->GetDescriptor()->FindFieldByName("seconds"), 4102444800);
      }
      add(*r);
    } else if (absl::StartsWith(m.name, "Update")) {
      for (const auto& record : seeds.records) {
        if (record->GetDescriptor() != record_type) continue;
        std::unique_ptr<Message> r(m.request_type->New());
        r->GetReflection()
            ->MutableMessage(r.get(), record_field)
            ->CopyFrom(*record);
        add(*r);  // every field set in the patch
        auto* mask = r->GetReflection()->MutableMessage(
            r.get(), d->FindFieldByName("update_mask"));
        mask->GetReflection()->AddString(
            mask, mask->GetDescriptor()->FindFieldByName("paths"), "sources");
        add(*r);
      }
    } else {
      // List and Summarize: each filter alone; and a forged token of each
      // scan plan.
      for (const auto& r : FilteredRequests(*m.request_type)) add(*r);
      if (const auto* token_field = d->FindFieldByName("page_token")) {
        for (uint32_t plan = 0; plan < 4; ++plan) {
          std::unique_ptr<Message> r(m.request_type->New());
          ::parley::api::v1::PageToken token;
          token.set_plan(plan);
          std::string key;
          keys::AppendString(&key, seeds.names.front().substr(
                                       0, seeds.names.front().find('/')));
          token.set_last_key(key);
          r->GetReflection()->SetString(r.get(), token_field,
                                        token.SerializeAsString());
          add(*r, 0x01);
        }
      }
    }
    for (const auto& [flags, bytes] : requests) {
      // Named in method order, so that a replay runs each collection's
      // reads and updates before its deletes.
      corpus.Add(
          target, absl::StrFormat("%02d-%s", index, m.name),
          absl::StrCat(Bytes(static_cast<uint8_t>(index), flags), bytes));
      if (flags != 0) continue;
      // Through the gateway: an editor (who may do all of these), and a
      // reader for reads.
      const bool read = absl::StartsWith(m.name, "Get") ||
                        absl::StartsWith(m.name, "List") ||
                        absl::StartsWith(m.name, "Summarize");
      corpus.Add("gateway_call",
                 absl::StrFormat("%s-%02d-%s", target, index, m.name),
                 absl::StrCat(std::string(1, read ? 0 : 1), "/", service, "/",
                              m.name, "\n\n", bytes));
    }
  }
}

void DateSpanSeeds(Corpus& corpus, const std::vector<std::string>& strings) {
  std::vector<std::string> spans;
  for (const auto& s : strings) {
    if (DateSpan::Parse(s).ok()) spans.push_back(s);
  }
  for (const char* s :
       {"2026-w5", " 2026-01-20 / 2026-01-24 ", "9999-W52", "9999-W51",
        "0001-W01", "2024-02-29", "2025-02-29", "2026-W53", "2020-W53",
        "9999-12-31", "0001-01-01", "2026-13", "2026-1-5", "20260127",
        "2025/2024", "2025//2026", "-2025", "2026-W05/2026"}) {
    spans.push_back(s);
  }
  for (size_t i = 0; i < spans.size(); ++i) {
    corpus.Add("date_span", "span",
               absl::StrCat(spans[i], "\n", spans[(i + 1) % spans.size()]));
  }
}

void EstimateSeeds(Corpus& corpus, const std::vector<const Message*>& records) {
  std::vector<std::string> estimates;
  for (const Message* record : records) {
    Walk(*record, [&estimates](const Message& m) {
      if (m.GetDescriptor() == Estimate::descriptor()) {
        estimates.push_back(m.SerializeAsString());
      }
    });
  }
  for (const char* json : {R"({"best": 38, "qualifier": "QUALIFIER_EXACT"})",
                           R"({"low": 5, "qualifier": "QUALIFIER_AT_LEAST"})",
                           R"({"high": 200, "qualifier": "QUALIFIER_AT_MOST"})",
                           R"({"best": 1000, "qualifier": "QUALIFIER_ABOUT",
            "claims": [{"value": 900}, {"value": 1200}]})"}) {
    Estimate e;
    if (google::protobuf::util::JsonStringToMessage(json, &e).ok()) {
      estimates.push_back(e.SerializeAsString());
    }
  }
  // Two or three to a file, so that sums have parts.
  for (size_t i = 0; i < estimates.size(); ++i) {
    std::string input;
    for (size_t k = 0; k < 1 + i % 3; ++k) {
      const std::string& e = estimates[(i + k) % estimates.size()];
      if (e.size() > 255) continue;
      absl::StrAppend(&input, std::string(1, static_cast<char>(e.size())), e);
    }
    corpus.Add("estimate", "estimates", input);
  }
}

void KeysSeeds(Corpus& corpus) {
  std::string key;
  keys::AppendString(&key, "agreements");
  key.push_back('d');
  keys::AppendInt64(&key, -3);
  keys::AppendString(&key, std::string("a\0b", 3));
  keys::AppendUint64(&key, 42);
  // Decode: kinds (0 uint64, 1 int64, 2 string), then the bytes.
  corpus.Add("keys", "decode", absl::StrCat(std::string(1, 0), "2", "\n", key));
  corpus.Add("keys", "decode",
             absl::StrCat(std::string(1, 0), std::string{2, 1, 2, 0}, "\n",
                          key.substr(12)));
  corpus.Add("keys", "decode",
             absl::StrCat(std::string(1, 0), std::string{2}, "\n",
                          std::string("ab\0", 3)));
  // Order: two numbers, a length, two strings.
  corpus.Add("keys", "order",
             absl::StrCat(std::string(1, 1), std::string(16, '\x80'),
                          std::string(1, 2), "ab", std::string("a\0", 2)));
  corpus.Add(
      "keys", "successor",
      absl::StrCat(std::string(1, 2), std::string(1, 3), "a\xff\xff", "tail"));
}

void PageTokenSeeds(Corpus& corpus) {
  using ::parley::api::v1::PageToken;
  for (uint32_t plan = 0; plan < 4; ++plan) {
    PageToken token;
    token.set_query_fingerprint(0x5eed5eed5eed5eedull);
    token.set_plan(plan);
    std::string key;
    keys::AppendString(&key, "exchanges");
    keys::AppendUint64(&key, plan);
    token.set_last_key(key);
    corpus.Add("page_token", "decode",
               absl::StrCat(std::string(1, 0), EncodePageToken(token)));
    corpus.Add("page_token", "forged",
               absl::StrCat(std::string(1, 1), token.SerializeAsString()));
  }
  corpus.Add("page_token", "decode", absl::StrCat(std::string(1, 0), "AAAA=="));
  exchanges::v1::ListExchangesRequest request;
  request.set_span("2026-01");
  request.set_party("UA");
  request.set_page_size(2);
  corpus.Add("page_token", "fingerprint",
             absl::StrCat(std::string(1, 2), request.SerializeAsString()));
}

void AuthSeeds(Corpus& corpus) {
  const std::string file = absl::StrCat(
      "# tokens\n", Sha256Hex("a"), " reader desk-reader\n\n", Sha256Hex("b"),
      "\teditor  seed-loader\n", Sha256Hex("c"), " admin ops@example.org\r\n");
  corpus.Add("auth", "file", absl::StrCat(std::string(1, 0), file));
  corpus.Add("auth", "file",
             absl::StrCat(std::string(1, 0), Sha256Hex("a"), " root x\n"));
  corpus.Add("auth", "tokens",
             absl::StrCat(std::string(1, 1),
                          "tok-1 reader desk-reader\ntok-2 admin boss\n"));
  corpus.Add("auth", "metadata",
             absl::StrCat(std::string(1, 2),
                          "authorization: Bearer reader-token\n"
                          "x-parley-caller: analyst-7\n"));
  corpus.Add("auth", "metadata",
             absl::StrCat(std::string(1, 2),
                          "authorization: bearer   service-credential-"
                          "0123456789  \nx-parley-caller: seed-loader\n"));
  corpus.Add("auth", "metadata",
             absl::StrCat(std::string(1, 2), "authorization: Basic Zm9v\n"));
  for (const char* method :
       {"parley.exchanges.v1.ExchangesService/CreateExchange",
        "parley.exchanges.v1.ExchangesService/ListExchanges",
        "parley.incidents.v1.IncidentsService/SummarizeIncidents",
        "parley.admin.v1.AdminService/ListBackups",
        "parley.reports.v1.ReportService/GetSummary", "editor"}) {
    corpus.Add("auth", "role", absl::StrCat(std::string(1, 3), method));
  }
}

void GatewaySeeds(Corpus& corpus) {
  // Headers.
  corpus.Add("gateway_route", "headers",
             absl::StrCat(std::string(1, 0),
                          "authorization: Bearer x\nx-parley-caller: me\n"
                          "x-request-id: abc\ntrace-bin: \x01\x02\n"
                          "grpc-timeout: 1S\nuser-agent: fuzz\n"));
  // Paths and bodies.
  exchanges::v1::CreateExchangeRequest create;
  create.set_exchange_id("x");
  create.mutable_exchange()->set_occurred("2026-W05");
  reports::v1::GetSummaryRequest summary;
  summary.set_span("2026-W05");
  summary.set_region("UA");
  for (const auto& [path, body] :
       std::vector<std::pair<std::string, std::string>>{
           {"/parley.exchanges.v1.ExchangesService/CreateExchange",
            create.SerializeAsString()},
           {"/parley.reports.v1.ReportService/GetSummary",
            summary.SerializeAsString()},
           {"/parley.admin.v1.AdminService/ListBackups", ""},
           {"/parley.exchanges.v1.ExchangesService/NoSuchMethod", "\x0a\x01"},
       }) {
    corpus.Add(
        "gateway_route", "request",
        absl::StrCat(std::string(1, 1), std::string(1, 3), path, "\n", body));
  }
  // Statuses, one with field violations.
  google::rpc::BadRequest bad;
  auto* v = bad.add_field_violations();
  v->set_field("exchange.occurred");
  v->set_description("required");
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("invalid request");
  details.add_details()->PackFrom(bad);
  corpus.Add("gateway_route", "status",
             absl::StrCat(std::string(1, 2), std::string(1, 3),
                          "invalid request\n", details.SerializeAsString()));
  corpus.Add(
      "gateway_route", "status",
      absl::StrCat(std::string(1, 2), std::string(1, 14), "unavailable\n"));

  // Reports and admin through the gateway, by a reader and an admin.
  const std::pair<const char*, const char*> reports[] = {
      {"GetAgreementProgress",
       R"({"agreement": "agreements/istanbul-2025", "asOf": "2026-W05"})"},
      {"ListStalledChannels", R"({"thresholdDays": 60, "asOf": "2026-01-27"})"},
      {"GetTalksContext", R"({"round": "rounds/uae-2026-01", "daysBefore": 7,
                              "daysAfter": 7})"},
      {"GetSummary", R"({"span": "2026-W05", "region": "UA",
                         "parties": ["RU", "UA"]})"},
  };
  for (const auto& [method, json] : reports) {
    std::unique_ptr<Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(google::protobuf::DescriptorPool::generated_pool()
                               ->FindMessageTypeByName(absl::StrCat(
                                   "parley.reports.v1.", method, "Request")))
            ->New());
    const auto parsed =
        google::protobuf::util::JsonStringToMessage(json, request.get());
    if (!parsed.ok()) {
      std::fprintf(stderr, "%s: %s\n", method, parsed.ToString().c_str());
      std::exit(1);
    }
    corpus.Add(
        "gateway_call", method,
        absl::StrCat(std::string(1, 0), "/parley.reports.v1.ReportService/",
                     method, "\nx-request-id: seed\n\n",
                     request->SerializeAsString()));
  }
  corpus.Add("gateway_call", "admin",
             absl::StrCat(std::string(1, 2),
                          "/parley.admin.v1.AdminService/ListBackups\n\n"));
  corpus.Add("gateway_call", "unknown",
             absl::StrCat(std::string(1, 1),
                          "/parley.exchanges.v1.ExchangesService/Nope\n\n"));
  corpus.Add("gateway_call", "anonymous",
             absl::StrCat(std::string(1, 5),
                          "/parley.exchanges.v1.ExchangesService/"
                          "ListAgreements\n\n"));
}

void RevisionsSeeds(Corpus& corpus, size_t records) {
  std::string last;
  keys::AppendUint64(&last, 1);
  for (size_t r = 0; r < records; ++r) {
    const char record = static_cast<char>(r);
    corpus.Add("revisions", "list",
               absl::StrCat(std::string{0, record, 1}, last));
    corpus.Add("revisions", "token", std::string{1, record, 0});
    corpus.Add("revisions", "update", std::string{2, record, 1});
    corpus.Add("revisions", "update",
               absl::StrCat(std::string{2, record, 0}, "1-0123456789abcdef"));
    corpus.Add("revisions", "delete", std::string{3, record, 1});
    corpus.Add(
        "revisions", "get",
        absl::StrCat(std::string{4, record, 0},
                     std::string("\x00\x6d\x55\x69\x00\x00\x00\x00", 8)));
  }
}

}  // namespace
}  // namespace parley::fuzz

int main(int argc, char** argv) {
  using namespace parley::fuzz;  // NOLINT(build/namespaces)
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  Corpus corpus(argv[1]);
  DomainSeeds(corpus, "exchanges", "parley.exchanges.v1.ExchangesService",
              ExchangesMethods(), kSeedExchangesJsonl);
  DomainSeeds(corpus, "negotiations",
              "parley.negotiations.v1.NegotiationsService",
              NegotiationsMethods(), kSeedNegotiationsJsonl);
  DomainSeeds(corpus, "incidents", "parley.incidents.v1.IncidentsService",
              IncidentsMethods(), kSeedIncidentsJsonl);

  const Seeds exchanges = RecordsOf(ExchangesMethods(), kSeedExchangesJsonl);
  const Seeds negotiations =
      RecordsOf(NegotiationsMethods(), kSeedNegotiationsJsonl);
  const Seeds incidents = RecordsOf(IncidentsMethods(), kSeedIncidentsJsonl);
  std::vector<const Message*> records;
  std::vector<std::string> strings;
  for (const Seeds* seeds : {&exchanges, &negotiations, &incidents}) {
    for (const auto& r : seeds->records) {
      records.push_back(r.get());
      for (auto& s : Strings(*r)) strings.push_back(std::move(s));
    }
  }
  DateSpanSeeds(corpus, strings);
  EstimateSeeds(corpus, records);
  KeysSeeds(corpus);
  PageTokenSeeds(corpus);
  AuthSeeds(corpus);
  GatewaySeeds(corpus);
  RevisionsSeeds(corpus, exchanges.records.size());
  corpus.Report();
  return 0;
}
