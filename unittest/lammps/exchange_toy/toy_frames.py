#!/usr/bin/env python3
"""Frames of the toy molecule (toy.ff) for training its backmapping model: bond lengths and
angles drawn from Gaussians of the force field's widths at 300 K, torsions from their one-fold
Boltzmann distribution, placed atom by atom in a random orientation. A fixed seed.
usage: toy_frames.py FOLDER COUNT"""
import math
import os
import random
import sys

KT = 0.0019872067 * 300.0    # kcal/mol
KJ = 1.0 / 4.184


def gaussian(rng, centre, k):    # E = 1/2 k (q - centre)^2
    return rng.gauss(centre, math.sqrt(KT / k))


def torsion(rng, k):    # p(phi) ~ exp(-k (1 + cos phi) / kT)
    while True:
        phi = rng.uniform(-math.pi, math.pi)
        if rng.random() < math.exp(-k * (1 + math.cos(phi)) / KT):
            return phi


def sub(a, b): return [a[i] - b[i] for i in range(3)]
def cross(a, b): return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
def unit(a):
    n = math.sqrt(sum(x * x for x in a))
    return [x / n for x in a]


def place(c, b, a, r, theta, phi):    # d bonded to c, angle b-c-d, torsion a-b-c-d
    bc = unit(sub(c, b))
    n = unit(cross(sub(b, a), bc))
    m = cross(n, bc)
    d = [-r * math.cos(theta), r * math.sin(theta) * math.cos(phi), r * math.sin(theta) * math.sin(phi)]
    return [c[i] + d[0] * bc[i] + d[1] * m[i] + d[2] * n[i] for i in range(3)]


def frame(rng):
    kb_cc, kb_co = 150000.0 * KJ / 100, 200000.0 * KJ / 100    # kcal/mol/A^2, E = 1/2 k dr^2
    ka_ccc, ka_occ = 400.0 * KJ, 450.0 * KJ                      # kcal/mol/rad^2
    kd = 150.0 * KJ
    a0 = [0.0, 0.0, 0.0]
    a1 = [gaussian(rng, 1.54, kb_cc), 0.0, 0.0]
    t = gaussian(rng, math.radians(112.0), ka_ccc)
    r = gaussian(rng, 1.54, kb_cc)
    a2 = [a1[0] - r * math.cos(t), r * math.sin(t), 0.0]
    b0 = place(a0, a1, a2, gaussian(rng, 1.43, kb_co), gaussian(rng, math.radians(109.0), ka_occ), torsion(rng, kd))
    b2 = place(a2, a1, a0, gaussian(rng, 1.43, kb_co), gaussian(rng, math.radians(109.0), ka_occ), torsion(rng, kd))
    # a random rotation (a random unit quaternion) and a shift into a 30 A box
    q = unit([rng.gauss(0, 1) for _ in range(4)])
    w, x, y, z = q
    rot = [[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
           [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
           [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]]
    atoms = [("B0", "O", b0), ("A0", "C", a0), ("A1", "C", a1), ("A2", "C", a2), ("B2", "O", b2)]
    out = []
    for name, element, p in atoms:
        p = [sum(rot[i][j] * p[j] for j in range(3)) + 15.0 for i in range(3)]
        out.append((name, element, p))
    return out


def main():
    folder, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(20261202)
    for k in range(count):
        with open(os.path.join(folder, "toy%04d.pdb" % (k + 1)), "w") as f:
            f.write("CRYST1   30.000   30.000   30.000  90.00  90.00  90.00 P 1           1\n")
            for i, (name, element, p) in enumerate(frame(rng)):
                f.write("ATOM  %5d  %-3s TOY A   1    %8.3f%8.3f%8.3f  1.00  0.00          %2s\n"
                        % (i + 1, name, p[0], p[1], p[2], element))
            f.write("END\n")


if __name__ == "__main__":
    main()
