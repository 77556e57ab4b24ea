#include "services/exchanges/validation.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/validation.h"
#include "common/store/index_terms.h"

namespace parley::exchanges {

using v1::Agreement;
using v1::Channel;
using v1::ChannelStatus;
using v1::Exchange;

void ValidateAgreement(Agreement* a, const std::string& field,
                       FieldViolations* v) {
  CheckText(a->title(), Path(field, "title"), true, v);
  a->clear_concluded_span();
  CheckDateSpan(a->concluded(), Path(field, "concluded"), true, v,
                a->mutable_concluded_span());
  CheckPlace(a->place(), a->has_place(), Path(field, "place"), false, v);
  CheckParties(a->parties(), Path(field, "parties"), 2, v);
  CheckParties(a->mediators(), Path(field, "mediators"), 0, v);
  if (!a->round().empty())
    CheckName(a->round(), "rounds", Path(field, "round"), false, v);
  if (a->terms().empty())
    v->Add(Path(field, "terms"), "at least one term is required");
  absl::flat_hash_set<int> categories;
  for (int i = 0; i < a->terms_size() && i < kMaxRepeated; ++i) {
    auto* term = a->mutable_terms(i);
    const std::string at = Path(field, "terms", i);
    CheckEnum(term->category(), Path(at, "category"), true, v);
    if (term->category() != 0 && !categories.insert(term->category()).second) {
      v->Add(Path(at, "category"), "another term has the same category");
    }
    CheckEstimate(term->quota(), term->has_quota(), Path(at, "quota"), false,
                  v);
    if (term->has_quota()) NormalizeEstimate(term->mutable_quota());
    for (int j = 0; j < term->side_quotas_size() && j < kMaxRepeated; ++j) {
      auto* side = term->mutable_side_quotas(j);
      const std::string side_at = Path(at, "side_quotas", j);
      CheckParty(side->receiver(), Path(side_at, "receiver"), v);
      CheckEstimate(side->quota(), side->has_quota(), Path(side_at, "quota"),
                    true, v);
      NormalizeEstimate(side->mutable_quota());
    }
    term->clear_deadline_span();
    CheckDateSpan(term->deadline(), Path(at, "deadline"), false, v,
                  term->mutable_deadline_span());
    if (term->deadline().empty()) term->clear_deadline_span();
    CheckText(term->note(), Path(at, "note"), false, v);
  }
  CheckRepeatedSize(a->terms_size(), Path(field, "terms"), v);
  CheckSources(a->sources(), Path(field, "sources"), v);
  CheckText(a->description(), Path(field, "description"), false, v);
}

void ValidateExchange(Exchange* e, const std::string& field,
                      FieldViolations* v) {
  CheckEnum(e->kind(), Path(field, "kind"), true, v);
  e->clear_occurred_span();
  CheckDateSpan(e->occurred(), Path(field, "occurred"), true, v,
                e->mutable_occurred_span());
  if (e->transfers().empty()) {
    v->Add(Path(field, "transfers"), "at least one transfer is required");
  }
  CheckRepeatedSize(e->transfers_size(), Path(field, "transfers"), v);
  for (int i = 0; i < e->transfers_size() && i < kMaxRepeated; ++i) {
    auto* t = e->mutable_transfers(i);
    const std::string at = Path(field, "transfers", i);
    CheckParty(t->from_party(), Path(at, "from_party"), v);
    CheckParty(t->to_party(), Path(at, "to_party"), v);
    if (!PartyTerm(t->from_party()).empty() &&
        PartyTerm(t->from_party()) == PartyTerm(t->to_party())) {
      v->Add(Path(at, "to_party"), "is the same party as from_party");
    }
    CheckEnum(t->category(), Path(at, "category"), true, v);
    CheckEstimate(t->count(), t->has_count(), Path(at, "count"), true, v);
    NormalizeEstimate(t->mutable_count());
  }
  CheckPlace(e->place(), e->has_place(), Path(field, "place"), false, v);
  CheckParties(e->intermediaries(), Path(field, "intermediaries"), 0, v);
  CheckSources(e->sources(), Path(field, "sources"), v);
  CheckText(e->description(), Path(field, "description"), false, v);
}

void ValidateChannel(Channel* c, const std::string& field, FieldViolations* v) {
  CheckText(c->title(), Path(field, "title"), true, v);
  CheckEnum(c->kind(), Path(field, "kind"), true, v);
  CheckParties(c->parties(), Path(field, "parties"), 2, v);
  CheckSources(c->sources(), Path(field, "sources"), v);
  CheckText(c->description(), Path(field, "description"), false, v);
}

void ValidateChannelStatus(ChannelStatus* s, const std::string& field,
                           FieldViolations* v) {
  CheckEnum(s->state(), Path(field, "state"), true, v);
  s->clear_since_span();
  CheckDateSpan(s->since(), Path(field, "since"), true, v,
                s->mutable_since_span());
  s->clear_reported_span();
  CheckDateSpan(s->reported(), Path(field, "reported"), false, v,
                s->mutable_reported_span());
  if (s->reported().empty()) s->clear_reported_span();
  CheckText(s->summary(), Path(field, "summary"), false, v);
  CheckSources(s->sources(), Path(field, "sources"), v);
}

}  // namespace parley::exchanges
