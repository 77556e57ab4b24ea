// Flags with environment overrides: --foo may also be given as PARLEY_FOO.
// The command line wins over the environment, which wins over defaults.
#ifndef PARLEY_COMMON_BASE_FLAGS_H_
#define PARLEY_COMMON_BASE_FLAGS_H_

#include <string>
#include <vector>

namespace parley {

// Applies PARLEY_* variables to the matching flags, then parses argv.
// Exits with status 2 and a message on a bad value or unknown flag.
std::vector<char*> ParseFlagsWithEnv(int argc, char** argv, const char* usage);

}  // namespace parley

#endif  // PARLEY_COMMON_BASE_FLAGS_H_
