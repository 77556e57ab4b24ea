// parleyctl's readers of published datasets on small exports written from
// their codebooks (tests/fixtures): every precision code, a code it does not
// know refused by line, missing values, quoted commas, quotes and line
// breaks, UTF-8 names.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "parley/incidents/v1/incidents_service.pb.h"
#include "tools/parleyctl/import_source.h"

namespace parley::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace in = ::parley::incidents::v1;
using common::v1::Estimate;
using common::v1::Place;

std::string Fixture(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/fixtures/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// `text` written to a file `name` in a folder of the test's own: its path.
std::string Written(const std::string& folder, const std::string& name,
                    const std::string& text) {
  const std::string dir =
      std::string(::testing::TempDir()) + "/parley-readers-" + folder;
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct Read {
  std::vector<in::Incident> incidents;  // as put
  std::vector<std::string> where;       // of each incident
  std::vector<std::string> errors;      // "where: error"
};

Read ReadAll(const std::string& format, const std::string& file) {
  Read out;
  auto source = OpenSource(
      format, file.find('/') == std::string::npos ? Fixture(file) : file, {});
  EXPECT_TRUE(source.ok()) << source.status();
  if (!source.ok()) return out;
  EXPECT_EQ((*source)->dataset(), format);
  while (true) {
    auto item = (*source)->Next();
    EXPECT_TRUE(item.ok()) << item.status();
    if (!item.ok() || !item->has_value()) break;
    if (!(*item)->record.has_value()) {
      out.errors.push_back((*item)->where + ": " + (*item)->error);
      continue;
    }
    const ImportRecord& record = *(*item)->record;
    EXPECT_TRUE(record.put);
    EXPECT_EQ(record.kind->collection, "incidents");
    const auto& request =
        static_cast<const in::UpdateIncidentRequest&>(*record.request);
    EXPECT_TRUE(request.allow_missing());
    EXPECT_THAT(request.update_mask().paths(), ElementsAre("*"));
    out.incidents.push_back(request.incident());
    out.where.push_back(record.where);
  }
  EXPECT_EQ((*source)->bytes_read(), (*source)->size());
  return out;
}

TEST(AcledReaderTest, MapsRowsByTheCodebook) {
  const Read read = ReadAll("acled", "acled_ukraine.csv");
  ASSERT_EQ(read.incidents.size(), 4u);

  // A day, a town, a drone named in the notes, ACLED's floor of five.
  const in::Incident& train = read.incidents[0];
  EXPECT_EQ(train.metadata().name(), "incidents/acled-ukr10001");
  EXPECT_EQ(train.occurred(), "2026-01-27");
  EXPECT_EQ(train.occurrence(), common::v1::OCCURRENCE_ONCE);
  EXPECT_EQ(train.kind(), in::INCIDENT_KIND_DRONE_STRIKE);
  EXPECT_EQ(train.place().country(), "UA");
  EXPECT_EQ(train.place().admin1(), "Kharkiv");
  EXPECT_EQ(train.place().settlement(), "Barvinkove");
  EXPECT_EQ(train.place().precision(), Place::PRECISION_SETTLEMENT);
  EXPECT_DOUBLE_EQ(train.place().coordinates().latitude(), 48.9064);
  EXPECT_EQ(train.attribution().party().country(), "RU");
  EXPECT_EQ(train.casualties().killed().qualifier(),
            Estimate::QUALIFIER_AT_LEAST);
  EXPECT_EQ(train.casualties().killed().low(), 5);
  EXPECT_FALSE(train.casualties().killed().has_best());
  ASSERT_EQ(train.sources_size(), 2);
  EXPECT_EQ(train.sources(0).publisher(), "Ukrinform");
  EXPECT_EQ(train.sources(1).publisher(), "Suspilne");
  EXPECT_EQ(train.provenance().dataset(), "acled");
  EXPECT_EQ(train.provenance().version(), "acled_ukraine.csv");
  EXPECT_EQ(train.provenance().upstream_id(), "UKR10001");
  EXPECT_EQ(read.where[0], Fixture("acled_ukraine.csv") + ":2");

  // A week: the ISO week of its date; quotes, a comma and a line break in
  // the notes kept; part of a region; no missile, so shelling; none killed
  // is a floor of 0.
  const in::Incident& kupiansk = read.incidents[1];
  EXPECT_EQ(kupiansk.occurred(), "2026-W05");
  EXPECT_EQ(kupiansk.kind(), in::INCIDENT_KIND_SHELLING);
  EXPECT_EQ(kupiansk.place().precision(), Place::PRECISION_ADMIN2);
  EXPECT_EQ(kupiansk.description(),
            "Shelling of Kupiansk, \"heavy\" according to officials,\n"
            "reported over the week.");
  EXPECT_EQ(kupiansk.casualties().killed().low(), 0);
  EXPECT_EQ(read.where[1], Fixture("acled_ukraine.csv") + ":3");

  // A month; a region; a UTF-8 name; a missile.
  const in::Incident& odesa = read.incidents[2];
  EXPECT_EQ(odesa.occurred(), "2026-01");
  EXPECT_EQ(odesa.kind(), in::INCIDENT_KIND_MISSILE_STRIKE);
  EXPECT_EQ(odesa.place().precision(), Place::PRECISION_ADMIN1);
  EXPECT_EQ(odesa.place().settlement(), "Одеса");
  EXPECT_EQ(read.where[2], Fixture("acled_ukraine.csv") + ":5");

  // No state's forces named: no attribution; an unknown region kept as
  // written; no coordinates.
  const in::Incident& looting = read.incidents[3];
  EXPECT_FALSE(looting.has_attribution());
  EXPECT_EQ(looting.kind(), in::INCIDENT_KIND_OTHER);
  EXPECT_EQ(looting.place().admin1(), "Narnia");
  EXPECT_FALSE(looting.place().has_coordinates());

  // Refused by line: a precision code the codebook has not, a missing
  // count.
  ASSERT_EQ(read.errors.size(), 2u);
  EXPECT_THAT(read.errors[0], HasSubstr("acled_ukraine.csv:6: time_precision"));
  EXPECT_THAT(read.errors[0], HasSubstr("\"4\""));
  EXPECT_THAT(read.errors[1], HasSubstr("acled_ukraine.csv:7: fatalities"));
}

TEST(UcdpGedReaderTest, MapsRowsByTheCodebook) {
  const Read read = ReadAll("ucdp-ged", "ucdp_ged_ukraine.csv");
  ASSERT_EQ(read.incidents.size(), 3u);

  const in::Incident& train = read.incidents[0];
  EXPECT_EQ(train.metadata().name(), "incidents/ucdp-ged-552031");
  EXPECT_EQ(train.occurred(), "2026-01-27");
  const Estimate& killed = train.casualties().killed();
  EXPECT_EQ(killed.low(), 5);
  EXPECT_EQ(killed.best(), 6);
  EXPECT_EQ(killed.high(), 9);
  EXPECT_EQ(killed.qualifier(), Estimate::QUALIFIER_ABOUT);
  EXPECT_EQ(train.casualties().killed_civilian().best(), 5);
  EXPECT_EQ(train.casualties().killed_military().best(), 0);
  EXPECT_EQ(train.place().precision(), Place::PRECISION_EXACT);
  EXPECT_EQ(train.place().admin1(), "Kharkiv oblast");
  EXPECT_EQ(train.attribution().party().country(), "RU");
  ASSERT_EQ(train.sources_size(), 2);
  EXPECT_EQ(train.sources(0).publisher(), "Kyiv Independent");
  EXPECT_EQ(train.sources(1).publisher(), "Reuters");
  EXPECT_EQ(train.provenance().dataset(), "ucdp-ged");
  EXPECT_EQ(train.provenance().upstream_id(), "552031");

  // A whole month is a month; a first-order division.
  EXPECT_EQ(read.incidents[1].occurred(), "2026-01");
  EXPECT_EQ(read.incidents[1].place().precision(), Place::PRECISION_ADMIN1);
  // Other spans are ranges; no article named: UCDP itself.
  EXPECT_EQ(read.incidents[2].occurred(), "2026-01-26/2026-01-28");
  ASSERT_EQ(read.incidents[2].sources_size(), 1);
  EXPECT_EQ(read.incidents[2].sources(0).publisher(), "UCDP GED");

  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_THAT(read.errors[0], HasSubstr("ucdp_ged_ukraine.csv:5: where_prec"));
}

TEST(DatasetReaderTest, WindowsLineEndingsReadAsTheSameRowsOnTheSameLines) {
  const std::string lf = ReadFile(Fixture("acled_ukraine.csv"));
  const std::string crlf_path = Written(
      "crlf", "acled_ukraine.csv", absl::StrReplaceAll(lf, {{"\n", "\r\n"}}));
  const Read unix_read = ReadAll("acled", "acled_ukraine.csv");
  const Read windows_read = ReadAll("acled", crlf_path);
  ASSERT_EQ(windows_read.incidents.size(), unix_read.incidents.size());
  for (size_t i = 0; i < unix_read.incidents.size(); ++i) {
    // A quoted line break is "\n" either way; the export's version is its
    // file name, the same.
    EXPECT_EQ(windows_read.incidents[i].DebugString(),
              unix_read.incidents[i].DebugString());
    EXPECT_EQ(windows_read.where[i],
              absl::StrReplaceAll(unix_read.where[i],
                                  {{Fixture("acled_ukraine.csv"), crlf_path}}));
  }
  EXPECT_EQ(windows_read.errors.size(), unix_read.errors.size());
}

TEST(DatasetReaderTest, ALoneCarriageReturnEndsARowOnItsOwnLine) {
  // A stray CR in line 2 splits it into rows that are refused on line 2;
  // the next line's row is still line 3 (the fuzzer found them numbered
  // past the end of the file).
  const std::string lf = ReadFile(Fixture("acled_ukraine.csv"));
  const size_t line2 = lf.find('\n') + 1;
  const size_t line3 = lf.find('\n', line2) + 1;
  // The header, line 2 with a CR in it, and line 2 again as line 3.
  std::string text = lf.substr(0, line3);
  text.insert(line2 + 20, "\r");
  text += lf.substr(line2, line3 - line2);
  const std::string path = Written("lone-cr", "acled.csv", text);
  const Read read = ReadAll("acled", path);
  ASSERT_FALSE(read.errors.empty());
  for (const std::string& error : read.errors) {
    EXPECT_THAT(error, HasSubstr(path + ":2: ")) << error;
  }
  ASSERT_EQ(read.where.size(), 1u);
  EXPECT_EQ(read.where[0], path + ":3");
}

TEST(DatasetReaderTest, AFileThatIsNotTheExportIsRefusedWhole) {
  auto source = OpenSource("ucdp-ged", Fixture("acled_ukraine.csv"), {});
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(source.status().message(), HasSubstr("not a UCDP GED export"));
  EXPECT_THAT(source.status().message(), HasSubstr("where_prec"));
  auto missing = OpenSource("acled", Fixture("no-such-file.csv"), {});
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
}

}  // namespace
}  // namespace parley::ctl
