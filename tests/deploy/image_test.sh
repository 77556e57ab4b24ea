#!/usr/bin/env bash
# Checks deploy/image/Dockerfile without building it (no container engine is
# needed):
#   - two stages: a build stage FROM debian:bookworm, the runtime FROM
#     debian:bookworm-slim;
#   - the build stage installs every build package of tests/lib/install-deps.sh
#     (its -dev packages, compilers and proto/data packages; not the test
#     ones) and prometheus-cpp-dev, and builds the five binary targets, which
#     exist in the CMake files, with PARLEY_BUILD_TESTS=OFF;
#   - the runtime stage copies only those binaries, from the build stage, into
#     /usr/local/bin, installs ca-certificates, and runs as a numeric non-root
#     USER;
#   - every shared library the built binaries link (ldd) belongs (dpkg -S) to
#     a package the runtime stage installs, or to libc6, libgcc-s1 or
#     libstdc++6, which debian:bookworm-slim has.
# The last check needs the built binaries: given as arguments (ctest passes
# them), else taken from build/release. Without them it is skipped, with a
# message, and the script exits 77 (ctest's SKIP_RETURN_CODE) if the rest
# passed. Then it checks itself: broken copies of the Dockerfile (a root
# USER, a full base image, a stray COPY, a missing build or runtime package)
# must each fail with the problem named.
#
#   bash tests/deploy/image_test.sh [GATEWAY EXCHANGES NEGOTIATIONS INCIDENTS PARLEYCTL]
#
# Env: DOCKERFILE (default deploy/image/Dockerfile).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dockerfile=${DOCKERFILE:-$repo/deploy/image/Dockerfile}
BINARIES=(parley-gateway parley-exchanges parley-negotiations parley-incidents parleyctl)
# In debian:bookworm-slim already (and needed by everything).
BASE_PACKAGES=(libc6 libgcc-s1 libstdc++6)
# install-deps.sh packages that only the tests or the tools use.
TEST_ONLY_PACKAGES=(libgtest-dev libgmock-dev googletest libbenchmark-dev)
# install-deps.sh packages that are build tools or build inputs without -dev.
BUILD_TOOL_PACKAGES=(cmake ninja-build g++ pkg-config protobuf-compiler
  protobuf-compiler-grpc iso-codes grpc-proto)

problems=()
fail() { problems+=("$*"); }

contains() { # contains WORD LIST...
  local w=$1
  shift
  local x
  for x in "$@"; do [[ $x == "$w" ]] && return 0; done
  return 1
}

[[ -f $dockerfile ]] || {
  echo "image_test: no $dockerfile" >&2
  exit 1
}

