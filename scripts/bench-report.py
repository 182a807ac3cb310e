#!/usr/bin/env python3
"""Usage: scripts/bench-report.py RESULTS_DIR
       scripts/bench-report.py --pair RESULTS_DIR PAIR

Turn the raw samples of scripts/bench into RESULTS_DIR/bench.md and
RESULTS_DIR/bench.png and print the Markdown report.

Input: RESULTS_DIR/raw-KIND-PAIR.txt (KIND base or series, PAIR 1..N, one
file per alternating boot pair) and raw-KIND-scale.txt, lines
"BENCH scenario align map metric value". Each boot contributes the median
of its samples; each pair gives one ratio per row (base and series booted
one after the other); a row reports the median ratio over the pairs and
the min-max of the pair ratios. A time sample that comes with a
host-speed reference (metric cal_us of the same scenario, one per sample:
guest/src/cal.h) enters the ratios divided by it, so that the host CPU
changing speed between or within boots does not show as a kernel
difference; absolute figures stay raw. Times are reported as speedups
(base/series, > 1 is faster), memory as series/base. The control rows
(anonymous memory, where the series changes only compound_head()) must
have a median from 1.0 to their instruction ratio base/series from
raw-KIND-icount.txt (1.0 without it), 5 % either side, otherwise the run
is flagged as noisy.

raw-KIND-icount.txt (base, series) and raw-KIND-icount-bare.txt (base,
series, notest) hold the same gup rows and the controls counted in
instructions (QEMU -icount: 1 us of guest time is 1000 instructions);
they are reported per 4K page, and notest, the series without the
shared-tail test of compound_head(), must count base's instructions on
the controls.

--pair: the control ratios of one boot pair, as scripts/bench prints
them after each pair (for information: the run is judged on the
medians); exit 1 when one of them is further than LAYOUT_TOL from 1.0.
"""
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

KINDS = ("base", "series")
ALIGNS = ("4K", "2M", "1G")
GIB = 1024 ** 3
NS_BYTES = 3 * GIB  # the e820 namespace of the main run


def load(path):
    """{(scenario, align, map, metric): [values]} of one raw file."""
    data = defaultdict(list)
    if not path.exists():
        return data
    for line in path.read_text().splitlines():
        f = line.split()
        if len(f) == 6 and f[0] == "BENCH":
            try:
                data[tuple(f[1:5])].append(float(f[5]))
            except ValueError:
                pass
    return data


def med(vals):
    return statistics.median(vals) if vals else None


def fmt(v, nd=0):
    return "-" if v is None else f"{v:,.{nd}f}"


def calibrated(data):
    """DATA with every time sample (metric *_us) that has a host-speed
    reference divided by it: the scenario's cal_us samples, one per sample
    of the metric, in the order the guest printed them."""
    out = defaultdict(list, data)
    for key, vals in data.items():
        cal = data.get(key[:3] + ("cal_us",))
        if key[3].endswith("_us") and key[3] != "cal_us" and cal \
                and len(cal) == len(vals) and min(cal) > 0:
            out[key] = [v / c for v, c in zip(vals, cal)]
    return out


class Runs:
    """The samples of every boot, by kind and pair."""

    def __init__(self, res):
        self.pairs = sorted({int(m.group(1)) for p in res.glob("raw-*-*.txt")
                             if (m := re.match(r"raw-(?:base|series)-(\d+)\.txt$", p.name))})
        self.d = {(k, p): load(res / f"raw-{k}-{p}.txt") for k in KINDS for p in self.pairs}
        self.cal = {kp: calibrated(d) for kp, d in self.d.items()}
        self.scale = {k: load(res / f"raw-{k}-scale.txt") for k in KINDS}

    def boot_meds(self, kind, key):
        """Median of each boot of KIND that has samples of KEY."""
        return [med(self.d[(kind, p)][key]) for p in self.pairs if self.d[(kind, p)][key]]

    def value(self, kind, key):
        """Median over the boots of the per-boot medians."""
        return med(self.boot_meds(kind, key))

    def ratios(self, key, speedup, raw=False):
        """Per-pair ratios: base/series when SPEEDUP, else series/base;
        of calibrated samples unless RAW."""
        d = self.d if raw else self.cal
        out = []
        for p in self.pairs:
            b, s = med(d[("base", p)][key]), med(d[("series", p)][key])
            if b is None or s is None:
                continue
            num, den = (b, s) if speedup else (s, b)
            if den:
                out.append(num / den)
        return out


