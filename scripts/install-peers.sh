#!/usr/bin/env bash
# Installs the Debian packages Vigil needs: "start" (fping, snmp tools) or "test" (every real peer the tests use).
# Says which packages it installs and why before running apt-get, and only when something is missing, so repeated
# runs cost nothing and change nothing. Not root: prints the one command to run instead (VIGIL_NO_INSTALL=1 does the
# same as root). It never stops, restarts or reconfigures the machine's services: tests run their own snmpd, rsyslogd
# and receivers on free loopback ports and stop only those, by process id.
# Test mode also fetches the shared test material (scripts/fetch-testdata.sh) when there is neither ../shared beside
# the project nor $VIGIL_TESTDATA; never on CI (CI=…), which must provide ../shared.
set -euo pipefail
mode=${1:-start}
root=$(cd "$(dirname "$0")/.." && pwd)

start_pkgs=(fping snmp)
test_pkgs=(fping snmp snmpd snmptrapd snmpsim rsyslog rsyslog-gnutls chromium iproute2 openssl bsdutils fonts-nanum libwireshark-data postgresql-15 kcat iptables lldpd)
declare -A why=(
  [fping]='ICMP reachability and round-trip times'
  [snmp]='the standard MIBs in /usr/share/snmp/mibs and the net-snmp tools'
  [snmpd]='a real SNMP agent to poll'
  [snmptrapd]='a reference trap receiver'
  [snmpsim]='recorded devices to poll'
  [rsyslog]='a real syslog relay (TCP and TLS)'
  [rsyslog-gnutls]='syslog over TLS'
  [chromium]='the web UI tests (driven by playwright-core)'
  [iproute2]='private network namespaces (ip netns)'
  [openssl]='test certificates'
  [bsdutils]='logger(1)'
  [fonts-nanum]='Korean screenshots'
  [libwireshark-data]="IANA's enterprise numbers"
  [postgresql-15]='a throwaway PostgreSQL per test run (its own initdb directory and port; the packaged cluster is left alone)'
  [kcat]="a mock Kafka cluster per test (librdkafka's built-in mock brokers on loopback ports, hosted by kcat)"
  [iptables]='making the mock Kafka brokers unreachable in the bus tests (loopback-only rules, removed after)'
  [lldpd]='real LLDP neighbours in the network-namespace lab (one lldpd per namespace; a packaged lldpd service that apt may start is neither used nor touched)'
  [git]='fetching the test data'
  [curl]='fetching the test data'
  [ca-certificates]='fetching the test data over HTTPS'
  [bzip2]='unpacking the device recordings'
)

fetch_testdata=false
if [ "$mode" = test ]; then
  pkgs=("${test_pkgs[@]}")
  if [ -z "${VIGIL_TESTDATA:-}" ] && [ ! -d "$root/../shared" ]; then
    fetch_testdata=true
    [ -f "$root/.testdata/.complete" ] || pkgs+=(git curl ca-certificates bzip2)
  fi
else
  pkgs=("${start_pkgs[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  list=$(for p in "${missing[@]}"; do printf '%s (%s), ' "$p" "${why[$p]:-needed}"; done)
  list=${list%, }
  command="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" != 0 ] || [ -n "${VIGIL_NO_INSTALL:-}" ]; then
    if [ "$(id -u)" != 0 ]; then command="sudo $command"; fi
    if [ "$mode" = test ]; then
      echo "vigil: the tests need these missing Debian packages: $list" >&2
      echo "vigil: run: $command" >&2
      exit 1
    fi
    echo "vigil: Vigil starts without these missing Debian packages, but does less: $list" >&2
    echo "vigil: to install them, run: $command" >&2
  else
    echo "vigil: installing missing Debian packages with apt-get: $list" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
      echo "vigil: apt-get failed; run it yourself to see why: apt-get update && $command" >&2
      exit 1
    fi
  fi
fi

if $fetch_testdata; then
  if [ -n "${CI:-}" ]; then
    [ -f "$root/.testdata/.complete" ] && exit 0
    echo "vigil: CI must provide the test data at ../shared (or VIGIL_TESTDATA); it does not fetch it (run scripts/fetch-testdata.sh outside CI)" >&2
    exit 1
  fi
  bash "$root/scripts/fetch-testdata.sh"
fi
exit 0
