#!/bin/sh
# O_DIRECT between an emulated NVMe disk and device-dax memory: the block
# layer pins the subpages of the device's compound pages and the NVMe
# driver asks is_pci_p2pdma_page() about them, which reads the pgmap of a
# tail page through its head. Both directions at +4K (inside the first
# compound page, across its end for 2M) and at +2M+4K, 2 MiB each way,
# data checked on every 4K page, no kernel warning.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

disk=/dev/nvme0n1
if [ ! -b "$disk" ]; then
	not_ok "the NVMe disk of scripts/boot is there ($disk)"
	exit 0
fi
# nvme_tests ALIGN A DEV
nvme_tests() {
	for off in 4096 $((2 * 1048576 + 4096)); do
		kmsg_mark "27-nvme $1 $off"
		check "align=$1: O_DIRECT NVMe <-> device at offset $off, 2 MiB each way" \
			daxmap odirect "/dev/$3" $((3 * $2)) "$2" "$disk" "$off" 2M
		is "$(dmesg_since "27-nvme $1 $off" | grep -c -E 'WARNING|BUG|bad page')" 0 \
			"align=$1: no kernel warning from O_DIRECT at offset $off"
	done
}

on_aligned nvme_tests
