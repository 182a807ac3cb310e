#!/bin/sh
# Destroy and re-create a namespace at another align on the same
# capacity; turn an hmem device into system RAM and back.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

nfit_reset >/dev/null
prev=
for align in 2M 1G 4K 1G 2M; do
	dev=$(ns_create nfit "$align" mem 4G)
	if [ -z "$dev" ]; then
		not_ok "nfit re-create at align=$align${prev:+ after $prev}"
		continue
	fi
	is "$(dax_align "$dev")" "$(bytes "$align")" "nfit re-create at align=$align${prev:+ after $prev}"
	check "nfit align=$align: data round trip after re-create" \
		daxmap data "/dev/$dev" "$(bytes 1G)" "$(bytes "$align")"
	ns_destroy "$dev"
	prev=$align
done
is "$(ndctl list -R -r "$(region_of ACPI.NFIT)" | json available_size)" \
	"$(ndctl list -R -r "$(region_of ACPI.NFIT)" | json size)" \
	"nfit: all capacity available again after the last destroy"

hmem_reset
dev=$(hmem_create 1G 1G)
total=$(memtotal_kb)
if daxctl reconfigure-device -m system-ram "$dev" >/dev/null 2>&1; then
	ok "hmem $dev: reconfigured to system-ram"
	is $(($(memtotal_kb) - total)) $((1024 * 1024)) "hmem $dev: MemTotal grows by the device size"
else
	not_ok "hmem $dev: reconfigured to system-ram"
fi
check "hmem $dev: back to devdax" daxctl reconfigure-device -m devdax -f "$dev"
is "$(memtotal_kb)" "$total" "hmem $dev: MemTotal back where it was"
check "hmem $dev: data round trip after system-ram" daxmap data "/dev/$dev" "$(bytes 1G)" "$(bytes 1G)"
hmem_reset
