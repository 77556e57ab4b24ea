#include "tests/crash/kinds.h"

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/base/fingerprint.h"
#include "common/base/status.h"
#include "common/server/auth.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "parley/common/v1/revision.pb.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "services/exchanges/validation.h"
#include "services/incidents/validation.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/incidents_records.h"

namespace parley::crash {
namespace {

namespace ex = ::parley::exchanges::v1;
namespace in = ::parley::incidents::v1;
using ::google::protobuf::Message;

constexpr char kDescriptionPrefix[] = "crash op ";
constexpr char kAgreement[] = "agreements/crash";

std::unique_ptr<grpc::ClientContext> NewContext(const Endpoint& endpoint) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + endpoint.timeout));
  if (!endpoint.token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", endpoint.token));
  }
  if (!endpoint.caller.empty()) {
    context->AddMetadata(kCallerHeader, endpoint.caller);
  }
  return context;
}

// Fingerprint of a record's content: its bytes without metadata (field 1),
// serialized deterministically.
uint64_t ContentFingerprint(const Message& record) {
  std::unique_ptr<Message> copy(record.New());
  copy->CopyFrom(record);
  copy->GetReflection()->ClearField(
      copy.get(), copy->GetDescriptor()->FindFieldByNumber(1));
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&out);
  }
  return Fingerprint64(bytes);
}

std::string Day(uint64_t op) {
  return absl::FormatCivilTime(absl::CivilDay(2025, 1, 1) +
                               static_cast<int64_t>(op % 396));
}

// The date of op's record: mostly a day, sometimes a month or a week, so
// that spans of several lengths are stored.
std::string Occurred(uint64_t op) {
  if (op % 7 == 0) return absl::StrFormat("2025-%02d", op % 12 + 1);
  if (op % 11 == 0) return absl::StrFormat("2025-W%02d", op % 52 + 1);
  return Day(op);
}

// One resource type: `Traits` says which protos and methods.
template <typename Traits>
class KindOf final : public Kind {
 public:
  using Record = typename Traits::Record;

  explicit KindOf(std::string domain) : domain_(std::move(domain)) {}
  const std::string& domain() const override { return domain_; }

  grpc::Status Prepare(const Endpoint& endpoint) override {
    return Traits::Prepare(Stub(endpoint), *NewContext(endpoint));
  }

  uint64_t ContentOf(uint64_t op) const override {
    return ContentFingerprint(Normalized(op));
  }

  CallResult Create(const Endpoint& endpoint, const std::string& id,
                    const std::string& request_id, uint64_t op) override {
    typename Traits::CreateRequest request;
    *Traits::MutableRecord(&request) = Traits::Make(op);
    Traits::SetId(&request, id);
    request.set_request_id(request_id);
    Record out;
    auto context = NewContext(endpoint);
    return Result(Traits::Create(*Stub(endpoint), context.get(), request, &out),
                  out);
  }

  CallResult Update(const Endpoint& endpoint, const std::string& id,
                    const std::string& etag, uint64_t op) override {
    typename Traits::UpdateRequest request;
    Record* record = Traits::MutableRecord(&request);
    *record = Traits::Make(op);
    record->mutable_metadata()->set_name(Name(id));
    record->mutable_metadata()->set_etag(etag);
    request.mutable_update_mask()->add_paths("*");
    Record out;
    auto context = NewContext(endpoint);
    return Result(Traits::Update(*Stub(endpoint), context.get(), request, &out),
                  out);
  }

  CallResult Delete(const Endpoint& endpoint, const std::string& id,
                    const std::string& etag) override {
    typename Traits::DeleteRequest request;
    request.set_name(Name(id));
    request.set_etag(etag);
    google::protobuf::Empty out;
    auto context = NewContext(endpoint);
    return {Traits::Delete(*Stub(endpoint), context.get(), request, &out), {}};
  }

