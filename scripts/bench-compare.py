#!/usr/bin/env python3
"""Usage: scripts/bench-compare.py RUN_A RUN_B

Say whether two `make bench` runs agree. Both arguments are results
directories (or their bench.md). Every ratio cell of the reports,
"median [min-max] /pairs", is matched by table, row and column; a ratio
agrees when its two min-max ranges overlap, and agrees strictly when
each run's median lies inside the other run's range. Prints one line per
ratio that does not agree, then the counts, and exits 1 when a ratio
disagrees (0 otherwise, 2 on bad usage).
"""
import re
import sys
from pathlib import Path

CELL = re.compile(r"^([0-9.]+)x? \[([0-9.]+)-([0-9.]+)\] /([0-9]+)$")


def ratios(path):
    """{(section, row label, column): (median, min, max)} of a bench.md."""
    out = {}
    section, header = "", []
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            section, header = line.lstrip("# ").strip(), []
            continue
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not header:
            header = cells
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        label = " / ".join(c for c, h in zip(cells, header)
                           if not CELL.match(c) and not re.match(r"^[0-9.,-]+$", c))
        for i, (col, cell) in enumerate(zip(header, cells)):
            m = CELL.match(cell)
            if m:
                # a header can repeat (get and put speedup): keep its index
                out[(section, label, f"{col} (column {i + 1})")] = \
                    tuple(float(g) for g in m.groups()[:3])
    return out


def main():
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    paths = [Path(a) / "bench.md" if Path(a).is_dir() else Path(a) for a in sys.argv[1:]]
    a, b = (ratios(p) for p in paths)
    common = sorted(set(a) & set(b))
    if not common:
        print("no ratio in common", file=sys.stderr)
        return 2
    overlap = strict = 0
    for key in common:
        (ma, la, ha), (mb, lb, hb) = a[key], b[key]
        ok = la <= hb and lb <= ha
        ok_strict = lb <= ma <= hb and la <= mb <= ha
        overlap += ok
        strict += ok_strict
        if not ok:
            print(f"DISAGREE {' | '.join(key)}: {ma} [{la}-{ha}] vs {mb} [{lb}-{hb}]")
    only = len(set(a) ^ set(b))
    print(f"{len(common)} ratios: {overlap} ranges overlap, {strict} medians inside "
          f"each other's range; {only} in one run only")
    return 0 if overlap == len(common) else 1


if __name__ == "__main__":
    sys.exit(main())
