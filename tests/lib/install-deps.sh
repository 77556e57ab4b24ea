#!/usr/bin/env bash
# Installs what Parley's build, tests and local run need, and nothing else:
# Debian packages that are missing (apt-get update only if something is), and
# buf (npm @bufbuild/buf), kubernetes-models and yaml (npm, for tests/deploy),
# and vega, vega-lite and ajv (npm, parleyctl's chart renderer) into
# <repo>/.tools. Safe to run again: a machine that has everything is left
# as it is.
#
#   tests/lib/install-deps.sh            # install; prints BUF=<path>
#   source tests/lib/install-deps.sh     # the same, and exports BUF
#
# As root it installs directly; otherwise through sudo if there is one, else it
# fails naming the missing packages.

# The Debian 12 packages the build and tests use.
PARLEY_APT_PACKAGES=(
  cmake ninja-build g++ ccache pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev nlohmann-json3-dev libssl-dev
  golang-github-gogo-googleapis-dev # google/rpc/*.proto
  iso-codes                         # ISO 3166 country codes
  grpc-proto                        # grpc/health/v1/health.proto
  prometheus-cpp-dev                # metrics (prometheus-cpp core and pull)
  libcsv-dev                        # parleyctl's CSV reading (RFC 4180)
  libjemalloc-dev                   # the binaries' allocator (RocksDB advises it)
  libgtest-dev libgmock-dev googletest
  python3 curl openssl
  postgresql-15 postgresql-client-15 # what tests/bench compares against
  nodejs npm # for buf and the chart renderer
  librsvg2-bin fonts-dejavu-core # charts: SVG to PNG, and a font for the text
  kubernetes-client # kubectl kustomize, for tests/deploy (any kubectl will do)
)
# What tests/run adds for the container and cluster tests (tests/container,
# tests/cluster): podman and its helpers (runc: crun refuses the hybrid
# cgroups of machines like CI's), debootstrap for the base image, and
# containerd, etcd, the CNI plugins and dnsmasq for the one-node cluster
# (deploy/cluster/up). deploy/local/up needs none of them.
PARLEY_CLUSTER_APT_PACKAGES=(
  podman buildah runc fuse-overlayfs slirp4netns uidmap catatonit debootstrap
  containerd etcd-server etcd-client containernetworking-plugins dnsmasq-base
  zstd iproute2
)
PARLEY_BUF_VERSION=${PARLEY_BUF_VERSION:-1.x}

_parley_repo_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