  CallResult Get(const Endpoint& endpoint, const std::string& id) override {
    typename Traits::GetRequest request;
    request.set_name(Name(id));
    Record out;
    auto context = NewContext(endpoint);
    return Result(Traits::Get(*Stub(endpoint), context.get(), request, &out),
                  out);
  }

  grpc::Status List(const Endpoint& endpoint,
                    std::vector<RecordState>* out) override {
    typename Traits::ListRequest request;
    request.set_page_size(500);
    do {
      typename Traits::ListResponse response;
      auto context = NewContext(endpoint);
      grpc::Status status =
          Traits::List(*Stub(endpoint), context.get(), request, &response);
      if (!status.ok()) return status;
      for (const Record& record : Traits::Records(response)) {
        out->push_back(State(record));
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return grpc::Status::OK;
  }

  grpc::Status ListRevisions(const Endpoint& endpoint, const std::string& id,
                             std::vector<RevisionState>* out) override {
    typename Traits::ListRevisionsRequest request;
    request.set_name(Name(id));
    request.set_page_size(500);
    do {
      typename Traits::ListRevisionsResponse response;
      auto context = NewContext(endpoint);
      grpc::Status status =
          Traits::NewStub(endpoint.channel)
              ->ListRevisions(context.get(), request, &response);
      if (!status.ok()) return status;
      for (const auto& revision : response.revisions()) {
        RevisionState entry;
        entry.revision = revision.revision();
        entry.change =
            parley::common::v1::Revision::Change_Name(revision.change());
        entry.actor = revision.actor();
        entry.time = absl::FromUnixSeconds(revision.change_time().seconds()) +
                     absl::Nanoseconds(revision.change_time().nanos());
        Record record;
        if (!revision.snapshot().UnpackTo(&record)) {
          return grpc::Status(
              grpc::StatusCode::INTERNAL,
              absl::StrCat("revision ", revision.revision(), " of ", id,
                           ": not a ", Record::descriptor()->full_name()));
        }
        entry.state = State(record);
        out->push_back(std::move(entry));
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return grpc::Status::OK;
  }

  grpc::Status ListChanges(const Endpoint& endpoint, std::string* position,
                           std::vector<std::string>* out,
                           bool* caught_up) override {
    typename Traits::ListChangesRequest request;
    request.set_after(*position);
    request.set_page_size(1000);
    typename Traits::ListChangesResponse response;
    auto context = NewContext(endpoint);
    grpc::Status status = Traits::NewStub(endpoint.channel)
                              ->ListChanges(context.get(), request, &response);
    if (!status.ok()) return status;
    for (const auto& change : response.changes()) {
      out->push_back(absl::StrCat(change.name(), "@", change.revision(), " ",
                                  change.operation()));
    }
    *position = response.position();
    *caught_up = response.caught_up();
    return grpc::Status::OK;
  }

 private:
  std::string Name(const std::string& id) const {
    return absl::StrCat(Traits::kCollection, "/", id);
  }

  static std::unique_ptr<typename Traits::Stub> Stub(const Endpoint& e) {
    return Traits::NewStub(e.channel);
  }

  static Record Normalized(uint64_t op) {
    Record record = Traits::Make(op);
    FieldViolations violations;
    Traits::Validate(&record, &violations);
    if (!violations.empty()) {
      // The driver's own records must be valid: a bug here, not a finding.
      std::fprintf(stderr, "op %llu makes an invalid record: %s\n",
                   static_cast<unsigned long long>(op),
                   violations.ToStatus().ToString().c_str());
      std::abort();
    }
    return record;
  }

  static RecordState State(const Record& record) {
    RecordState state;
    state.exists = true;
    state.name = record.metadata().name();
    state.revision = record.metadata().revision();
    state.etag = record.metadata().etag();
    state.content = ContentFingerprint(record);
    state.op = OpOfDescription(record.description()).value_or(0);
    return state;
  }

  static CallResult Result(const grpc::Status& status, const Record& record) {
    CallResult result{status, {}};
    if (status.ok()) result.state = State(record);
    return result;
  }

  std::string domain_;
};

struct ExchangesTraits {
  using Stub = ex::ExchangesService::Stub;
  using Record = ex::Exchange;
  using CreateRequest = ex::CreateExchangeRequest;
  using UpdateRequest = ex::UpdateExchangeRequest;
  using DeleteRequest = ex::DeleteExchangeRequest;
  using GetRequest = ex::GetExchangeRequest;
  using ListRequest = ex::ListExchangesRequest;
  using ListResponse = ex::ListExchangesResponse;
  using ListChangesRequest = ex::ListChangesRequest;
  using ListChangesResponse = ex::ListChangesResponse;
  using ListRevisionsRequest = ex::ListRevisionsRequest;
  using ListRevisionsResponse = ex::ListRevisionsResponse;
  static constexpr char kCollection[] = "exchanges";

  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return ex::ExchangesService::NewStub(c);
  }
  static grpc::Status Prepare(std::unique_ptr<Stub> stub,
                              grpc::ClientContext& context) {
    ex::CreateAgreementRequest request;
    *request.mutable_agreement() = testing::Istanbul();
    request.set_agreement_id("crash");
    request.set_request_id("crash-agreement");
    ex::Agreement out;
    return stub->CreateAgreement(&context, request, &out);
  }
  static Record Make(uint64_t op) {
    static constexpr ex::Category kCategories[] = {
        ex::CATEGORY_REMAINS, ex::CATEGORY_PRISONERS_OF_WAR,
        ex::CATEGORY_CIVILIANS, ex::CATEGORY_WOUNDED_PRISONERS};
    Record e;
    e.set_kind(op % 2 == 0 ? ex::EXCHANGE_KIND_REPATRIATION_OF_REMAINS
                           : ex::EXCHANGE_KIND_PRISONER_EXCHANGE);
    e.set_occurred(Occurred(op));
    if (op % 3 != 0) e.set_agreement(kAgreement);
    const ex::Category category = kCategories[op % 4];
    *e.add_transfers() = testing::MakeTransfer(
        "RU", "UA", category, static_cast<int64_t>(op % 997 + 1));
    *e.add_transfers() = testing::MakeTransfer(
        "UA", "RU", category, static_cast<int64_t>(op / 3 % 501 + 1));
    if (op % 4 == 0) e.add_intermediaries()->set_country("AE");
    *e.add_sources() = testing::Reported("Crash Driver News");
    e.set_description(absl::StrCat(kDescriptionPrefix, op));
    return e;
  }
  static void Validate(Record* e, FieldViolations* v) {
    exchanges::ValidateExchange(e, "exchange", v);
  }
  static Record* MutableRecord(CreateRequest* r) {
    return r->mutable_exchange();
  }
  static Record* MutableRecord(UpdateRequest* r) {
    return r->mutable_exchange();
  }
  static void SetId(CreateRequest* r, const std::string& id) {
    r->set_exchange_id(id);
  }
  static const auto& Records(const ListResponse& r) { return r.exchanges(); }
  static grpc::Status Create(Stub& s, grpc::ClientContext* c,
                             const CreateRequest& r, Record* out) {
    return s.CreateExchange(c, r, out);
  }
  static grpc::Status Update(Stub& s, grpc::ClientContext* c,
                             const UpdateRequest& r, Record* out) {
    return s.UpdateExchange(c, r, out);
  }
  static grpc::Status Delete(Stub& s, grpc::ClientContext* c,
                             const DeleteRequest& r,
                             google::protobuf::Empty* out) {
    return s.DeleteExchange(c, r, out);
  }
  static grpc::Status Get(Stub& s, grpc::ClientContext* c, const GetRequest& r,
                          Record* out) {
    return s.GetExchange(c, r, out);
  }
  static grpc::Status List(Stub& s, grpc::ClientContext* c,
                           const ListRequest& r, ListResponse* out) {
    return s.ListExchanges(c, r, out);
  }
};

struct IncidentsTraits {
  using Stub = in::IncidentsService::Stub;
  using Record = in::Incident;
  using CreateRequest = in::CreateIncidentRequest;
  using UpdateRequest = in::UpdateIncidentRequest;
  using DeleteRequest = in::DeleteIncidentRequest;
  using GetRequest = in::GetIncidentRequest;
  using ListRequest = in::ListIncidentsRequest;
  using ListResponse = in::ListIncidentsResponse;
  using ListChangesRequest = in::ListChangesRequest;
  using ListChangesResponse = in::ListChangesResponse;
  using ListRevisionsRequest = in::ListRevisionsRequest;
  using ListRevisionsResponse = in::ListRevisionsResponse;
  static constexpr char kCollection[] = "incidents";

  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return in::IncidentsService::NewStub(c);
  }
  static grpc::Status Prepare(std::unique_ptr<Stub>, grpc::ClientContext&) {
    return grpc::Status::OK;  // incidents refer to nothing
  }
  static Record Make(uint64_t op) {
    static constexpr const char* kRegions[] = {"Kharkiv", "Kherson", "Donetsk",
                                               ""};
    Record i =
        op % 2 == 0 ? testing::KhersonShelling() : testing::TrainStrike();
    i.set_kind(static_cast<in::IncidentKind>(op % 6 + 1));
    i.set_occurred(Occurred(op));
    i.mutable_place()->set_admin1(kRegions[op % 4]);
    if (op % 4 == 3) i.mutable_place()->clear_precision();
    *i.mutable_casualties()->mutable_killed() =
        testing::Exact(static_cast<int64_t>(op % 40));
    if (op % 5 == 0) {
      in::Effect* effect = i.add_effects();
      effect->set_kind(in::EFFECT_KIND_POWER_OUTAGE);
      *effect->mutable_affected() =
          testing::Exact(static_cast<int64_t>(op % 1000 + 1));
    }
    i.set_description(absl::StrCat(kDescriptionPrefix, op));
    return i;
  }
  static void Validate(Record* i, FieldViolations* v) {
    incidents::ValidateIncident(i, "incident", v);
  }
  static Record* MutableRecord(CreateRequest* r) {
    return r->mutable_incident();
  }
  static Record* MutableRecord(UpdateRequest* r) {
    return r->mutable_incident();
  }
  static void SetId(CreateRequest* r, const std::string& id) {
    r->set_incident_id(id);
  }
  static const auto& Records(const ListResponse& r) { return r.incidents(); }
  static grpc::Status Create(Stub& s, grpc::ClientContext* c,
                             const CreateRequest& r, Record* out) {
    return s.CreateIncident(c, r, out);
  }
  static grpc::Status Update(Stub& s, grpc::ClientContext* c,
                             const UpdateRequest& r, Record* out) {
    return s.UpdateIncident(c, r, out);
  }
  static grpc::Status Delete(Stub& s, grpc::ClientContext* c,
                             const DeleteRequest& r,
                             google::protobuf::Empty* out) {
    return s.DeleteIncident(c, r, out);
  }
  static grpc::Status Get(Stub& s, grpc::ClientContext* c, const GetRequest& r,
                          Record* out) {
    return s.GetIncident(c, r, out);
  }
  static grpc::Status List(Stub& s, grpc::ClientContext* c,
                           const ListRequest& r, ListResponse* out) {
    return s.ListIncidents(c, r, out);
  }
};

}  // namespace

std::optional<uint64_t> OpOfDescription(const std::string& description) {
  absl::string_view text = description;
  uint64_t op = 0;
  if (!absl::ConsumePrefix(&text, kDescriptionPrefix) ||
      !absl::SimpleAtoi(text, &op)) {
    return std::nullopt;
  }
  return op;
}

std::unique_ptr<Kind> NewKind(const std::string& domain) {
  if (domain == "exchanges") {
    return std::make_unique<KindOf<ExchangesTraits>>(domain);
  }
  if (domain == "incidents") {
    return std::make_unique<KindOf<IncidentsTraits>>(domain);
  }
  return nullptr;
}

}  // namespace parley::crash