def rfmt(rs, nd=2, unit=""):
    """'median [min-max] /n' of pair ratios, n the number of pairs."""
    if not rs:
        return "-"
    return f"{med(rs):.{nd}f}{unit} [{min(rs):.{nd}f}-{max(rs):.{nd}f}] /{len(rs)}"


# How far a control's median ratio over the pairs may sit outside the range
# from 1.0 to its instruction ratio, control_insn_ratio() (see
# below for why one pair's ratio is not judged).
CONTROL_TOL = 0.05

# One pair's control ratio is printed, and marked "off" beyond LAYOUT_TOL,
# but not judged. Under TCG the speed of hot code depends on its absolute
# address: before scripts/bench pinned the timed functions at the same
# address in both kernels (scripts/build-kernel -p), the anonymous 4K get,
# the same instructions in both kernels (scripts/same-code), read 0.70 in
# one layout and 1.26-1.58 in another, run after run. Pinned, in two
# 5-pair runs its pairs read 0.96-1.03 but for one pair per run at
# 1.12-1.16, and the THP page-per-call control, whose per-call syscall
# path is not pinned, 0.81-1.12: a pair beyond LAYOUT_TOL is common enough
# that only the medians are judged.
LAYOUT_TOL = 0.10

CONTROLS = [(("control-u-n512", "4K", "anon"), "anonymous 4K, gup-fast (-u -T)"),
            (("control-u-n1", "2M", "thp"), "anonymous THP, gup-fast a page per call (-u -t -n 1)")]


# What each function of scripts/same-code is on the path of.
SAME_CODE_ROWS = {
    "internal_get_user_pages_fast": "gup-fast get (-u, -a): the walk and the 4K PTE grab "
                                    "(4K devices, the controls), the THP PMD grab",
    "__gup_device_huge": "gup-fast get of a devmap PMD/PUD: 2M and 1G devices, fsdax",
    "try_grab_compound_head": "gup-fast get of a 4K page (4K devices, the 4K control)",
    "get_dev_pagemap": "gup-fast get of a devmap page: the pgmap lookup",
    "xa_load": "gup-fast get of a devmap page: the pgmap lookup when the cached pgmap misses (once per call)",
    "gup_benchmark_ioctl": "the timed loops; the -u put (put_page() inline)",
    "unpin_user_pages": "the put of -a, -b, -L",
    "put_devmap_managed_page": "put of fsdax pages",
    "__get_user_pages": "slow gup get (-b, -L)",
    "follow_page_mask": "slow gup get (-b, -L): the walk",
    "follow_devmap_pmd": "slow gup get of a devmap PMD (-b, -L)",
    "try_grab_page": "slow gup get: the grab of each page",
}


def check_pair(res, pair):
    """Exit status of --pair: 0 when every control ratio of PAIR is near 1."""
    d = {k: calibrated(load(res / f"raw-{k}-{pair}.txt")) for k in KINDS}
    bad = 0
    for key, name in CONTROLS:
        for m in ("get_us", "put_us"):
            b, s = med(d["base"][key + (m,)]), med(d["series"][key + (m,)])
            if not b or not s:
                print(f"pair {pair}: {name} {m[:3]}: no samples")
                bad = 1
                continue
            off = abs(b / s - 1.0) > LAYOUT_TOL
            bad |= off
            print(f"pair {pair}: {name} {m[:3]} {b / s:.2f}{' (off)' if off else ''}")
    return bad


# Instruction counts (raw-KIND-icount.txt, scripts/boot -I): every gup
# row walks 1 GiB, 262144 pages; 1 us of guest time is 1000 instructions.
PAGES = GIB // 4096
# The controls in instructions, in boots without device memory
# (raw-KIND-icount-bare.txt): base and notest (the series with the
# shared-tail test of compound_head() compiled out) run the same
# instructions on these paths, so their counts must agree as closely as
# the samples of one boot do (0.05 % apart in every boot so far; a
# one-instruction-per-page change on the 11-instruction put is 9 %).
INSN_SAME_TOL = 0.002


