// Backup cycles: the exchanges service killed while CreateBackup runs
// (writers running too), at delays spread over how long a backup takes.
// Afterwards every backup the service lists must restore into a store that
// passes --check_store; a backup that was answered must be listed.
#include <signal.h>

#include <filesystem>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "parley/admin/v1/admin_service.grpc.pb.h"
#include "tests/crash/driver.h"

namespace parley::crash {
namespace {

namespace admin = ::parley::admin::v1;

struct BackupCall {
  grpc::Status status;
  admin::Backup backup;
  absl::Duration took;
};

BackupCall CreateBackup(const Endpoint& endpoint) {
  BackupCall call;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(2)));
  admin::CreateBackupRequest request;
  const absl::Time start = absl::Now();
  call.status = admin::AdminService::NewStub(endpoint.channel)
                    ->CreateBackup(&context, request, &call.backup);
  call.took = absl::Now() - start;
  return call;
}

absl::StatusOr<std::vector<uint32_t>> ListBackups(const Endpoint& endpoint) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  admin::ListBackupsResponse response;
  const grpc::Status status =
      admin::AdminService::NewStub(endpoint.channel)
          ->ListBackups(&context, admin::ListBackupsRequest(), &response);
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  std::vector<uint32_t> ids;
  for (const auto& backup : response.backups())
    ids.push_back(backup.backup_id());
  return ids;
}

}  // namespace

nlohmann::json Driver::RunBackupCycles(int cycles) {
  const absl::Time started = absl::Now();
  const std::string dir = options_.work_dir + "/backup";
  const std::string data_dir = dir + "/data";
  const std::string backup_dir = dir + "/backups";
  const std::vector<std::string> flags = {
      absl::StrCat("--backup_dir=", backup_dir),
      // Every backup kept: each one listed is restored and checked.
      "--backups_to_keep=0"};
  std::unique_ptr<Kind> kind = NewKind("exchanges");
  Workload workload(kind.get(), "bk", options_.writers, options_.seed);
  absl::StatusOr<Running> service = StartDomain("exchanges", data_dir, flags);
  if (!service.ok()) {
    Fail(std::string(service.status().message()));
    return {{"cycles", 0}};
  }
  // Data first, then one backup uninterrupted: how long one takes.
  workload.Start(service->endpoint);
  absl::SleepFor(absl::Seconds(2));
  const BackupCall whole = CreateBackup(service->endpoint);
  workload.Stop();
  if (!whole.status.ok()) {
    Fail(absl::StrCat("an uninterrupted backup failed: ",
                      whole.status.error_message()));
  }
  // About how long a backup takes: the kills fall within it.
  absl::Duration backup_time = std::max(whole.took, absl::Milliseconds(5));
  const absl::Duration first_backup_time = backup_time;

  std::set<uint32_t> verified;
  int64_t answered = 0, cut_off = 0, listed_after_cut = 0, restored = 0;
  int done = 0;
  // Restores every listed backup not yet checked; false if listing failed.
  auto verify_backups = [&](const Endpoint& endpoint,
                            const BackupCall* call) -> bool {
    absl::StatusOr<std::vector<uint32_t>> ids = ListBackups(endpoint);
    if (!ids.ok()) {
      Fail(absl::StrCat("ListBackups: ", ids.status().message()));
      return false;
    }
    const std::set<uint32_t> listed(ids->begin(), ids->end());
    if (call != nullptr && call->status.ok() &&
        !listed.contains(call->backup.backup_id())) {
      Fail(absl::StrCat("backup ", call->backup.backup_id(),
                        " was answered but is not listed"));
    }
    if (call != nullptr && !call->status.ok() &&
        listed.size() > verified.size())
      ++listed_after_cut;
    for (uint32_t id : listed) {
      if (verified.contains(id)) continue;
      verified.insert(id);
      const std::string restore_dir = absl::StrCat(dir, "/restore-", id);
      absl::StatusOr<RunResult> run =
          Run({Binary("exchanges"), absl::StrCat("--data_dir=", restore_dir),
               absl::StrCat("--restore_from=", backup_dir),
               absl::StrCat("--restore_backup_id=", id)},
              Log("exchanges-restore"), absl::Minutes(5));
      if (!run.ok() || run->exit_code != 0) {
        Fail(absl::StrCat("listed backup ", id, " does not restore: ",
                          run.ok() ? run->output : run.status().ToString()));
        continue;
      }
      if (CheckStore("exchanges", restore_dir,
                     absl::StrCat("restored backup ", id))) {
        ++restored;
      }
      std::filesystem::remove_all(restore_dir);
    }
    return true;
  };
  verify_backups(service->endpoint, &whole);

  for (int cycle = 1; cycle <= cycles && service.ok(); ++cycle) {
    workload.Start(service->endpoint);
    absl::SleepFor(absl::Milliseconds(100));
    BackupCall call;
    std::thread backup([&call, endpoint = service->endpoint] {
      call = CreateBackup(endpoint);
    });
    // Anywhere in a backup as long as the last, or a little after.
    absl::SleepFor(backup_time * absl::Uniform<double>(gen_, 0, 1.1));
    workload.Killing();
    service->child.Signal(SIGKILL);
    service->child.Wait();
    backup.join();
    workload.Stop();
    ++(call.status.ok() ? answered : cut_off);
    // Backups grow with the store: after a cut-off one, reach further.
    backup_time = call.status.ok() ? call.took : backup_time * 1.3;

    CheckStore("exchanges", data_dir,
               absl::StrCat("after backup kill ", cycle));
    service = StartDomain("exchanges", data_dir, flags);
    if (!service.ok()) break;
    workload.Verify(service->endpoint, cycle == cycles, options_.sample);
    verify_backups(service->endpoint, &call);
    ++done;
    std::fprintf(stderr, "backup cycle %d/%d: backup %s\n", cycle, cycles,
                 call.status.ok() ? "answered" : "cut off");
  }
  if (!service.ok()) Fail(std::string(service.status().message()));
  nlohmann::json out = Take(workload.counts());
  out["cycles"] = done;
  out["uninterrupted_backup_ms"] =
      absl::ToDoubleMilliseconds(first_backup_time);
  out["backups_answered_before_kill"] = answered;
  out["backups_cut_off"] = cut_off;
  out["cut_off_backups_listed"] = listed_after_cut;
  out["backups_restored_and_checked"] = restored;
  out["backups_listed"] = verified.size();
  out["seconds"] = absl::ToDoubleSeconds(absl::Now() - started);
  return out;
}

}  // namespace parley::crash
