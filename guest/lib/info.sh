#!/bin/sh
# Print what the guest sees: memory map, nvdimm buses and regions, dax
# regions and devices. Run with scripts/boot -r info.
set -x
grep -E 'MemTotal|MemFree' /proc/meminfo
ndctl list -BRN
daxctl list -RD
ndctl disable-region all; ndctl init-labels all; ndctl enable-region all
ndctl create-namespace -r region0 -m devdax -a 1G -M dev -s 2G
ndctl create-namespace -r region0 -m devdax -a 2M -M mem -s 1G
ndctl create-namespace -f -e namespace1.0 -m devdax -a 1G -M mem
daxctl list -RD
daxctl disable-device dax2.0
daxctl destroy-device dax2.0
daxctl list -RD -i
daxctl create-device -r 2 -a 1G -s 1G
daxctl create-device -r 2 -a 2M -s 512M
daxctl list -RD
daxctl reconfigure-device -m system-ram dax2.1
grep -E 'MemTotal|MemFree' /proc/meminfo
daxctl reconfigure-device -m devdax -f dax2.1
grep -E 'MemTotal|MemFree' /proc/meminfo
dmesg | tail -30