def insn_rows():
    """(label, scenario key) of every row of the instruction-count boots."""
    rows = [(name, key) for key, name in CONTROLS]
    rows += [(f"{name}, with a deduplicated device (key on)", ("control-on" + key[0][7:],) + key[1:])
             for key, name in CONTROLS]
    for al in ALIGNS:
        for mode in ("-a", "-u", "-b", "-L"):
            for n in ("512", "1"):
                rows.append((f"{al} device {mode} -n {n}", (f"gup{mode}-n{n}", al, "mem")))
    for mode in ("-a", "-u", "-b"):
        rows.append((f"fsdax {mode} -n 512", (f"fsdax{mode}-n512", "2M", "ext4")))
    return rows


def insn_section(res):
    """The instruction-count table, or nothing when those boots did not run."""
    d = {k: load(res / f"raw-{k}-icount.txt") for k in KINDS}
    if not any(d.values()):
        return []
    out = ["## gup_benchmark in instructions (QEMU -icount)", "",
           "One boot per kernel with the guest clock counting executed "
           "instructions (scripts/boot -I): the same rows as above, as "
           "instructions per 4 KiB page, independent of host speed and of "
           "where the code is linked. Median of the samples [their "
           "min-max]; ratio = base / series (> 1: the series executes fewer); "
           "get+put: the whole round trip of a page, the two medians added.",
           "", "| test | get base | series | ratio | put base | series | ratio "
           "| get+put ratio |",
           "|---|---|---|---|---|---|---|---|"]
    for label, key in insn_rows():
        cells, total = [], {k: 0.0 for k in KINDS}
        for m in ("get_us", "put_us"):
            v = {k: d[k][key + (m,)] for k in KINDS}
            if not all(v.values()):
                cells += ["-", "-", "-"]
                total = None
                continue
            per = {k: [x * 1000 / PAGES for x in v[k]] for k in KINDS}
            ratio = med(per["base"]) / med(per["series"])
            cells += [f"{med(per[k]):.1f} [{min(per[k]):.1f}-{max(per[k]):.1f}]"
                      for k in KINDS] + [f"{ratio:.3f}x"]
            if total is not None:
                for k in KINDS:
                    total[k] += med(per[k])
        cells.append(f"{total['base'] / total['series']:.3f}x" if total else "-")
        if any(c != "-" for c in cells):
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    keys = [f"{sc}: {fmt(med(d['series'][(sc, '-', '-', 'shared_key')]))}"
            for sc in ("control", "control-on") if d["series"][(sc, "-", "-", "shared_key")]]
    if keys:
        out += ["The series' shared-tail key during the control rows (1 = on): "
                + "; ".join(keys) + ". The control rows run with no device-dax device; "
                "the key-on rows are what the rest of the system pays per "
                "compound_head() while a deduplicated memmap exists.", ""]
    return out + bare_section(res)


def bare_section(res):
    """The controls in boots without device memory: base, notest, series."""
    kinds = ("base", "notest", "series")
    d = {k: load(res / f"raw-{k}-icount-bare.txt") for k in kinds}
    if not any(d.values()):
        return []
    out = ["### What the shared-tail key costs where nothing is deduplicated", "",
           "The controls in boots with no device memory at all (scripts/boot -N), "
           "of base, of the series with the shared-tail test of compound_head() "
           "compiled out (notest) and of the series: instructions per page. "
           f"base and notest must agree within {INSN_SAME_TOL:.1%} (the rest of the "
           "series leaves these paths alone); series - notest is the cost of the "
           "static key, off here: a 5-byte no-op per compound_head() and whatever "
           "the compiler arranges around it.", "",
           "| control | | base | notest | series | series - notest |", "|---|---|---|---|---|---|"]
    bad = []
    for key, name in CONTROLS:
        for m in ("get_us", "put_us"):
            v = {k: d[k][key + (m,)] for k in kinds}
            if not all(v.values()):
                bad.append(f"{name} {m[:3]}: no samples")
                continue
            per = {k: med(v[k]) * 1000 / PAGES for k in kinds}
            if abs(per["notest"] / per["base"] - 1) > INSN_SAME_TOL:
                bad.append(f"{name} {m[:3]}: base {per['base']:.2f}, notest {per['notest']:.2f}")
            out.append(f"| {name} | {m[:3]} | {per['base']:.2f} | {per['notest']:.2f} "
                       f"| {per['series']:.2f} | {per['series'] - per['notest']:+.2f} |")
    out.append("")
    if bad:
        out += ["**CONTROL MOVED**: the series without its shared-tail test does not "
                "run base's instructions: " + "; ".join(bad) + ".", ""]
    else:
        out += ["notest runs base's instruction counts on every control.", ""]
    return out


