#!/usr/bin/env python3
"""Usage: scripts/bench-report.py RESULTS_DIR

Turn the raw samples of scripts/bench (RESULTS_DIR/raw-{base,series}.txt,
lines "BENCH scenario align map metric value") into RESULTS_DIR/bench.md
and RESULTS_DIR/bench.png, and print the Markdown report. Medians, the
spread (min..max) and series/base ratios; memory projected per TiB from
the exact vmemmap page and PTE-table counts.
"""
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
    if v is None:
        return "-"
    return f"{v:,.{nd}f}"


def spread(vals):
    if not vals:
        return "-"
    return f"{min(vals):,.0f}..{max(vals):,.0f}"


def ratio(a, b, nd=2):
    if a is None or b in (None, 0):
        return "-"
    return f"{a / b:.{nd}f}"


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    res = Path(sys.argv[1])
    d = {k: load(res / f"raw-{k}.txt") for k in KINDS}
    out = ["# device-dax compound pages: base vs series", ""]
    env = res / "env.txt"
    if env.exists():
        out += ["```", env.read_text().strip(), "```", ""]
    out += ["All times are QEMU/TCG figures (no KVM): compare ratios, not "
            "absolute values. Medians of every sample, spread in brackets.",
            ""]

    out += ["## Struct-page memory of a 3 GiB namespace", "",
            "| align | map | MemFree drop kB base | series | series/base "
            "| vmemmap pages base | series | PTE tables series "
            "| MiB per TiB base | series |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    per_tib = {}
    for mp in ("mem", "dev"):
        for al in ALIGNS:
            key = ("memmap", al, mp)
            mf = {k: med(d[k][key + ("memfree_kb",)]) for k in KINDS}
            vp = {k: med(d[k][key + ("vmemmap_pages",)]) for k in KINDS}
            pt = {k: med(d[k][key + ("pte_tables",)]) or 0 for k in KINDS}
            tib = {}
            for k in KINDS:
                if vp[k] is not None:
                    pages = vp[k] + pt[k]
                    tib[k] = pages * 4096 * (1024 * GIB / NS_BYTES) / 2 ** 20
                else:
                    tib[k] = None
            per_tib[(al, mp)] = tib
            out.append(f"| {al} | {mp} | {fmt(mf['base'])} | {fmt(mf['series'])} "
                       f"| {ratio(mf['series'], mf['base'], 3) if (mf['base'] or 0) > 1024 else '-'} "
                       f"| {fmt(vp['base'])} "
                       f"| {fmt(vp['series'])} | {fmt(pt['series'])} "
                       f"| {fmt(tib['base'], 1)} | {fmt(tib['series'], 1)} |")
    out += ["", "MiB per TiB: (distinct vmemmap pages + PTE tables that map "
            "them) x 4 KiB, scaled from 3 GiB; with --map=dev the memmap "
            "lives in the device and the MemFree drop is ~0.", ""]

    out += ["## Enable time (disable/enable cycle)", "",
            "| align | map | enable ms base | series | series/base "
            "| memmap_init_zone_device ms base | series |",
            "|---|---|---|---|---|---|---|"]
    for mp in ("mem", "dev"):
        for al in ALIGNS:
            key = ("memmap", al, mp)
            em = {k: d[k][key + ("enable_ms",)] for k in KINDS}
            im = {k: d[k][key + ("init_ms",)] for k in KINDS}
            out.append(f"| {al} | {mp} | {fmt(med(em['base']))} ({spread(em['base'])}) "
                       f"| {fmt(med(em['series']))} ({spread(em['series'])}) "
                       f"| {ratio(med(em['series']), med(em['base']))} "
                       f"| {fmt(med(im['base']))} | {fmt(med(im['series']))} |")
    out += ["", "memmap_init_zone_device ms has jiffies resolution.", ""]

    out += ["## gup_benchmark, 1 GiB, -S (us)", "",
            "| test | align | get base | get series | speedup "
            "| put base | put series | speedup |",
            "|---|---|---|---|---|---|---|---|"]
    speed = []
    for mode in ("-a", "-u", "-b", "-L"):
        for n in ("512", "1"):
            sc = f"gup{mode}-n{n}"
            for al in ALIGNS:
                key = (sc, al, "mem")
                g = {k: d[k][key + ("get_us",)] for k in KINDS}
                p = {k: d[k][key + ("put_us",)] for k in KINDS}
                gb, gs = med(g["base"]), med(g["series"])
                pb, ps = med(p["base"]), med(p["series"])
                out.append(f"| {mode} -n {n} | {al} | {fmt(gb)} ({spread(g['base'])}) "
                           f"| {fmt(gs)} ({spread(g['series'])}) | {ratio(gb, gs, 1)}x "
                           f"| {fmt(pb)} | {fmt(ps)} | {ratio(pb, ps, 1)}x |")
                if n == "512" and gb and gs:
                    speed.append((f"{mode} {al}", gb / gs, (pb or 0) / ps if ps else 0))
    out += ["", "speedup = base / series.", ""]

    out += ["## Scale run: one 1G --map=mem namespace over a huge NVDIMM, 2 GiB guest", "",
            "| kernel | region GiB | enabled | MemFree drop kB | enable ms | data round trip |",
            "|---|---|---|---|---|---|"]
    for k in KINDS:
        s = {m[3]: v[0] for m, v in d[k].items() if m[0] == "scale"}
        if not s:
            out.append(f"| {k} | - | not run | - | - | - |")
            continue
        out.append(f"| {k} | {fmt(s.get('region_bytes', 0) / GIB)} "
                   f"| {'yes' if s.get('enabled') else 'no (failed to enable)'} "
                   f"| {fmt(s.get('memfree_kb'))} | {fmt(s.get('enable_ms'))} "
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
    rows += [f"\"{name}\" {g:.2f} {p:.2f}" for name, g, p in speed]
    dat.write_text("\n".join(rows) + "\n")
    gp = f"""
set terminal pngcairo noenhanced size 1100,450 font ",10"
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
unset logscale y
set yrange [0:*]
set title "gup_benchmark -n 512 speedup (base/series)"
set xtics rotate by -30
plot "{dat}" index 1 using 2:xtic(1) title "get", "" index 1 using 3 title "put"
unset multiplot
"""
    try:
        subprocess.run(["gnuplot"], input=gp, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"plot: {e}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
