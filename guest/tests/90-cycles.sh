#!/bin/sh
# Teardown balances: 100 enable/disable cycles and align changes on one
# region leave MemFree within 1 MiB of where it started (a reused
# vmemmap tail page that is not freed, or freed too early, shows here or
# as "bad page" in the log, which the runner checks).
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

ns=$(e820_namespace)
dev=$(ns_create e820 2M mem)
ndctl disable-namespace "$ns" >/dev/null
settle
start=$(memfree_kb)
fails=0
i=0
while [ $i -lt 100 ]; do
	ndctl enable-namespace "$ns" >/dev/null 2>&1 || fails=$((fails + 1))
	ndctl disable-namespace "$ns" >/dev/null 2>&1 || fails=$((fails + 1))
	i=$((i + 1))
done
is "$fails" 0 "e820 2M: 100 enable/disable cycles succeed"
for align in 1G 4K 2M 1G; do
	dev=$(ns_create e820 "$align" mem) || fails=$((fails + 1))
	ndctl disable-namespace "$ns" >/dev/null 2>&1
done
is "$fails" 0 "e820: align changes 1G, 4K, 2M, 1G succeed"
settle
within "$(memfree_kb)" "$start" 1024 "e820: MemFree after the cycles, kB"
ndctl enable-namespace "$ns" >/dev/null 2>&1
check "e820: data round trip after the cycles" daxmap data "/dev/$dev" "$(bytes 2G)" "$(bytes 1G)"
ns_destroy_all
