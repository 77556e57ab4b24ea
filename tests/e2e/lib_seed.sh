# shellcheck shell=bash
# Part of lib.sh (sourced by it): the seed week's requests, shared by the
# e2e scripts so that each record is written once.

# --- the seed week's requests ------------------------------------------------
# Create* request bodies for the records of `seed-article.txt` that more than
# one script writes (each function prints one request). Every requestId is
# "$E2E_REQUEST_PREFIX-<kind>-<id>": "e2e-create" unless the script sets
# another before calling (the gateway script's are "e2e-gw-create"), so that
# the same script's retries are idempotent and different scripts' are not
# mistaken for each other. Functions read, where they say so, the script's
# AGREEMENT and CHANNEL (record names).

E2E_REQUEST_PREFIX=e2e-create

# The article itself, as a news report of the week.
readonly REPORT_SOURCE='{"publisher": "Kyiv Independent", "channel": "news report",
  "published": "2026-W05", "reliability": "RELIABILITY_REPORTED"}'

readonly SEED_AGREEMENT_TITLE="Istanbul agreement on exchanges of prisoners and remains"
readonly SEED_ROUND_TITLE="Trilateral talks in the United Arab Emirates"
readonly SEED_TRAIN_TITLE="Drone strike on a passenger train in Kharkiv region"

# seed_agreement_request: the Istanbul agreement of 2025 (12,000 bodies;
# wounded prisoners and those under 25, no figure), id istanbul-2025.
seed_agreement_request() {
  cat <<EOF
{
  "agreementId": "istanbul-2025",
  "requestId": "$E2E_REQUEST_PREFIX-agreement-istanbul-2025",
  "agreement": {
    "title": "$SEED_AGREEMENT_TITLE",
    "concluded": "2025",
    "place": {"country": "TR", "settlement": "Istanbul",
              "precision": "PRECISION_SETTLEMENT"},
    "parties": [{"country": "RU"}, {"country": "UA"}],
    "terms": [
      {"category": "CATEGORY_REMAINS",
       "quota": {"best": 12000, "qualifier": "QUALIFIER_EXACT"}},
      {"category": "CATEGORY_WOUNDED_PRISONERS",
       "quota": {"qualifier": "QUALIFIER_UNKNOWN"}},
      {"category": "CATEGORY_PRISONERS_UNDER_25",
       "quota": {"qualifier": "QUALIFIER_UNKNOWN"}}
    ],
    "sources": [$REPORT_SOURCE]
  }
}
EOF
}

# seed_exchange_request ID MONTH_OR_WEEK RETURNED RECEIVED: Russia returned
# RETURNED bodies and received RECEIVED, under $AGREEMENT, as Medinsky
# confirmed on Telegram.
seed_exchange_request() {
  cat <<EOF
{
  "exchangeId": "$1",
  "requestId": "$E2E_REQUEST_PREFIX-exchange-$1",
  "exchange": {
    "kind": "EXCHANGE_KIND_REPATRIATION_OF_REMAINS",
    "occurred": "$2",
    "agreement": "$AGREEMENT",
    "transfers": [
      {"fromParty": {"country": "RU"}, "toParty": {"country": "UA"},
       "category": "CATEGORY_REMAINS",
       "count": {"best": $3, "qualifier": "QUALIFIER_EXACT"}},
      {"fromParty": {"country": "UA"}, "toParty": {"country": "RU"},
       "category": "CATEGORY_REMAINS",
       "count": {"best": $4, "qualifier": "QUALIFIER_EXACT"}}
    ],
    "sources": [{
      "publisher": "Kyiv Independent",
      "attributedTo": {"person": "Vladimir Medinsky", "role": "chief negotiator",
                       "country": "RU"},
      "channel": "Telegram post",
      "published": "$2",
      "reliability": "RELIABILITY_CONFIRMED"
    }]
  }
}
EOF
}

# seed_accusation_request ID SPEAKER TARGET: SPEAKER accuses TARGET of
# deliberately delaying the POW exchanges (about $CHANNEL).
seed_accusation_request() {
  cat <<EOF
{
  "statementId": "$1",
  "requestId": "$E2E_REQUEST_PREFIX-statement-$1",
  "statement": {
    "speaker": {"country": "$2"},
    "made": "2026-W05",
    "kind": "STATEMENT_KIND_ACCUSATION",
    "summary": "$3 is deliberately delaying the exchange of prisoners of war",
    "target": {"country": "$3"},
    "about": ["$CHANNEL"],
    "sources": [$REPORT_SOURCE]
  }
}
EOF
}

# seed_round_request ID: the trilateral round (RU, UA, US) in the UAE in
# 2026-W04, described as constructive by all three.
seed_round_request() {
  cat <<EOF
{
  "roundId": "$1",
  "requestId": "$E2E_REQUEST_PREFIX-round-$1",
  "round": {
    "title": "$SEED_ROUND_TITLE",
    "format": "FORMAT_TRILATERAL",
    "parties": [{"country": "RU"}, {"country": "UA"}, {"country": "US"}],
    "mediators": [{"country": "AE"}],
    "venue": {"country": "AE", "precision": "PRECISION_COUNTRY"},
    "held": "2026-W04",
    "characterisations": [
      {"term": "constructive", "by": {"country": "RU"}},
      {"term": "constructive", "by": {"country": "UA"}},
      {"term": "constructive", "by": {"country": "US"}}
    ],
    "sources": [$REPORT_SOURCE]
  }
}
EOF
}

# seed_train_request: the drone strike on a passenger train in Kharkiv region
# on 2026-01-27, at least five killed, id kharkiv-train-2026-01-27.
seed_train_request() {
  cat <<EOF
{
  "incidentId": "kharkiv-train-2026-01-27",
  "requestId": "$E2E_REQUEST_PREFIX-incident-kharkiv-train-2026-01-27",
  "incident": {
    "title": "$SEED_TRAIN_TITLE",
    "kind": "INCIDENT_KIND_DRONE_STRIKE",
    "target": "TARGET_CATEGORY_PASSENGER_TRAIN",
    "occurred": "2026-01-27",
    "place": {"country": "UA", "admin1": "Kharkiv", "precision": "PRECISION_ADMIN1"},
    "attribution": {"party": {"country": "RU"}, "reliability": "RELIABILITY_REPORTED"},
    "casualties": {"killed": {"low": 5, "qualifier": "QUALIFIER_AT_LEAST"}},
    "sources": [$REPORT_SOURCE]
  }
}
EOF
}

# seed_bad_exchange_request ID: a CreateExchange that is wrong four ways (a month
# that does not exist, an unknown country, low > high, no sources), so the
# BadRequest must name occurred, from_party, count and sources.
seed_bad_exchange_request() {
  cat <<JSON
{
  "exchangeId": "$1",
  "exchange": {
    "kind": "EXCHANGE_KIND_REPATRIATION_OF_REMAINS",
    "occurred": "2025-13",
    "transfers": [
      {"fromParty": {"country": "XX"}, "toParty": {"country": "UA"},
       "category": "CATEGORY_REMAINS",
       "count": {"low": 10, "high": 5, "qualifier": "QUALIFIER_ABOUT"}}
    ]
  }
}
JSON
}
