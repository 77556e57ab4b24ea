// Regions as ISO 3166-2 codes, and countries by name, from Debian's
// iso-codes: every spelling sources use for one region is one code.
#include "common/model/subdivisions.h"

#include <string>
#include <tuple>

#include "common/model/country_codes.h"
#include "gtest/gtest.h"

namespace parley {
namespace {

// (country, name as written, code wanted; "" for none).
using Case = std::tuple<std::string, std::string, std::string>;

class SubdivisionCodeTest : public ::testing::TestWithParam<Case> {};

TEST_P(SubdivisionCodeTest, Names) {
  const auto& [country, name, want] = GetParam();
  EXPECT_EQ(SubdivisionCode(country, name), want)
      << "\"" << name << "\" in " << country;
}

INSTANTIATE_TEST_SUITE_P(
    AsSourcesWriteThem, SubdivisionCodeTest,
    ::testing::Values(
        // One region, every spelling: ACLED, UCDP, iso-codes, the code.
        Case{"UA", "Kharkiv", "UA-63"}, Case{"UA", "Kharkiv Oblast", "UA-63"},
        Case{"UA", "kharkiv oblast", "UA-63"},
        Case{"UA", "Kharkivska oblast", "UA-63"}, Case{"UA", "UA-63", "UA-63"},
        Case{"", "ua-63", "UA-63"}, Case{"", "Kharkiv", "UA-63"},
        // Names whose adjective form ends otherwise.
        Case{"UA", "Odesa", "UA-51"}, Case{"UA", "Sumy", "UA-59"},
        Case{"UA", "Poltava", "UA-53"}, Case{"UA", "Chernivtsi", "UA-77"},
        Case{"UA", "Chernihiv", "UA-74"}, Case{"UA", "Zaporizhia", "UA-23"},
        Case{"UA", "Khmelnytskyi", "UA-68"}, Case{"UA", "Zakarpattia", "UA-21"},
        Case{"UA", "Donetsk", "UA-14"}, Case{"UA", "Ivano-Frankivsk", "UA-26"},
        // The oblast and the city of Kyiv: the bare name is the region.
        Case{"UA", "Kyiv", "UA-32"}, Case{"UA", "Kyiv City", "UA-30"},
        Case{"UA", "Sevastopol", "UA-40"},
        // Russia, transliterated otherwise by iso-codes.
        Case{"RU", "Belgorod", "RU-BEL"}, Case{"RU", "Kursk", "RU-KRS"},
        // Unknown: kept as written by the caller.
        Case{"UA", "Narnia", ""}, Case{"UA", "", ""}, Case{"ZZ", "Kharkiv", ""},
        Case{"UA", "UA-99", ""}));

TEST(CountryCodeTest, ByNameAndNumber) {
  EXPECT_EQ(CountryCodeOfName("Ukraine"), "UA");
  EXPECT_EQ(CountryCodeOfName("Russia"), "RU");
  EXPECT_EQ(CountryCodeOfName("russian federation"), "RU");
  EXPECT_EQ(CountryCodeOfName("Iran"), "IR");
  EXPECT_EQ(CountryCodeOfName("Korea"), "");  // north or south
  EXPECT_EQ(CountryCodeOfName(""), "");
  EXPECT_EQ(CountryCodeOfNumeric("804"), "UA");
  EXPECT_EQ(CountryCodeOfNumeric("643.0"), "RU");
  EXPECT_EQ(CountryCodeOfNumeric("x"), "");
  // Not whole, out of range, not a number: none (8e29 was cast to an int).
  EXPECT_EQ(CountryCodeOfNumeric("804.5"), "");
  EXPECT_EQ(CountryCodeOfNumeric("8.07778e+29"), "");
  EXPECT_EQ(CountryCodeOfNumeric("-804"), "");
  EXPECT_EQ(CountryCodeOfNumeric("nan"), "");
  EXPECT_EQ(CountryCodeOfNumeric("inf"), "");
}

TEST(SubdivisionNameTest, FromTheCode) {
  EXPECT_EQ(SubdivisionName("UA-63"), "Kharkivska oblast");
  EXPECT_EQ(SubdivisionName("UA-99"), "");
}

}  // namespace
}  // namespace parley
