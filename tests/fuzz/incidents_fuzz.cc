// The incidents service's requests (services/incidents): any bytes, parsed as
// one of its request messages and handled by the domain on a real store holding
// the seed week. See tests/fuzz/domain_harness.h for the input's layout and
// the properties checked.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/domain_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley::fuzz;  // NOLINT(build/namespaces)
  // Never destroyed: its store closes at exit (tests/fuzz/fuzz_store.h).
  static auto* harness = new DomainHarness<parley::incidents::Incidents>(
      IncidentsMethods(), kSeedIncidentsJsonl);
  harness->Run(data, size);
  return 0;
}

#ifdef PARLEY_LIBFUZZER
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned seed) {
  static const auto* methods = new auto(parley::fuzz::IncidentsMethods());
  return parley::fuzz::MutateDomainInput(*methods, data, size, max_size, seed);
}
#endif
