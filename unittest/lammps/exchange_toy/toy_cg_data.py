#!/usr/bin/env python3
"""The CG system of the exchange tests and benchmarks: COUNT copies of the toy molecule's three
beads (from a data file `backmap map` wrote for one molecule), 15 A apart along x in a box
that holds them, each its own residue and molecule, with bonds P0-P1 (type 1), P1-P2 (type 2)
and the angle P0-P1-P2 (type 1). Coefficients come separately (toy_cg_fit.py).
usage: toy_cg_data.py START.data COUNT > cg.data"""
import sys

SPACING = 15.0


def main():
    lines = open(sys.argv[1]).read().split("\n")
    count = int(sys.argv[2])
    masses, beads = [], []
    section = None
    for line in lines:
        words = line.split()
        if line.startswith("Masses"):
            section = "masses"
        elif line.startswith("Atoms"):
            section = "atoms"
        elif words and section == "masses" and words[0].isdigit():
            masses.append(line)
        elif words and section == "atoms" and words[0].isdigit():
            beads.append(words)
    if len(beads) != 3:
        sys.exit("toy_cg_data: %s holds %d beads, not the toy molecule's 3" % (sys.argv[1], len(beads)))
    lo, hi = 0.0, 30.0 + SPACING * (count - 1)
    out = ["LAMMPS data file: %d toy molecules for the resolution exchange (toy_cg_data.py)" % count, "",
           "%d atoms" % (3 * count), "3 atom types", "%d bonds" % (2 * count), "2 bond types",
           "%d angles" % count, "1 angle types", "",
           "%.6f %.6f xlo xhi" % (lo, hi), "0.000000 30.000000 ylo yhi", "0.000000 30.000000 zlo zhi", "",
           "Masses", ""] + masses + ["", "Atoms # full", ""]
    for m in range(count):
        for b, w in enumerate(beads):
            x, y, z = float(w[4]) + SPACING * m, float(w[5]), float(w[6])
            # the comment names chain, residue number, residue and bead, as backmap map writes it
            out.append("%d %d %s 0.0 %.6f %.6f %.6f 0 0 0 # A %d TOY %s" % (3 * m + b + 1, m + 1, w[2], x, y, z, m + 1, w[-1]))
    out += ["", "Bonds", ""]
    for m in range(count):
        out += ["%d 1 %d %d" % (2 * m + 1, 3 * m + 1, 3 * m + 2), "%d 2 %d %d" % (2 * m + 2, 3 * m + 2, 3 * m + 3)]
    out += ["", "Angles", ""]
    for m in range(count):
        out.append("%d 1 %d %d %d" % (m + 1, 3 * m + 1, 3 * m + 2, 3 * m + 3))
    print("\n".join(out))


if __name__ == "__main__":
    main()
