#include "services/negotiations/validation.h"

#include "absl/strings/str_cat.h"
#include "common/api/validation.h"

namespace parley::negotiations {

using v1::Position;
using v1::Round;
using v1::Statement;

void ValidateRound(Round* r, const std::string& field, FieldViolations* v) {
  CheckText(r->title(), Path(field, "title"), false, v);
  CheckEnum(r->format(), Path(field, "format"), true, v);
  CheckParties(r->parties(), Path(field, "parties"), 2, v);
  CheckParties(r->mediators(), Path(field, "mediators"), 0, v);
  CheckPlace(r->venue(), r->has_venue(), Path(field, "venue"), false, v);
  r->clear_held_span();
  CheckDateSpan(r->held(), Path(field, "held"), true, v,
                r->mutable_held_span());
  for (int i = 0; i < r->characterisations_size() && i < kMaxRepeated; ++i) {
    const auto& c = r->characterisations(i);
    const std::string at = Path(field, "characterisations", i);
    CheckText(c.term(), Path(at, "term"), true, v);
    if (c.has_by()) CheckParty(c.by(), Path(at, "by"), v);
  }
  CheckRepeatedSize(r->characterisations_size(),
                    Path(field, "characterisations"), v);
  for (int i = 0; i < r->outcomes_size() && i < kMaxRepeated; ++i) {
    CheckText(r->outcomes(i), Path(field, "outcomes", i), true, v);
  }
  CheckRepeatedSize(r->outcomes_size(), Path(field, "outcomes"), v);
  CheckSources(r->sources(), Path(field, "sources"), v);
  CheckText(r->description(), Path(field, "description"), false, v);
}

void ValidatePosition(Position* p, const std::string& field,
                      FieldViolations* v) {
  if (!p->has_holder()) {
    v->Add(Path(field, "holder"), "required: whose position it is");
  } else {
    CheckParty(p->holder(), Path(field, "holder"), v);
  }
  CheckEnum(p->stance(), Path(field, "stance"), true, v);
  CheckText(p->issue(), Path(field, "issue"), true, v);
  CheckText(p->summary(), Path(field, "summary"), false, v);
  if (p->has_addressee())
    CheckParty(p->addressee(), Path(field, "addressee"), v);
  CheckPlace(p->subject(), p->has_subject(), Path(field, "subject"), false, v);
  CheckEstimate(p->quantity(), p->has_quantity(), Path(field, "quantity"),
                false, v);
  if (p->has_quantity()) {
    NormalizeEstimate(p->mutable_quantity());
    CheckText(p->quantity_unit(), Path(field, "quantity_unit"), true, v);
  }
  CheckEnum(p->state(), Path(field, "state"), true, v);
  p->clear_first_reported_span();
  p->clear_last_reported_span();
  auto first = CheckDateSpan(p->first_reported(), Path(field, "first_reported"),
                             true, v, p->mutable_first_reported_span());
  if (p->last_reported().empty()) p->set_last_reported(p->first_reported());
  // It defaults to first_reported, so it is required only when that is set.
  auto last = CheckDateSpan(p->last_reported(), Path(field, "last_reported"),
                            false, v, p->mutable_last_reported_span());
  if (p->last_reported().empty()) p->clear_last_reported_span();
  if (p->first_reported().empty()) p->clear_first_reported_span();
  if (first.has_value() && last.has_value() && last->last() < first->first()) {
    v->Add(Path(field, "last_reported"), "is before first_reported");
  }
  CheckSources(p->sources(), Path(field, "sources"), v);
}

void ValidateStatement(Statement* s, const std::string& field,
                       FieldViolations* v) {
  if (!s->has_speaker()) {
    v->Add(Path(field, "speaker"), "required: who said it");
  } else {
    CheckParty(s->speaker(), Path(field, "speaker"), v);
  }
  s->clear_made_span();
  CheckDateSpan(s->made(), Path(field, "made"), true, v,
                s->mutable_made_span());
  CheckEnum(s->kind(), Path(field, "kind"), true, v);
  CheckText(s->summary(), Path(field, "summary"), true, v);
  CheckText(s->quote(), Path(field, "quote"), false, v);
  if (s->has_target()) CheckParty(s->target(), Path(field, "target"), v);
  for (int i = 0; i < s->about_size() && i < kMaxRepeated; ++i) {
    CheckRecordName(s->about(i), Path(field, "about", i), v);
  }
  CheckRepeatedSize(s->about_size(), Path(field, "about"), v);
  CheckSources(s->sources(), Path(field, "sources"), v);
}

}  // namespace parley::negotiations
