#!/usr/bin/env python3
"""Statistics of the LAMMPS-level exactness test of the resolution exchange
(unittest/lammps/replica_exchange_exactness.sh): are the configurations right after each
exchange attempt distributed as each replica alone samples it?

Observables, computed here from the coordinates (not from the fix's own numbers): for the
all-atom replica its energy U_AA (harmonic bonds and angles, CHARMM-style torsions, from the
LAMMPS data and coefficient files; the toy has no nonbonded energy), the B0-B2 distance and the
A0-A1-A2 angle; for the CG replica its energy U_CG (harmonic bonds and angle) and the P0-P2
distance. Their means after the attempts are compared with the means of the long runs of each
replica alone by a z test whose standard errors come from batch means (20 batches per run:
consecutive samples are correlated). Prints one line per observable and exits 0.

usage: exchange_statistics.py AA_DATA AA_COEFFS CG_DATA CG_COEFFS AA_ALONE.dump CG_ALONE.dump
                              EXCHANGE_PREFIX EXCHANGE_LOG"""
import math
import re
import sys

BATCHES = 20
SKIP = 0.1    # the first tenth of every run is left out (equilibration)


def read_topology(data, coeffs):
    """bonds, angles and dihedrals of a LAMMPS data file with their coefficients"""
    terms = {"Bonds": [], "Angles": [], "Dihedrals": []}
    section = None
    for line in open(data):
        words = line.split("#")[0].split()
        if not words:
            continue
        if words[0] in terms or (words[0][0].isalpha() and len(words) <= 3 and not words[0][0].isdigit()):
            section = words[0] if words[0] in terms else None
            continue
        if section:
            terms[section].append((int(words[1]), [int(w) - 1 for w in words[2:]]))
    c = {"bond_coeff": {}, "angle_coeff": {}, "dihedral_coeff": {}}
    for line in open(coeffs):
        words = line.split("#")[0].split()
        if words and words[0] in c:
            c[words[0]][int(words[1])] = [float(w) for w in words[2:]]
    return [("bond", c["bond_coeff"][t], a) for t, a in terms["Bonds"]] + \
           [("angle", c["angle_coeff"][t], a) for t, a in terms["Angles"]] + \
           [("dihedral", c["dihedral_coeff"][t], a) for t, a in terms["Dihedrals"]]


def sub(a, b): return [a[i] - b[i] for i in range(3)]
def dot(a, b): return sum(a[i] * b[i] for i in range(3))
def cross(a, b): return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def angle(a, b, c):
    u, v = sub(a, b), sub(c, b)
    return math.acos(max(-1.0, min(1.0, dot(u, v) / math.sqrt(dot(u, u) * dot(v, v)))))


def dihedral(a, b, c, d):
    b1, b2, b3 = sub(b, a), sub(c, b), sub(d, c)
    n1, n2 = cross(b1, b2), cross(b2, b3)
    m = cross(n1, b2)
    return math.atan2(dot(m, n2) / math.sqrt(dot(b2, b2)), dot(n1, n2))


def energy(terms, x):
    u = 0.0
    for kind, k, a in terms:
        if kind == "bond":
            u += k[0] * (math.dist(x[a[0]], x[a[1]]) - k[1]) ** 2
        elif kind == "angle":
            u += k[0] * (angle(x[a[0]], x[a[1]], x[a[2]]) - math.radians(k[1])) ** 2
        else:    # charmm: K (1 + cos(n phi - d))
            u += k[0] * (1 + math.cos(k[1] * dihedral(*[x[i] for i in a]) - math.radians(k[2])))
    return u


def read_dump(path):
    """frames of a LAMMPS dump (id and unwrapped or wrapped-with-images positions), by atom ID"""
    frames, lines = [], open(path).read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("ITEM: TIMESTEP"):
            n = int(lines[i + 3])
            lo_hi = [[float(v) for v in lines[i + 5 + d].split()[:2]] for d in range(3)]
            columns = lines[i + 8].split()[2:]
            rows = [lines[i + 9 + k].split() for k in range(n)]
            frame = {}
            for r in rows:
                v = dict(zip(columns, r))
                if "xu" in v:
                    p = [float(v["xu"]), float(v["yu"]), float(v["zu"])]
                else:
                    p = [float(v[c]) + int(v.get("i" + c, 0)) * (lo_hi[d][1] - lo_hi[d][0])
                         for d, c in enumerate("xyz")]
                frame[int(v["id"])] = p
            frames.append([frame[k] for k in sorted(frame)])
            i += 9 + n
        else:
            i += 1
    return frames


def batch_mean(values):
    values = values[int(SKIP * len(values)):]
    size = len(values) // BATCHES
    means = [sum(values[b * size:(b + 1) * size]) / size for b in range(BATCHES)]
    m = sum(means) / BATCHES
    se = math.sqrt(sum((v - m) ** 2 for v in means) / (BATCHES - 1) / BATCHES)
    return m, se


def main():
    aa_terms = read_topology(sys.argv[1], sys.argv[2])
    cg_terms = read_topology(sys.argv[3], sys.argv[4])
    aa_alone, cg_alone = read_dump(sys.argv[5]), read_dump(sys.argv[6])
    prefix, log = sys.argv[7], sys.argv[8]
    decisions = [m.group(1) == "accepted" for m in re.finditer(r"exchange at step \d+: .*: (accepted|rejected)", open(log).read())]
    aa_after = read_dump(prefix + ".replica_after.dump")
    current, proposed = read_dump(prefix + ".cg_current.dump"), read_dump(prefix + ".cg_proposed.dump")
    if not (len(decisions) == len(aa_after) == len(current) == len(proposed)) or not decisions:
        sys.exit("exchange_statistics: %d decisions in %s, %d %d %d frames in the dumps" %
                 (len(decisions), log, len(aa_after), len(current), len(proposed)))
    cg_after = [p if a else c for a, c, p in zip(decisions, current, proposed)]
    observables = [
        ("U_AA (kcal/mol)", lambda x: energy(aa_terms, x), aa_alone, aa_after),
        ("AA B0-B2 (A)", lambda x: math.dist(x[0], x[4]), aa_alone, aa_after),
        ("AA A0-A1-A2 (deg)", lambda x: math.degrees(angle(x[1], x[2], x[3])), aa_alone, aa_after),
        ("U_CG (kcal/mol)", lambda x: energy(cg_terms, x), cg_alone, cg_after),
        ("CG P0-P2 (A)", lambda x: math.dist(x[0], x[2]), cg_alone, cg_after),
    ]
    print("attempts %d accepted %d (%.3f)" % (len(decisions), sum(decisions), sum(decisions) / len(decisions)))
    for name, f, alone, after in observables:
        m0, s0 = batch_mean([f(x) for x in alone])
        m1, s1 = batch_mean([f(x) for x in after])
        print("%-18s alone %.5f +- %.5f  after exchanges %.5f +- %.5f  z %.2f" %
              (name, m0, s0, m1, s1, (m1 - m0) / math.sqrt(s0 * s0 + s1 * s1)))


if __name__ == "__main__":
    main()
