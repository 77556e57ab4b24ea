#!/usr/bin/env python3
"""The layers of common/ in the include graph: a file includes only headers
of its own layer and of the layers below it (common/CMakeLists.txt draws the
order), and the gateway and parleyctl include nothing of the store. Prints
one line per offending include and exits 1 if there is any.

    tests/lint/layers_test.py [REPO]
    tests/lint/layers_test.py --self-test   # a tree with a bad include fails
"""
import pathlib
import re
import subprocess
import sys
import tempfile

# What each part of the tree may include from common/.
ALLOWED = {
    "common/base": {"base"},
    "common/model": {"base", "model"},
    "common/store": {"base", "model", "store"},
    "common/api": {"base", "model", "api"},
    "common/server": {"base", "model", "api", "server"},
    "common/service": {"base", "model", "store", "api", "server", "service"},
    # Stateless: no store, so no RocksDB in their binaries.
    "services/gateway": {"base", "model", "api", "server"},
    "tools/parleyctl": {"base", "model", "api"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"common/([^/"]+)/[^"]+"', re.M)
ANY_COMMON = re.compile(r'^\s*#\s*include\s+"(common/[^"]+)"', re.M)


def self_test() -> int:
    """A tree that keeps the layers passes; each kind of breach fails."""
    breaches = {
        "common/model/x.h": '#include "common/store/store.h"\n',
        "common/api/x.h": '#include "common/server/auth.h"\n',
        "services/gateway/x.cc": '#include "common/store/collection.h"\n',
        "tools/parleyctl/x.cc": '#include "common/server/server.h"\n',
        "common/store/x.cc": '#include "common/flat.h"\n',
    }
    failures = 0
    for bad_file, bad_include in [(None, None)] + list(breaches.items()):
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            for part in ALLOWED:
                (root / part).mkdir(parents=True)
                (root / part / "ok.h").write_text(
                    '#include "common/base/status.h"\n')
            if bad_file:
                (root / bad_file).write_text(bad_include)
            rc = subprocess.run([sys.executable, __file__, str(root)],
                                capture_output=True, text=True).returncode
            want = 1 if bad_file else 0
            if rc != want:
                failures += 1
                print(f"self-test: {bad_file or 'a clean tree'}: exit {rc}, "
                      f"want {want}")
    print(f"layers self-test: {len(breaches) + 1 - failures} passed, "
          f"{failures} failed")
    return 1 if failures else 0


def main() -> int:
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    repo = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    problems = []
    checked = 0
    for part, allowed in ALLOWED.items():
        folder = repo / part
        if not folder.is_dir():
            problems.append(f"{part}: folder missing")
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".h", ".cc", ".in"):
                continue
            checked += 1
            text = path.read_text(encoding="utf-8")
            rel = path.relative_to(repo)
            for m in ANY_COMMON.finditer(text):
                if not INCLUDE.match(m.group(0)):
                    problems.append(f"{rel}: {m.group(1)} is in no layer")
            for m in INCLUDE.finditer(text):
                layer = m.group(1)
                if layer not in allowed:
                    line = text.count("\n", 0, m.start()) + 1
                    problems.append(
                        f"{rel}:{line}: includes common/{layer}, which "
                        f"{part} may not (allowed: {', '.join(sorted(allowed))})")
    for p in problems:
        print(p)
    print(f"layers: {checked} files checked, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
