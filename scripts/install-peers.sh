#!/usr/bin/env bash
# Installs the Debian packages Vigil needs: "start" (fping, snmp tools) or "test" (every real peer the tests use).
# Runs apt-get only when something is missing, so repeated runs cost nothing. It never stops the machine's services:
# tests run their own snmpd, rsyslogd and receivers on free loopback ports and stop only those, by process id.
set -euo pipefail
mode=${1:-start}
start_pkgs=(fping snmp)
test_pkgs=(fping snmp snmpd snmptrapd snmpsim rsyslog rsyslog-gnutls kcat chromium iproute2 iptables openssl bsdutils fonts-nanum libwireshark-data)
if [ "$mode" = test ]; then pkgs=("${test_pkgs[@]}"); else pkgs=("${start_pkgs[@]}"); fi
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "vigil: missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2; [ "$mode" = test ] && exit 1 || exit 0; fi
  echo "vigil: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
exit 0