# --- parse the Dockerfile: instructions (continuations joined, comments
# dropped), each tagged with its stage number.
mapfile -t instructions < <(
  sed -e 's/\r$//' "$dockerfile" |
    awk '
      /^[[:space:]]*#/ { next }
      { line = cont $0; cont = "" }
      /\\[[:space:]]*$/ { sub(/\\[[:space:]]*$/, " ", line); cont = line; next }
      line ~ /^[[:space:]]*$/ { next }
      { gsub(/[[:space:]]+/, " ", line); sub(/^ /, "", line); print line }
    '
)
stage=-1
stage_names=()
stage_bases=()
declare -A stage_text
for ins in "${instructions[@]}"; do
  read -r op rest <<<"$ins"
  op=${op^^}
  if [[ $op == FROM ]]; then
    stage=$((stage + 1))
    read -r -a from <<<"$rest"
    stage_bases+=("${from[0]}")
    name=""
    if ((${#from[@]} >= 3)) && [[ ${from[1]^^} == AS ]]; then name=${from[2]}; fi
    stage_names+=("$name")
    continue
  fi
  ((stage >= 0)) || {
    fail "instruction before the first FROM: $ins"
    continue
  }
  stage_text[$stage]+="$op $rest"$'\n'
done

if ((${#stage_bases[@]} != 2)); then
  fail "expected two stages (build, runtime), found ${#stage_bases[@]}"
fi
build_base=${stage_bases[0]:-}
runtime_base=${stage_bases[-1]:-}
build_name=${stage_names[0]:-}
[[ $build_base =~ ^debian:bookworm(-[0-9]+)?(@sha256:[0-9a-f]+)?$ ]] ||
  fail "build stage is FROM '$build_base', expected debian:bookworm"
[[ $runtime_base =~ ^debian:bookworm-slim(@sha256:[0-9a-f]+)?$ ]] ||
  fail "runtime stage is FROM '$runtime_base', expected debian:bookworm-slim"
[[ -n $build_name ]] || fail "the build stage has no name (FROM ... AS build)"
build=${stage_text[0]:-}
runtime=${stage_text[$((${#stage_bases[@]} - 1))]:-}

# apt_packages TEXT: the packages that `apt-get install` lines in TEXT name.
apt_packages() {
  grep -o 'apt-get install[^&;|]*' <<<"$1" | sed 's/^apt-get install//' |
    tr ' ' '\n' | grep -v '^-' | grep -v '^$' || true
}

# --- build stage
mapfile -t build_packages < <(apt_packages "$build")
mapfile -t deps_packages < <(
  bash -c 'eval "$(sed -n "/^PARLEY_APT_PACKAGES=(/,/^)/p" "$1")"
           printf "%s\n" "${PARLEY_APT_PACKAGES[@]}"' _ "$repo/tests/lib/install-deps.sh"
)
((${#deps_packages[@]} > 0)) || fail "could not read PARLEY_APT_PACKAGES from tests/lib/install-deps.sh"
for pkg in "${deps_packages[@]}" prometheus-cpp-dev; do
  contains "$pkg" "${TEST_ONLY_PACKAGES[@]}" && continue
  if [[ $pkg == *-dev ]] || contains "$pkg" "${BUILD_TOOL_PACKAGES[@]}"; then
    contains "$pkg" "${build_packages[@]}" ||
      fail "build stage does not install $pkg (a build package in tests/lib/install-deps.sh)"
  fi
done
grep -q 'cmake --preset release' <<<"$build" || fail "build stage does not run 'cmake --preset release'"
grep -q -- '-DPARLEY_BUILD_TESTS=OFF' <<<"$build" || fail "build stage does not configure with -DPARLEY_BUILD_TESTS=OFF"
build_cmd=$(grep -o 'cmake --build[^&;]*' <<<"$build" || true)
[[ -n $build_cmd ]] || fail "build stage does not run 'cmake --build'"
for bin in "${BINARIES[@]}"; do
  grep -qw -- "$bin" <<<"$build_cmd" || fail "build stage's cmake --build does not build target $bin"
  grep -rqs --include=CMakeLists.txt "add_executable($bin\b" "$repo/services" "$repo/tools" ||
    fail "no add_executable($bin ...) in services/ or tools/: the target name is wrong"
done

# --- runtime stage
mapfile -t runtime_packages < <(apt_packages "$runtime")
contains ca-certificates "${runtime_packages[@]}" || fail "runtime stage does not install ca-certificates"
for pkg in "${runtime_packages[@]}"; do
  [[ $pkg == *-dev ]] && fail "runtime stage installs a -dev package: $pkg"
done
user=$(grep '^USER ' <<<"$runtime" | tail -n 1 | cut -d' ' -f2 || true)
if [[ -z $user ]]; then
  fail "runtime stage has no USER"
elif ! [[ $user =~ ^([0-9]+)(:[0-9]+)?$ ]] || ((BASH_REMATCH[1] == 0)); then
  fail "runtime USER is '$user': must be a numeric non-root uid (runAsNonRoot can only verify a number)"
fi
grep -q '^ADD ' <<<"$runtime" && fail "runtime stage uses ADD; only COPY --from=$build_name of the binaries"
copied=()
while read -r line; do
  [[ -n $line ]] || continue
  read -r -a words <<<"$line"
  if [[ ${words[1]:-} != "--from=$build_name" ]]; then
    fail "runtime stage copies other than the binaries from the build stage: $line"
    continue
  fi
  dest=${words[-1]}
  [[ $dest == /usr/local/bin/ || $dest == /usr/local/bin ]] ||
    fail "runtime stage copies to $dest, expected /usr/local/bin/: $line"
  for src in "${words[@]:2:${#words[@]}-3}"; do
    base=$(basename "$src")
    if contains "$base" "${BINARIES[@]}" && [[ $src == */build/release/* ]]; then
      copied+=("$base")
    else
      fail "runtime stage copies $src: only the built binaries (${BINARIES[*]}) belong in the image"
    fi
  done
done < <(grep '^COPY ' <<<"$runtime" || true)
for bin in "${BINARIES[@]}"; do
  contains "$bin" "${copied[@]}" || fail "runtime stage does not copy $bin"
done

# --- shared libraries of the built binaries
if (($# > 0)); then
  bins=("$@")
else
  b=$repo/build/release
  bins=("$b/services/gateway/parley-gateway" "$b/services/exchanges/parley-exchanges"
    "$b/services/negotiations/parley-negotiations" "$b/services/incidents/parley-incidents"
    "$b/tools/parleyctl/parleyctl")
fi
missing=()
for bin in "${bins[@]}"; do [[ -x $bin ]] || missing+=("$bin"); done

# candidates PATH: PATH as given, resolved, and across the /usr merge (ldd
# says /lib/..., dpkg may know /usr/lib/...; or the other way round).
candidates() {
  local p real
  real=$(readlink -f "$1")
  for p in "$1" "$real"; do
    echo "$p"
    case $p in
      /usr/lib/*) echo "${p#/usr}" ;;
      /lib/* | /lib64/*) echo "/usr$p" ;;
    esac
  done
}

ldd_checked=0
if ((${#missing[@]} > 0)); then
  echo "image_test: SKIPPING the shared-library check: built binaries not found:"
  printf '  %s\n' "${missing[@]}"
  echo "  (build them: cmake --build --preset release; or pass their paths)"
elif ! grep -qx "VERSION_CODENAME=bookworm" /etc/os-release 2>/dev/null; then
  echo "image_test: SKIPPING the shared-library check: this machine is not Debian 12, whose package names the image uses"
  missing+=(not-bookworm)
else
  declare -A needed_by
  for bin in "${bins[@]}"; do
    while read -r line; do
      if [[ $line == *"not found"* ]]; then
        fail "$(basename "$bin"): ldd: $line"
      elif [[ $line =~ =\>\ (/[^ ]+) ]]; then
        needed_by[${BASH_REMATCH[1]}]+="$(basename "$bin") "
      fi
    done < <(ldd "$bin")
  done
  # One dpkg -S for every candidate path: "pkg:arch[, pkg2]: /path" lines.
  declare -A owner
  mapfile -t all_candidates < <(for lib in "${!needed_by[@]}"; do candidates "$lib"; done | sort -u)
  while IFS= read -r line; do
    [[ $line == *": /"* && $line != diversion* ]] || continue
    pkg=${line%%: /*}
    pkg=${pkg%%,*}
    owner[/${line#*: /}]=${pkg%%:*}
  done < <(dpkg -S "${all_candidates[@]}" 2>/dev/null || true)
  declare -A used_packages
  for lib in "${!needed_by[@]}"; do
    pkg=""
    while read -r c; do
      if [[ -n ${owner[$c]:-} ]]; then
        pkg=${owner[$c]}
        break
      fi
    done < <(candidates "$lib")
    if [[ -z $pkg ]]; then
      fail "$lib (needed by ${needed_by[$lib]% }) belongs to no Debian package: the image could not install it"
      continue
    fi
    used_packages[$pkg]=1
    contains "$pkg" "${runtime_packages[@]}" "${BASE_PACKAGES[@]}" ||
      fail "$lib (needed by ${needed_by[$lib]% }) is in package $pkg, which the runtime stage does not install: add it to deploy/image/Dockerfile"
  done
  ldd_checked=${#needed_by[@]}
  for pkg in "${runtime_packages[@]}"; do
    [[ $pkg == ca-certificates || -n ${used_packages[$pkg]:-} ]] ||
      echo "image_test: note: runtime package $pkg holds no library these binaries link (a dependency of one that does, or not linked yet)"
  done
fi

if ((${#problems[@]} > 0)); then
  echo "image_test: $dockerfile: ${#problems[@]} problem(s):"
  printf '  %s\n' "${problems[@]}"
  exit 1
fi

echo "image_test: Dockerfile rules hold (2 stages, ${#build_packages[@]} build packages, ${#runtime_packages[@]} runtime packages, ${#copied[@]} binaries, USER $user)"
if ((${#missing[@]} == 0)); then
  echo "image_test: the runtime stage's packages cover all $ldd_checked shared libraries the binaries link"
fi

# --- self-test: each broken Dockerfile must fail, naming what is wrong.
if [[ -z ${PARLEY_IMAGE_SELF_TEST:-} ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cases=(
    # sed edit => the problem it must report
    's/^USER .*/USER root/ => must be a numeric non-root uid'
    's/^FROM debian:bookworm-slim/FROM debian:bookworm/ => expected debian:bookworm-slim'
    's|^COPY --from=build \(.*\)/parleyctl |COPY . /src\nCOPY --from=build \1/parleyctl | => copies other than the binaries'
    's/ prometheus-cpp-dev / / => does not install prometheus-cpp-dev'
    's/^USER .*// => has no USER'
  )
  ((${#missing[@]} == 0)) && cases+=('s/ libssl3 / / => which the runtime stage does not install')
  caught=0
  for case in "${cases[@]}"; do
    edit=${case%% => *}
    want=${case#* => }
    sed -e "$edit" "$dockerfile" >"$tmp/Dockerfile"
    if cmp -s "$dockerfile" "$tmp/Dockerfile"; then
      echo "image_test: self-test: '$edit' changed nothing in the Dockerfile" >&2
      exit 1
    fi
    set +e
    out=$(PARLEY_IMAGE_SELF_TEST=1 DOCKERFILE=$tmp/Dockerfile bash "${BASH_SOURCE[0]}" "${bins[@]}" 2>&1)
    rc=$?
    set -e
    if ((rc != 1)) || ! grep -qF -- "$want" <<<"$out"; then
      echo "image_test: self-test: the Dockerfile broken by '$edit' was not caught (exit $rc; expected a problem '$want'):" >&2
      echo "$out" >&2
      exit 1
    fi
    caught=$((caught + 1))
  done
  echo "image_test: self-test: $caught broken Dockerfiles caught"
fi
((${#missing[@]} == 0)) || exit 77
