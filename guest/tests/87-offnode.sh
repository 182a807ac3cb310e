#!/bin/sh
# Device memory on a node without memory: the NVDIMM sits on node 1,
# which has a CPU and no RAM, so the memmap of a device on it comes from
# node 0 and every vmemmap page is off-node. The series populates a
# deduplicated memmap with 4K PTEs, which reported every unique vmemmap
# page (3072 lines for a 3G device of 2M pages, more than the log
# holds); it must report once per range it populates (a 128M section
# here). Base maps the vmemmap with PMD leaves and x86 only checks the
# node of a leaf it finds already there, so it prints none for a fresh
# device: at most one line per section on every kernel, exactly one on
# the series.
# boot: -N -M
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if [ ! -d /sys/devices/system/node/node1 ]; then
	skip "off-node memmap reported once per range" "needs the two-node boot of its '# boot:' line"
	exit 0
fi

# offnode_tests WHAT DEV ALIGN MAP
offnode_tests() {
	sections=$(($(nd_size "$(ns_of_dax "$2")") / (128 << 20)))
	node=$(cat "/sys/bus/dax/devices/$2/numa_node")
	is "$node" 1 "$1: the device is on node 1"
	lines=$(dmesg_since offnode | grep -c 'potential offnode page_structs')
	if [ "$KIND" = base ]; then
		if [ "$lines" -le "$sections" ]; then
			ok "$1: at most one off-node line per section ($lines for $sections)"
		else
			not_ok "$1: at most one off-node line per section ($lines for $sections)"
		fi
	else
		is "$lines" "$sections" "$1: one off-node line per section ($sections)"
	fi
	dmesg_since offnode | grep 'potential offnode page_structs' | head -2 | sed 's/^/#   /'
	kmsg_mark offnode
}

kmsg_mark offnode
on_devices offnode_tests nfit:2M:mem