def control_insn_ratio(res):
    """{(scenario, align, map, metric): instruction ratio} of each control.

    The controls' paths differ between the kernels only by compound_head(),
    which the series decodes with a branch instead of base's conditional
    move: one instruction fewer for a page that is not a tail, and a no-op
    and a jump back more for a tail (key off). Under TCG these instructions
    do not cost alike (a no-op translates to no host code at all), so a
    control's time ratio may sit anywhere from 1.0 (the changed
    instructions cost nothing) to the instruction ratio base/series of the
    instruction-count boots (each costs as much as any other). Without
    those boots the ratio is 1.0.
    """
    d = {k: load(res / f"raw-{k}-icount.txt") for k in KINDS}
    out = {}
    for key, _ in CONTROLS:
        for m in ("get_us", "put_us"):
            b, s = med(d["base"][key + (m,)]), med(d["series"][key + (m,)])
            out[key + (m,)] = b / s if b and s else 1.0
    return out


def control_ok(rs, insn):
    """True when a control's median ratio is within CONTROL_TOL of the
    range from 1.0 to its instruction ratio INSN."""
    lo, hi = min(1.0, insn), max(1.0, insn)
    m = med(rs)
    return lo * (1 - CONTROL_TOL) <= m <= hi * (1 + CONTROL_TOL)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--pair":
        return check_pair(Path(sys.argv[2]), sys.argv[3])
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    res = Path(sys.argv[1])
    r = Runs(res)
    if not r.pairs:
        print(f"no raw-KIND-PAIR.txt in {res}", file=sys.stderr)
        return 1
    out = ["# device-dax compound pages: base vs series", ""]
    env = res / "env.txt"
    if env.exists():
        out += ["```", env.read_text().strip(), "```", ""]
    npairs = len(r.pairs)
    out += [f"QEMU/TCG figures (no KVM). Base and series ran in {npairs} "
            "alternating boot pairs (B S B S ...); every boot repeated each "
            "measurement and contributes its median. Ratios: median over "
            "the pairs [min-max of the pair ratios] /number of pairs. "
            "Times enter the ratios calibrated: each sample divided by a "
            "fixed user-space loop timed right before and after it "
            "(guest/src/cal.h), since the host CPU changes speed by up to "
            "2x within seconds. Absolute figures: raw, median over the "
            "boots.", ""]

    # Controls first: they say whether the timings can be trusted.
    noisy = []
    insn = control_insn_ratio(res)
    out += ["## Controls: anonymous memory, where the series changes only compound_head() "
            "(must be 1.0 or their instruction ratio)", "",
            f"The median must lie from 1.0 to the control's instruction ratio (base/series, "
            f"from the instruction-count boots below; 1.0 when they did not run), {CONTROL_TOL:.0%} "
            "either side: the resolution of this method on the same code in both kernels. The "
            "control paths are linked at the same addresses in both (pinned layout: TCG's speed "
            "depends on the absolute address of hot code) and differ only by the series' "
            "compound_head(): a branch instead of a conditional move (one instruction fewer for "
            "a page that is not a tail) and the shared-tail test (a no-op and a jump back for a "
            "tail), instructions that TCG does not run at the same cost as others.", "",
            "| control | get base us | series | speedup | instructions | uncalibrated "
            "| put base us | series | speedup | instructions | uncalibrated |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, name in CONTROLS:
        cells = []
        for m in ("get_us", "put_us"):
            k = key + (m,)
            rs = r.ratios(k, True)
            if rs and not control_ok(rs, insn[k]):
                noisy.append(f"{name} {m[:3]} {rfmt(rs)} (instructions {insn[k]:.3f})")
            cells += [fmt(r.value("base", k)), fmt(r.value("series", k)), rfmt(rs, unit="x"),
                      f"{insn[k]:.3f}x", rfmt(r.ratios(k, True, raw=True), unit="x")]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")
    lay = [fmt(med(r.d[("base", p)][("host", "-", "main", "layout_pin")])) for p in r.pairs]
    if any(x != "-" for x in lay):
        k = CONTROLS[0][0] + ("get_us",)
        per = []
        for p, la in zip(r.pairs, lay):
            b, s_ = med(r.cal[("base", p)][k]), med(r.cal[("series", p)][k])
            per.append(f"pair {p} (pinned at {la}): {b / s_:.2f}" if b and s_ else f"pair {p}: -")
        out += ["First control by pair, with the pinned layout of its kernels (the timed "
                "functions at that many bytes past their first slot): " + "; ".join(per) + ".", ""]
    if noisy:
        out += ["**NOISY RUN**: a control moved: "
                + "; ".join(noisy) + ". Treat the timings below as noise.", ""]
    else:
        out += ["Every control is at 1.0 or at its instruction ratio.", ""]

    loads = {run: [v for d in r.d.values() for v in d[("host", "-", run, "other_cpu_pct")]]
             for run in ("main", "big")}
    if any(loads.values()):
        out += ["Other host load during the boots (CPU time of host processes "
                "other than QEMU, % of one CPU): "
                + "; ".join(f"{run} boots median {fmt(med(v))} %, max {fmt(max(v))} %"
                            for run, v in loads.items() if v) + ".", ""]
    renoisy = sorted(res.glob("noisy-base-*.txt"))
    if renoisy:
        out += [f"{len(renoisy)} pair(s) re-run because a boot shared the host "
                "with other work (samples kept in noisy-*.txt).", ""]

    out += ["## Struct-page memory of a 3 GiB e820 namespace", "",
            "| align | map | free-memory drop kB base | series | series/base "
            "| vmemmap pages base | series | PTE tables series "
            "| MiB per TiB base | series |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    per_tib = {}
    for mp in ("mem", "dev"):
        for al in ALIGNS:
            key = ("memmap", al, mp)
            kb = {k: r.value(k, key + ("free_kb",)) for k in KINDS}
            vp = {k: r.value(k, key + ("vmemmap_pages",)) for k in KINDS}
            pt = {k: r.value(k, key + ("pte_tables",)) or 0 for k in KINDS}
            # the series' page of shared tails (and at 1G its shared PTE
            # table) serves every compound page of the node and order:
            # counted once, not scaled with the namespace
            sh = {k: (2 if al == "1G" else 1)
                  if k == "series" and mp == "mem" and al != "4K" else 0
                  for k in KINDS}
            # scaled by the memory the memmap describes (64 pfns per
            # mapped vmemmap page), the namespace if that was not recorded
            desc = {k: (r.value(k, key + ("vmemmap_mapped",)) or 0) * 64 * 4096
                    or NS_BYTES for k in KINDS}
            tib = {k: ((vp[k] + pt[k] - sh[k]) * (1024 * GIB / desc[k]) + sh[k])
                   * 4096 / 2 ** 20
                   if vp[k] is not None else None for k in KINDS}
            per_tib[(al, mp)] = tib
            ratio = rfmt(r.ratios(key + ("free_kb",), False), 3) if (kb["base"] or 0) > 1024 else "-"
            out.append(f"| {al} | {mp} | {fmt(kb['base'])} | {fmt(kb['series'])} | {ratio} "
                       f"| {fmt(vp['base'])} | {fmt(vp['series'])} | {fmt(pt['series'])} "
                       f"| {fmt(tib['base'], 1)} | {fmt(tib['series'], 1)} |")
    out += ["", "Free-memory drop: MemFree plus the per-cpu free lists, caches "
            "and empty slabs dropped (test module). MiB per TiB: (distinct "
            "vmemmap pages + PTE tables that map them) x 4 KiB, scaled from "
            "the memory the memmap describes (the series: the device's data), except the series' shared tail page and (1G) shared PTE "
            "table, which exist once per node and order; with --map=dev the "
            "memmap lives in the device.", ""]

    speed = []
    out += ["## Enable time (whole `ndctl enable-namespace`, --map=mem unless noted)", "",
            "| namespace | align | map | enable ms base | series | speedup "
            "| memmap_init_zone_device ms base | series |",
            "|---|---|---|---|---|---|---|---|"]
    for sc, what in (("memmap", "3 GiB e820"), ("enable64", "64 GiB NFIT")):
        for mp in ("mem", "dev"):
            for al in ALIGNS:
                key = (sc, al, mp)
                ek = key + ("enable_us",)
                if not any(r.boot_meds(k, ek) for k in KINDS):
                    continue
                eb, es = r.value("base", ek), r.value("series", ek)
                rs = r.ratios(ek, True)
                out.append(f"| {what} | {al} | {mp} | {fmt(eb and eb / 1000, 1)} "
                           f"| {fmt(es and es / 1000, 1)} | {rfmt(rs, unit='x')} "
                           f"| {fmt(r.value('base', key + ('init_ms',)))} "
                           f"| {fmt(r.value('series', key + ('init_ms',)))} |")
                if mp == "mem" and al != "4K" and rs:
                    speed.append((f"enable {what.split()[0]}G {al}", rs))
    out += ["", "Wall time by CLOCK_MONOTONIC around the command; "
            "memmap_init_zone_device ms is the kernel's own message "
            "(jiffies resolution).", ""]

    # the timed functions, in the order the guest printed them
    timed = list(dict.fromkeys(m[3][2:-3] for d in r.d.values() for m in d
                               if m[0] == "enable64" and m[3].startswith("t_")))
    rows = []
    for al in ("2M", "1G"):
        key = ("enable64", al, "mem")
        for fn in ["enable_us"] + timed:
            k = key + ((fn if fn == "enable_us" else f"t_{fn}_us"),)
            if not any(r.boot_meds(kd, k) for kd in KINDS):
                continue
            b, s_ = r.value("base", k), r.value("series", k)
            name = "whole `ndctl enable-namespace`" if fn == "enable_us" else f"`{fn}()`"
            rows.append(f"| {al} | {name} | {fmt(b and b / 1000, 1)} | {fmt(s_ and s_ / 1000, 1)} "
                        f"| {rfmt(r.ratios(k, True), unit='x')} |")
    if rows:
        out += ["## Where the 64 GiB enable time goes (ms, summed over calls)", "",
                "| align | function | base | series | speedup |",
                "|---|---|---|---|---|"] + rows
        out += ["", "Entry-to-return time of each kernel function (test module "
                "kretprobes, ns resolution), nested: memremap_pages() contains "
                "arch_add_memory(), which contains sparse_add_section() (one "
                "call per 128M section) and the vmemmap population; "
                "memmap_init_zone_device() is the struct-page init. "
                "A function the kernel inlined is absent.", ""]

    out += ["## gup_benchmark on a 1 GiB device window, -S (us)", "",
            "| test | align | get base | series | speedup "
            "| put base | series | speedup |",
            "|---|---|---|---|---|---|---|---|"]
    for mode in ("-a", "-u", "-b", "-L"):
        for n in ("512", "1"):
            sc = f"gup{mode}-n{n}"
            for al in ALIGNS:
                key = (sc, al, "mem")
                g, p = key + ("get_us",), key + ("put_us",)
                if not any(r.boot_meds(k, g) for k in KINDS):
                    continue
                gr, pr = r.ratios(g, True), r.ratios(p, True)
                out.append(f"| {mode} -n {n} | {al} | {fmt(r.value('base', g))} "
                           f"| {fmt(r.value('series', g))} | {rfmt(gr, 2, 'x')} "
                           f"| {fmt(r.value('base', p))} | {fmt(r.value('series', p))} "
                           f"| {rfmt(pr, 2, 'x')} |")
                if n == "512" and gr:
                    speed.append((f"get {mode} {al}", gr))
                if n == "512" and pr:
                    speed.append((f"put {mode} {al}", pr))
    for key, name in CONTROLS:
        for m in ("get_us", "put_us"):
            rs = r.ratios(key + (m,), True)
            if rs:
                speed.append((f"{m[:3]} ctl {key[2]}", rs))
    out += ["", "speedup = base / series.", ""]

    rows = []
    for mode in ("-a", "-u", "-b"):
        key = (f"fsdax{mode}-n512", "2M", "ext4")
        g, p = key + ("get_us",), key + ("put_us",)
        if not any(r.boot_meds(k, g) for k in KINDS):
            continue
        rows.append(f"| {mode} -n 512 | {fmt(r.value('base', g))} | {fmt(r.value('series', g))} "
                    f"| {rfmt(r.ratios(g, True), 2, 'x')} | {fmt(r.value('base', p))} "
                    f"| {fmt(r.value('series', p))} | {rfmt(r.ratios(p, True), 2, 'x')} |")
    if rows:
        out += ["## gup_benchmark on a 1 GiB file, ext4 -o dax over a 2M fsdax namespace (us)", "",
                "| test | get base | series | speedup | put base | series | speedup |",
                "|---|---|---|---|---|---|---|"] + rows
        out += ["", "fsdax pages are order-0 (no compound pages in 5.10 fsdax); "
                "the series changes the gup-fast PMD path they take and must "
                "not slow it. FOLL_LONGTERM (-L) is refused on fsdax.", ""]

    out += insn_section(res)

    same = res / "same-code.txt"
    if same.exists():
        out += ["## The code the gup rows run: same instructions in both kernels?", "",
                "| function | what runs it | base vs series |", "|---|---|---|"]
        for line in same.read_text().splitlines():
            verdict, _, rest = line.partition(" ")
            fn, _, detail = rest.partition(" ")
            out.append(f"| `{fn}()` | {SAME_CODE_ROWS.get(fn, '')} | {(verdict + ' ' + detail).strip()} |")
        out += ["", "scripts/same-code: disassembly of the built vmlinux, addresses "
                "and jump targets taken out. The bench links these functions at the same "
                "addresses in both kernels (pinned layout), so on a path that is the same "
                "in both a ratio away from 1.0 is the measurement's resolution.", ""]

    out += ["## Scale run: one 1G --map=mem namespace over a huge NVDIMM, 2 GiB guest", "",
            "| kernel | region GiB | enabled | free-memory drop kB | enable ms | data round trip |",
            "|---|---|---|---|---|---|"]
    for k in KINDS:
        s = {m[3]: v[0] for m, v in r.scale[k].items() if m[0] == "scale"}
        if not s:
            out.append(f"| {k} | - | not run | - | - | - |")
            continue
        out.append(f"| {k} | {fmt(s.get('region_bytes', 0) / GIB)} "
                   f"| {'yes' if s.get('enabled') else 'no (failed to enable)'} "
                   f"| {fmt(s.get('free_kb'))} | {fmt(s.get('enable_ms'))} "
                   f"| {'ok' if s.get('data_ok') else '-'} |")
    out.append("")

    md = "\n".join(out)
    (res / "bench.md").write_text(md + "\n")
    print(md)
    plot(res, per_tib, speed)
    return 0


def plot(res, per_tib, speed):
    dat = res / "bench.dat"
    rows = [f"\"{al} {mp}\" {t.get('base') or 0} {t.get('series') or 0}"
            for (al, mp), t in per_tib.items() if mp == "mem"]
    rows += ["", ""]
    rows += [f"\"{name}\" {med(rs):.3f} {min(rs):.3f} {max(rs):.3f}" for name, rs in speed]
    dat.write_text("\n".join(rows) + "\n")
    gp = f"""
set terminal pngcairo noenhanced size 1400,500 font ",10"
set output "{res / 'bench.png'}"
set multiplot layout 1,2
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top right
set title "struct-page memory per TiB (--map=mem), MiB"
set logscale y
set yrange [1:*]
plot "{dat}" index 0 using 2:xtic(1) title "base", "" index 0 using 3 title "series"
set title "speedup base/series: median over boot pairs, bars min-max; line = 1x"
set style histogram errorbars gap 1 lw 1
set xtics rotate by -45 font ",8"
set yrange [0.1:*]
plot "{dat}" index 1 using 2:3:4:xtic(1) title "speedup", 1 with lines lw 2 lc rgb "red" title "1x"
unset multiplot
"""
    try:
        subprocess.run(["gnuplot"], input=gp, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"plot: {e}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