# _parley_have_package NAME: true if the package (or, for nodejs and npm, the
# command: NodeSource's nodejs ships npm, and Debian's npm conflicts with it)
# is installed.
_parley_have_package() {
  case $1 in
    nodejs) command -v node >/dev/null 2>&1 && return 0 ;;
    npm) command -v npm >/dev/null 2>&1 && return 0 ;;
    kubernetes-client) command -v kubectl >/dev/null 2>&1 && return 0 ;;
  esac
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# _parley_install_apt_packages [PACKAGE...]: those missing of the given (by
# default PARLEY_APT_PACKAGES).
_parley_install_apt_packages() {
  local missing=() pkg wanted=("${PARLEY_APT_PACKAGES[@]}")
  (($# > 0)) && wanted=("$@")
  for pkg in "${wanted[@]}"; do
    _parley_have_package "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "install-deps: missing Debian packages, and not root and no sudo to install them:" >&2
      echo "  apt-get install ${missing[*]}" >&2
      return 1
    fi
  fi
  echo "install-deps: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" || return 1
}

# _parley_install_buf REPO: buf from npm into REPO/.tools, unless it is there
# and runs; then REPO/.tools/bin/buf, a link to the platform's native buf
# binary (npm's .bin/buf is a node shim that adds about 0.1 s to every call,
# and the end-to-end tests make hundreds), or to the shim where there is none.
_parley_install_buf() {
  local tools=$1/.tools
  local buf=$tools/node_modules/.bin/buf
  if ! { [[ -x $buf ]] && "$buf" --version >/dev/null 2>&1; }; then
    echo "install-deps: installing @bufbuild/buf@$PARLEY_BUF_VERSION into $tools"
    mkdir -p "$tools" || return 1
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
      "@bufbuild/buf@$PARLEY_BUF_VERSION" || return 1
    if ! "$buf" --version >/dev/null; then
      echo "install-deps: buf installed but does not run: $buf" >&2
      return 1
    fi
  fi
  mkdir -p "$tools/bin" || return 1
  local native target=$buf
  for native in "$tools"/node_modules/@bufbuild/buf-*/bin/buf; do
    if [[ -x $native ]] && "$native" --version >/dev/null 2>&1; then
      target=$native
      break
    fi
  done
  ln -sfn "$target" "$tools/bin/buf" || return 1
}

# _parley_install_manifest_tools REPO: the npm packages tests/deploy validates
# Kubernetes manifests with (kubernetes-models 4: CommonJS, node >= 14; yaml
# 2), into REPO/.tools beside buf, unless they are there.
_parley_install_manifest_tools() {
  local tools=$1/.tools
  if node -e '
      const dir = process.argv[1] + "/node_modules/";
      const major = (p) => Number(require(dir + p + "/package.json").version.split(".")[0]);
      process.exit(major("kubernetes-models") === 4 && major("yaml") === 2 ? 0 : 1);
    ' "$tools" >/dev/null 2>&1; then
    return 0
  fi
  echo "install-deps: installing kubernetes-models@4 and yaml@2 into $tools"
  mkdir -p "$tools" || return 1
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
    "kubernetes-models@4" "yaml@2" || return 1
}

# _parley_install_chart_tools REPO: what parleyctl renders charts with
# (tools/parleyctl/vega_render.js): vega 5 and vega-lite 5 (their CommonJS
# builds; the renderer needs no canvas, so no native module) and ajv 8 with
# ajv-formats 3, which check a spec against vega-lite's own schema. Into
# REPO/.tools.
_parley_install_chart_tools() {
  local tools=$1/.tools
  if node -e '
      const dir = process.argv[1] + "/node_modules/";
      const major = (p) => Number(require(dir + p + "/package.json").version.split(".")[0]);
      process.exit(major("vega") === 5 && major("vega-lite") === 5 && major("ajv") === 8 && major("ajv-formats") === 3 ? 0 : 1);
    ' "$tools" >/dev/null 2>&1; then
    return 0
  fi
  echo "install-deps: installing vega@5, vega-lite@5, ajv@8 and ajv-formats@3 into $tools"
  mkdir -p "$tools" || return 1
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
    "vega@5" "vega-lite@5" "ajv@8" "ajv-formats@3" || return 1
}

# parley_install_cluster_deps: PARLEY_CLUSTER_APT_PACKAGES, and the
# Kubernetes binaries (Debian packages none): when PARLEY_KUBE_BIN_DIR is not
# set and a kit sits beside the checkout (../shared/tools/k8s: bin.tar.zst
# and bin.sha256), they are unpacked once into REPO/.tools/k8s/bin, checked
# against the sums, and PARLEY_KUBE_BIN_DIR exported. Elsewhere the cluster
# test says it is skipped and why.
parley_install_cluster_deps() {
  local repo kit dest pkg wanted=() fresh=()
  repo=$(_parley_repo_root) || return 1
  for pkg in "${PARLEY_CLUSTER_APT_PACKAGES[@]}"; do
    # Docker's own containerd.io conflicts with Debian's containerd and runc:
    # keep it (and docker) as they are.
    if [[ $pkg == containerd || $pkg == runc ]] && _parley_have_package containerd.io; then
      continue
    fi
    wanted+=("$pkg")
    _parley_have_package "$pkg" || fresh+=("$pkg")
  done
  # Best effort: without them the container and cluster tests say they are
  # skipped and why; the rest of the tests need none of this.
  if ! _parley_install_apt_packages "${wanted[@]}"; then
    echo "install-deps: could not install the container and cluster tests' packages; those tests will be skipped" >&2
    return 0
  fi
  # Debian starts etcd and containerd as system services on install; the
  # tests start their own, on their own ports and sockets. Where a service
  # was not started (no systemd unit running), there is nothing to stop.
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    for pkg in "${fresh[@]}"; do
      case $pkg in
        etcd-server) systemctl disable --now etcd >/dev/null 2>&1 || true ;;
        containerd) systemctl disable --now containerd >/dev/null 2>&1 || true ;;
      esac
    done
  fi
  [[ -n ${PARLEY_KUBE_BIN_DIR:-} ]] && return 0
  for kit in "$repo/../shared/tools/k8s" "$repo/../../shared/tools/k8s"; do
    [[ -f $kit/bin.tar.zst && -f $kit/bin.sha256 ]] || continue
    dest=$repo/.tools/k8s/bin
    if ! (cd "$dest" 2>/dev/null && sha256sum --quiet -c "$kit/bin.sha256" >/dev/null 2>&1); then
      echo "install-deps: unpacking the Kubernetes binaries from $kit into $dest"
      rm -rf "$dest"
      mkdir -p "$repo/.tools/k8s"
      if ! { zstd -dc "$kit/bin.tar.zst" | tar -x -C "$repo/.tools/k8s"; } ||
        ! (cd "$dest" && sha256sum --quiet -c "$kit/bin.sha256"); then
        echo "install-deps: the Kubernetes binaries from $kit did not unpack or do not match its bin.sha256; the cluster test will be skipped" >&2
        rm -rf "$dest"
        return 0
      fi
    fi
    export PARLEY_KUBE_BIN_DIR=$dest
    return 0
  done
}

# parley_install_deps: install what is missing; export BUF. Each step checks
# its own errors (`set -e` does not reach into functions called from a
# sourcing script's conditionals).
parley_install_deps() {
  local repo
  repo=$(_parley_repo_root) || return 1
  _parley_install_apt_packages || return 1
  _parley_install_buf "$repo" || return 1
  _parley_install_manifest_tools "$repo" || return 1
  _parley_install_chart_tools "$repo" || return 1
  export BUF=$repo/.tools/bin/buf
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  parley_install_deps
  echo "BUF=$BUF"
else
  parley_install_deps
fi
