#!/usr/bin/env python3
"""The CG replica's force field for the exchange exactness test: harmonic bonds P0-P1, P1-P2
and angle P0-P1-P2 with the mean and the variance of the toy's frames mapped to beads
(mass-weighted centres, as mapping/toy.yaml maps them). Any CG force field keeps the exchange
exact; this one makes the two replicas' bead distributions close, so that swaps are accepted.
usage: toy_cg_fit.py FOLDER  (prints LAMMPS bond_coeff and angle_coeff commands)"""
import glob
import math
import os
import sys

KT = 0.0019872067 * 300.0
MASS = {"C": 12.011, "O": 15.999}
BEADS = {"P0": ["A0", "B0"], "P1": ["A1"], "P2": ["A2", "B2"]}


def beads(path):
    atoms = {}
    for line in open(path):
        if line.startswith("ATOM"):
            atoms[line[12:16].strip()] = ([float(line[30:38]), float(line[38:46]), float(line[46:54])],
                                          MASS[line[76:78].strip()])
    out = {}
    for bead, names in BEADS.items():
        total = sum(atoms[n][1] for n in names)
        out[bead] = [sum(atoms[n][0][i] * atoms[n][1] for n in names) / total for i in range(3)]
    return out


def mean_variance(values):
    m = sum(values) / len(values)
    return m, sum((v - m) ** 2 for v in values) / len(values)


def main():
    frames = [beads(p) for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.pdb")))]
    for k, (a, b) in enumerate([("P0", "P1"), ("P1", "P2")]):
        m, v = mean_variance([math.dist(f[a], f[b]) for f in frames])
        print("bond_coeff %d %.6f %.6f" % (k + 1, KT / (2 * v), m))    # E = K (r - r0)^2
    angles = []
    for f in frames:
        u = [f["P0"][i] - f["P1"][i] for i in range(3)]
        w = [f["P2"][i] - f["P1"][i] for i in range(3)]
        c = sum(x * y for x, y in zip(u, w)) / math.hypot(*u) / math.hypot(*w)
        angles.append(math.acos(max(-1.0, min(1.0, c))))
    m, v = mean_variance(angles)
    print("angle_coeff 1 %.6f %.6f" % (KT / (2 * v), math.degrees(m)))


if __name__ == "__main__":
    main()
