#!/bin/sh
# Print what the guest sees: memory map, nvdimm buses and regions, dax
# regions and devices. Run with scripts/boot -r info.
set -x
grep -E 'MemTotal|MemFree' /proc/meminfo
cat /proc/iomem
ndctl list -BRN
daxctl list -RD
