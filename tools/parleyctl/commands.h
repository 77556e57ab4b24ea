// parleyctl's subcommands. Each returns an ExitCode.
#ifndef PARLEY_TOOLS_PARLEYCTL_COMMANDS_H_
#define PARLEY_TOOLS_PARLEYCTL_COMMANDS_H_

#include <string>
#include <vector>

#include "tools/parleyctl/client.h"

namespace parley::ctl {

// import FILE...: JSON lines, one record each, in the API's JSON form.
int Import(Client& client, const std::vector<std::string>& files);
// export KIND [--filter key=value]... [--format jsonl|csv]
int Export(Client& client, const std::vector<std::string>& args);
// report agreement|stalled|talks|summary ... [--json]
int Report(Client& client, const std::vector<std::string>& args);
// sync --out DIR [--follow]: a local copy kept current from the change feed
int SyncCopy(Client& client, const std::vector<std::string>& args);
// chart agreement NAME --out FILE.svg
int Chart(Client& client, const std::vector<std::string>& args);

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_COMMANDS_H_
