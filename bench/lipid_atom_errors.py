#!/usr/bin/env python3
"""Where a backmapped lipid is wrong: the in-place error of every heavy atom name of one lipid
kind, pooled over its molecules, and per region (head, glycerol, each tail by depth).

usage: lipid_atom_errors.py REFERENCE PREDICTED [PREDICTED ...] [--resname POPC] [--scc]

REFERENCE is the atomistic truth (.gro, .gro.gz or .pdb), PREDICTED one or more backmapped
structures of the same frame (`backmap run`, with and without --no-refine, say). Atoms are
matched by residue number and atom name; the choline methyls and the two free phosphate
oxygens are scored under their best permutation, as `backmap eval` and training do.
With --scc, also the order parameter S_CC = <(3 cos^2 theta - 1) / 2> of every tail C-C bond
(CHARMM36 names C2n, C3n; theta: the bond's angle to z, the membrane normal of these files),
reference first.
Plain Python (no NumPy), so that it runs on a fresh Debian machine."""
import gzip
import itertools
import math
import sys

# interchangeable atoms of a CHARMM36 phosphatidylcholine / -ethanolamine head group
SWAPS = [("C13", "C14", "C15"), ("O13", "O14")]


def read_structure(path, resname):
    """{(resnr, atom name): (x, y, z) in A} for the heavy atoms of residues named resname."""
    opener = gzip.open if path.endswith(".gz") else open
    atoms = {}
    with opener(path, "rt") as f:
        lines = f.read().splitlines()
    if ".gro" in path:
        count = int(lines[1])
        for line in lines[2:2 + count]:
            if line[5:10].strip() != resname:
                continue
            name = line[10:15].strip()
            if name.startswith("H"):
                continue
            atoms[(int(line[0:5]), name)] = tuple(10.0 * float(line[20 + 8 * k:28 + 8 * k]) for k in range(3))
    else:
        for line in lines:
            if line.startswith("ENDMDL"):
                break
            if not line.startswith(("ATOM", "HETATM")) or line[17:21].strip() != resname:
                continue
            element = line[76:78].strip() or line[12:16].strip()[0]
            if element == "H":
                continue
            atoms[(int(line[22:26]), line[12:16].strip())] = tuple(float(line[30 + 8 * k:38 + 8 * k]) for k in range(3))
    return atoms


def squared(a, b):
    return sum((a[k] - b[k]) ** 2 for k in range(3))


def region(name):
    if name in ("C1", "C2", "C3", "O21", "O22", "C21", "O31", "O32", "C31"):
        return "glycerol + esters"
    if name.startswith("C2") and len(name) > 2:
        return "sn-2 tail C%s-" % ("2-5" if int(name[2:]) <= 5 else "6-10" if int(name[2:]) <= 10 else "11-18")
    if name.startswith("C3") and len(name) > 2:
        return "sn-1 tail C%s-" % ("2-5" if int(name[2:]) <= 5 else "6-10" if int(name[2:]) <= 10 else "11-16")
    return "head (choline, phosphate)"


def atom_errors(reference, predicted):
    """{atom name: [squared errors]} with the interchangeable atoms permuted per molecule."""
    errors = {}
    residues = sorted({r for r, _ in predicted})
    for r in residues:
        names = [n for (rr, n) in predicted if rr == r and (rr, n) in reference]
        done = set()
        for group in SWAPS:
            if not all(n in names for n in group):
                continue
            best = min(itertools.permutations(group),
                       key=lambda p: sum(squared(predicted[(r, a)], reference[(r, b)]) for a, b in zip(group, p)))
            for a, b in zip(group, best):
                errors.setdefault(a, []).append(squared(predicted[(r, a)], reference[(r, b)]))
            done.update(group)
        for n in names:
            if n not in done:
                errors.setdefault(n, []).append(squared(predicted[(r, n)], reference[(r, n)]))
    return errors


def order_parameters(structure, first, second):
    """S_CC of the bond first-second, averaged over the molecules that have both atoms."""
    values = []
    for (r, n), a in structure.items():
        if n != first or (r, second) not in structure:
            continue
        b = structure[(r, second)]
        d = [b[k] - a[k] for k in range(3)]
        cos2 = d[2] ** 2 / sum(x * x for x in d)
        values.append(1.5 * cos2 - 0.5)
    return sum(values) / len(values) if values else None


def print_order_parameters(structures):
    print("tail order parameters S_CC (bond: reference, then each PREDICTED), and mean |difference|:")
    differences = [[] for _ in structures[1:]]
    for tail in ("3", "2"):
        k = 2
        while True:
            a, b = "C%s%d" % (tail, k), "C%s%d" % (tail, k + 1)
            values = [order_parameters(s, a, b) for s in structures]
            if values[0] is None:
                break
            print("  %-10s %s" % (a + "-" + b, " ".join("%7.3f" % v if v is not None else "      -" for v in values)))
            for i, v in enumerate(values[1:]):
                if v is not None:
                    differences[i].append(abs(v - values[0]))
            k += 1
    print("  %-10s %s" % ("mean |d|", "        " + " ".join("%7.3f" % (sum(d) / len(d)) if d else "      -"
                                                        for d in differences)))


def main(argv):
    resname = "POPC"
    scc = "--scc" in argv
    argv = [a for a in argv if a != "--scc"]
    if "--resname" in argv:
        i = argv.index("--resname")
        resname = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) < 3:
        print(__doc__)
        return 2
    reference = read_structure(argv[1], resname)
    if not reference:
        sys.exit("lipid_atom_errors: no %s heavy atoms in %s" % (resname, argv[1]))
    columns, structures = [], [reference]
    for path in argv[2:]:
        predicted = read_structure(path, resname)
        matched = {k: v for k, v in predicted.items() if k in reference}
        if not matched:
            sys.exit("lipid_atom_errors: no %s atom of %s matches %s" % (resname, path, argv[1]))
        columns.append(atom_errors(reference, matched))
        structures.append(matched)
    names = sorted(columns[0], key=lambda n: min(k for k, (r, m) in enumerate(reference) if m == n))
    print("%s: %d molecules; RMS error per atom name, A (%s)" %
          (resname, len({r for r, _ in reference}), ", ".join(argv[2:])))
    rms = lambda v: math.sqrt(sum(v) / len(v)) if v else float("nan")
    for n in names:
        print("  %-5s %-26s %s" % (n, region(n), " ".join("%6.3f" % rms(c.get(n, [])) for c in columns)))
    print("per region:")
    regions = sorted({region(n) for n in names}, key=lambda g: min(names.index(n) for n in names if region(n) == g))
    for g in regions:
        print("  %-32s %s" % (g, " ".join("%6.3f" % rms([e for n in names if region(n) == g for e in c.get(n, [])])
                                          for c in columns)))
    print("  %-32s %s" % ("all heavy", " ".join("%6.3f" % rms([e for v in c.values() for e in v]) for c in columns)))
    if scc:
        print_order_parameters(structures)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
