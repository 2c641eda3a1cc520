#!/usr/bin/env bash
# Fetches the shared test material for a clone that has no ../shared beside it: the same mibs/, devices/,
# devices-large/ and logs/ as ../shared (see its README), from the pinned public sources, into .testdata/ (or DIR).
# test/harness/testdata.ts finds it there after $VIGIL_TESTDATA and ../shared.
#
#   bash scripts/fetch-testdata.sh [DIR]
#
# Each source is fetched at its pinned commit (git: a shallow fetch of that commit; without git, or when that fails,
# GitHub's tarball of the commit with curl), only the files ../shared holds are kept, recordings are decompressed, and
# every directory is checked against the digest of ../shared's before the result replaces DIR. Running it again once
# DIR is complete does nothing.
#
# VIGIL_TESTDATA_GITHUB replaces https://github.com, e.g. file:///srv/mirror holding netdisco/netdisco-mibs (a git
# repository) or netdisco/netdisco-mibs/archive/<commit>.tar.gz (a tarball as GitHub serves it): for mirrors, and
# for testing this script without a network.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/.testdata}
dest=${dest%/}
base=${VIGIL_TESTDATA_GITHUB:-https://github.com}
base=${base%/}

# The sources ../shared/README.md names, at their commits.
mibs_repo=netdisco/netdisco-mibs mibs_commit=27ee78736ffec9b2171eddefafd3f7caa8cb7c4b
devices_repo=etingof/snmpsim-data devices_commit=1e91429999af5044daac63a2c892f36c0b356554
logs_repo=logpai/loghub logs_commit=dd61d0952749ee7963bde24220d1be5ede023033

# netdisco-mibs directories → mibs/ (same names, whole directories).
mib_dirs=(apc arista aruba cisco juniper mikrotik net-snmp netapp paloalto rfc ruckus ubnt)
# snmpsim-data recordings → devices/<name>.snmprec, decompressed; and the large one, kept apart under another name.
recordings=(
  data/UPS/apc-8932.snmprec
  data/cloud/arista-dcs-7150s-52-cl.snmprec.bz2
  data/network/wifi/aruba-7210.snmprec.bz2
  data/network/switch/brocade-icx6430-24.snmprec.bz2
  data/network/switch/cisco-c3560.snmprec.bz2
  data/network/switch/cisco-n5000.snmprec.bz2
  data/network/switch/dlink-des3038.snmprec.bz2
  data/iot/geist-temperature-sensor.snmprec
  data/network/switch/hpe-procurve-516733-b21.snmprec.bz2
  data/network/router/juniper-mx960-12-3r6-6.snmprec.bz2
  data/storage/netapp-fas3270.snmprec.bz2
  data/network/firewall/paloalto-pa-5000.snmprec.bz2
  data/network/wifi/sangfor-wac-2.snmprec.bz2
  data/os/windows/server-2003-5-2.snmprec.bz2
  data/os/linux/unknown-002.snmprec.bz2
  data/network/router/vyatta-unknown.snmprec.bz2
)
large_recording=data/network/appliance/cisco-controller.snmprec.bz2
large_name=cisco-wlc-controller.snmprec
# loghub samples → logs/<file>.
log_files=(Linux/Linux_2k.log OpenSSH/OpenSSH_2k.log)

# sha256 over `sha256sum` of every file (sorted paths relative to the directory), as in ../shared.
declare -A digest=(
  [mibs]=b9558a3cf9145f55661143b93b93d973c0e9f58092d17d5d9fbca59c8d8df355
  [devices]=ad0f77add4ae2757689213b12c2c3432d45748708813868aa20e9c176c470119
  [devices-large]=544dc2d4ffa92031cbd237047065aea018ae23d0832eb4a28500b0a36540d418
  [logs]=614661844858cb2956f842cebbf63bfaf314e50755fc72f742807fa66ac4e3ad
)
stamp="$mibs_commit $devices_commit $logs_commit"

say() { echo "vigil: $*" >&2; }
if [ -f "$dest/.complete" ] && [ "$(cat "$dest/.complete")" = "$stamp" ]; then
  say "test data already complete at $dest"
  exit 0
fi
if [ -e "$dest" ] && [ ! -f "$dest/.complete" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
  say "$dest exists and was not made by this script: not replacing it (remove it or name another directory)"
  exit 1
fi

missing=()
for tool in tar:tar sha256sum:coreutils bunzip2:bzip2; do command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}"); done
command -v git >/dev/null || command -v curl >/dev/null || missing+=(git)
if [ ${#missing[@]} -gt 0 ]; then
  say "fetching the test data needs: ${missing[*]}; run: apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi

mkdir -p "$(dirname "$dest")"
work=$(mktemp -d "$dest.tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT

# source_tree REPO COMMIT DIR PATH…: DIR holds the PATHs (files or directories) of REPO at COMMIT.
source_tree() {
  local repo=$1 commit=$2 dir=$3
  shift 3
  local url="$base/$repo"
  say "fetching $repo at ${commit:0:8} from $url"
  if command -v git >/dev/null; then
    # Only that commit, and only the blobs of PATHs (a partial clone where the server allows it, as GitHub does).
    local p patterns=()
    for p in "$@"; do patterns+=("/$p"); done
    if git init -q "$dir" && git -C "$dir" sparse-checkout set --no-cone "${patterns[@]}" \
      && git -C "$dir" fetch -q --depth 1 --filter=blob:none "$url" "$commit" \
      && git -C "$dir" -c advice.detachedHead=false -c core.autocrlf=false checkout -q "$commit"; then
      return 0
    fi
    rm -rf "$dir"
    command -v curl >/dev/null || { say "git could not fetch $repo at $commit"; return 1; }
    say "git could not fetch $repo at ${commit:0:8}; trying GitHub's tarball of that commit"
  fi
  local x="$dir.x"
  mkdir -p "$x" "$dir"
  # The tarball holds one directory, REPO-COMMIT/: strip it, keep only the PATHs.
  if ! curl -fsSL --retry 3 "$url/archive/$commit.tar.gz" | tar -xz -C "$x" --strip-components=1; then
    say "could not download $url/archive/$commit.tar.gz"
    return 1
  fi
  for p in "$@"; do
    [ -e "$x/$p" ] || { say "$repo at $commit has no $p"; return 1; }
    mkdir -p "$dir/$(dirname "$p")"
    mv "$x/$p" "$dir/$p"
  done
  rm -rf "$x"
}

# put SRC DST: copies, decompressing .bz2.
put() { case $1 in *.bz2) bunzip2 -c "$1" >"$2" ;; *) cp "$1" "$2" ;; esac; }

out="$work/out"
mkdir -p "$out/mibs" "$out/devices" "$out/devices-large" "$out/logs"

source_tree "$mibs_repo" "$mibs_commit" "$work/mibs-src" "${mib_dirs[@]}"
for d in "${mib_dirs[@]}"; do mv "$work/mibs-src/$d" "$out/mibs/$d"; done

source_tree "$devices_repo" "$devices_commit" "$work/devices-src" "${recordings[@]}" "$large_recording"
for r in "${recordings[@]}"; do put "$work/devices-src/$r" "$out/devices/$(basename "$r" .bz2)"; done
put "$work/devices-src/$large_recording" "$out/devices-large/$large_name"

source_tree "$logs_repo" "$logs_commit" "$work/logs-src" "${log_files[@]}"
for l in "${log_files[@]}"; do mv "$work/logs-src/$l" "$out/logs/"; done

for d in mibs devices devices-large logs; do
  got=$(cd "$out/$d" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [ "$got" != "${digest[$d]}" ]; then
    say "$d/ does not match its pinned digest (sha256 $got, expected ${digest[$d]}): not installing it"
    exit 1
  fi
done

cat >"$out/README.md" <<EOF
# Vigil test data (fetched by scripts/fetch-testdata.sh)

The same material as ../shared beside the project: read it in place, do not commit it.

- mibs/: netdisco-mibs (https://github.com/$mibs_repo), commit $mibs_commit; each file keeps its authors' copyright notice.
- devices/, devices-large/: snmpsim-data (https://github.com/$devices_repo), commit $devices_commit, decompressed;
  devices-large/$large_name is $large_recording there.
- logs/: loghub (https://github.com/$logs_repo), commit $logs_commit; any use or distribution must refer to that repository.
EOF
echo "$stamp" >"$out/.complete"
# Readable by every user: snmpsimd serves devices/ as nobody.
chmod -R u=rwX,go=rX "$out"

rm -rf "$dest"
mv "$out" "$dest"
say "test data ready at $dest"
if [ "$dest" != "$root/.testdata" ]; then say "tests find it with VIGIL_TESTDATA=$dest"; fi
