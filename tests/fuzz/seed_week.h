// The seed week (deploy/seed/*.jsonl, compiled in): each record as the
// Create request `parleyctl import` would send, for the stateful targets to
// load into their store and for make_seeds to build the corpora from.
#ifndef PARLEY_TESTS_FUZZ_SEED_WEEK_H_
#define PARLEY_TESTS_FUZZ_SEED_WEEK_H_

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "tests/fuzz/domains.h"

namespace parley::fuzz {

// The files' text.
extern const char kSeedExchangesJsonl[];
extern const char kSeedNegotiationsJsonl[];
extern const char kSeedIncidentsJsonl[];

template <typename Domain>
struct SeedCreate {
  const DomainMethod<Domain>* method;
  std::unique_ptr<Message> request;
};

[[noreturn]] inline void BadSeed(absl::string_view line,
                                 absl::string_view why) {
  std::fprintf(stderr, "fuzz: seed record %.*s: %.*s\n",
               static_cast<int>(line.size()), line.data(),
               static_cast<int>(why.size()), why.data());
  std::abort();
}

// Each line of `jsonl` as a Create request of `methods`, in file order
// (records refer to earlier ones). Aborts on a line it cannot place: the
// seed files are ours.
template <typename Domain>
std::vector<SeedCreate<Domain>> SeedCreates(
    const std::vector<DomainMethod<Domain>>& methods, absl::string_view jsonl) {
  std::vector<SeedCreate<Domain>> out;
  for (absl::string_view line :
       absl::StrSplit(jsonl, '\n', absl::SkipEmpty())) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.contains("metadata")) {
      BadSeed(line, "not a JSON record with metadata");
    }
    const std::string name = record["metadata"]["name"];
    record.erase("metadata");
    const std::string collection = name.substr(0, name.find('/'));
    const DomainMethod<Domain>* create = nullptr;
    for (const auto& m : methods) {
      if (m.creates == collection) create = &m;
    }
    if (create == nullptr) BadSeed(line, "no Create for its collection");
    std::unique_ptr<Message> request(create->request_type->New());
    // Create requests hold the record in field 1 and its id in field 2.
    const auto* descriptor = request->GetDescriptor();
    const auto* record_field = descriptor->FindFieldByNumber(1);
    const auto* id_field = descriptor->FindFieldByNumber(2);
    Message* resource =
        request->GetReflection()->MutableMessage(request.get(), record_field);
    const auto parsed =
        google::protobuf::util::JsonStringToMessage(record.dump(), resource);
    if (!parsed.ok()) BadSeed(line, parsed.ToString());
    request->GetReflection()->SetString(request.get(), id_field,
                                        name.substr(name.find('/') + 1));
    out.push_back({create, std::move(request)});
  }
  return out;
}

// Every sub-message of `m` (itself included), depth first.
inline void Walk(const Message& m,
                 const std::function<void(const Message&)>& fn) {
  fn(m);
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    if (f->is_repeated()) {
      for (int i = 0; i < m.GetReflection()->FieldSize(m, f); ++i) {
        Walk(m.GetReflection()->GetRepeatedMessage(m, f, i), fn);
      }
    } else {
      Walk(m.GetReflection()->GetMessage(m, f), fn);
    }
  }
}

// Every string in the seed week's Create requests (names, ids, dates,
// country codes, texts), and strings at the edges of what validation
// takes: a dictionary for the structure-aware mutators.
inline std::vector<std::string> SeedStrings() {
  std::vector<std::string> out = {"*",
                                  "/",
                                  "a",
                                  "UA",
                                  "RU",
                                  "XX",
                                  "2026",
                                  "2026-W05",
                                  "2026-W53",
                                  "9999-W52",
                                  "0001-01-01",
                                  "9999-12-31",
                                  "2026-01-20/2026-01-24",
                                  "agreements/",
                                  "exchanges/x",
                                  "channels/pow-ru-ua",
                                  "rounds/",
                                  "incidents/",
                                  "positions/",
                                  "statements/",
                                  "channelStatuses/",
                                  "description",
                                  "sources",
                                  "place.country",
                                  "metadata.etag",
                                  "https://example.org/a",
                                  std::string(4097, 'a'),
                                  std::string(64, 'a'),
                                  "\xc3\xa9\xc3\xa9\xc3\xa9",
                                  std::string(1, '\0')};
  const auto add = [&out](const Message& request) {
    Walk(request, [&out](const Message& m) {
      std::vector<const google::protobuf::FieldDescriptor*> fields;
      m.GetReflection()->ListFields(m, &fields);
      for (const auto* f : fields) {
        if (f->cpp_type() ==
                google::protobuf::FieldDescriptor::CPPTYPE_STRING &&
            !f->is_repeated()) {
          out.push_back(m.GetReflection()->GetString(m, f));
        }
      }
    });
  };
  for (const auto& c : SeedCreates(ExchangesMethods(), kSeedExchangesJsonl))
    add(*c.request);
  for (const auto& c :
       SeedCreates(NegotiationsMethods(), kSeedNegotiationsJsonl))
    add(*c.request);
  for (const auto& c : SeedCreates(IncidentsMethods(), kSeedIncidentsJsonl))
    add(*c.request);
  return out;
}

// Loads the seed week's records of one domain; aborts if one is refused.
template <typename Domain>
void LoadSeedWeek(Domain& domain,
                  const std::vector<DomainMethod<Domain>>& methods,
                  absl::string_view jsonl) {
  const Caller caller{.actor = "seed-loader"};
  for (const auto& seed : SeedCreates(methods, jsonl)) {
    std::unique_ptr<Message> response(seed.method->response_type->New());
    const absl::Status status =
        seed.method->call(domain, *seed.request, caller, response.get());
    if (!status.ok())
      BadSeed(seed.request->ShortDebugString(), status.ToString());
  }
}

}  // namespace parley::fuzz

#endif  // PARLEY_TESTS_FUZZ_SEED_WEEK_H_
