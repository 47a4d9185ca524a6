#!/usr/bin/env python3
"""Insert a membrane protein, oriented as OPM orients it (membrane normal along z, membrane
centre at z = 0), into an atomistic lipid bilayer: heavy atoms only, water and ions left out.

  assemble.py PROTEIN.pdb BILAYER.gro[.gz] -o SYSTEM.pdb [--margin A] [--overlap A] [--tiles N]

Protein: ATOM records of the 20 amino acids that are peptide-bonded to a neighbour (C-N below
2 A); HETATM records (OPM's DUM membrane markers, ligands), other residues (waters, detergent)
and free amino acids (a bound substrate) are dropped and counted. A residue whose side chain
the structure leaves incomplete keeps its backbone and CB as ALA (GLY without CB): a Martini
mapping needs every side-chain atom, and a residue left out would cut its chain in two.
Bilayer: a GRO frame (orthorhombic box); water and ions are dropped, each lipid is made whole,
the patch is tiled in x and y to cover the protein's larger x/y extent plus the margin on both
sides (or N x N with --tiles), and shifted so that its midplane (halfway between the mean z of the
phosphorus atoms of the two leaflets) is at the box centre in z. The protein's x/y
bounding-box centre goes to the box centre, its z = 0 to the midplane. Every lipid with a heavy
atom within --overlap of a protein heavy atom (periodic) is removed whole.
Output: PDB with CRYST1; the protein's chains, names and numbers as in the input; the lipids in
the first chain ID the protein does not use, numbered 1.. in tile order. Standard library only.
"""
import argparse
import gzip
import math
import os
import sys
from collections import Counter, OrderedDict

SIDE_CHAINS = {
    "ALA": ["CB"], "GLY": [], "SER": ["CB", "OG"], "CYS": ["CB", "SG"], "THR": ["CB", "OG1", "CG2"],
    "VAL": ["CB", "CG1", "CG2"], "LEU": ["CB", "CG", "CD1", "CD2"], "ILE": ["CB", "CG1", "CG2", "CD1"],
    "MET": ["CB", "CG", "SD", "CE"], "PRO": ["CB", "CG", "CD"], "ASP": ["CB", "CG", "OD1", "OD2"],
    "ASN": ["CB", "CG", "OD1", "ND2"], "GLU": ["CB", "CG", "CD", "OE1", "OE2"],
    "GLN": ["CB", "CG", "CD", "OE1", "NE2"], "LYS": ["CB", "CG", "CD", "CE", "NZ"],
    "ARG": ["CB", "CG", "CD", "NE", "CZ", "NH1", "NH2"], "HIS": ["CB", "CG", "ND1", "CD2", "CE1", "NE2"],
    "PHE": ["CB", "CG", "CD1", "CD2", "CE1", "CE2", "CZ"],
    "TYR": ["CB", "CG", "CD1", "CD2", "CE1", "CE2", "CZ", "OH"],
    "TRP": ["CB", "CG", "CD1", "CD2", "NE1", "CE2", "CE3", "CZ2", "CZ3", "CH2"],
}
BACKBONE = ["N", "CA", "C", "O", "OXT"]
NOT_LIPIDS = {"SOL", "HOH", "WAT", "TIP3", "TIP4", "SPC", "NA", "CL", "K", "SOD", "CLA", "POT", "CAL", "MG"}


def fail(message):
    sys.exit(f"assemble.py: {message}")


def read_protein(path):
    """Residues [(chain, resseq, icode, name, [(atom, element, [x, y, z])])] and what was dropped."""
    residues, others = OrderedDict(), set()
    dropped = Counter()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            record = line[:6].strip()
            if record == "HETATM":
                dropped[f"HETATM {line[17:21].strip()} atoms"] += 1
                continue
            if record != "ATOM" or line[16] not in " A":    # first alternate location only
                continue
            name, resname = line[12:16].strip(), line[17:21].strip()
            key = (line[21], line[22:26], line[26], resname)
            if resname not in SIDE_CHAINS:
                if key not in others:
                    others.add(key)
                    dropped[f"{resname} residues"] += 1
                continue
            element = (line[76:78].strip() or name[0]).upper()
            if element in ("H", "D"):
                continue
            try:
                xyz = [float(line[30:38]), float(line[38:46]), float(line[46:54])]
            except ValueError:
                fail(f"{path}:{n}: bad coordinates")
            residues.setdefault(key, []).append((name, element, xyz))
    return [(k[0], int(k[1]), k[2].strip(), k[3], atoms) for k, atoms in residues.items()], dropped


def peptide_bonded(a, b):
    c = next((x for n, _, x in a[4] if n == "C"), None)
    nn = next((x for n, _, x in b[4] if n == "N"), None)
    return a[0] == b[0] and c is not None and nn is not None and math.dist(c, nn) < 2.0


def clean_protein(residues, dropped):
    kept, stubs = [], Counter()
    for i, res in enumerate(residues):
        bonded = (i > 0 and peptide_bonded(residues[i - 1], res)) or \
                 (i + 1 < len(residues) and peptide_bonded(res, residues[i + 1]))
        if not bonded:
            dropped[f"free {res[3]} (no peptide bond)"] += 1
            continue
        chain, resseq, icode, name, atoms = res
        have = {a[0] for a in atoms}
        if not all(b in have for b in BACKBONE[:4]):
            fail(f"residue {chain}:{name}{resseq}{icode} lacks backbone atoms {sorted(set(BACKBONE[:4]) - have)}")
        if not set(SIDE_CHAINS[name]) <= have:
            stub = "ALA" if "CB" in have else "GLY"
            stubs[f"{name}->{stub}"] += 1
            name = stub
            atoms = [a for a in atoms if a[0] in BACKBONE or a[0] in SIDE_CHAINS[stub]]
        else:
            atoms = [a for a in atoms if a[0] in BACKBONE or a[0] in SIDE_CHAINS[name]]
        kept.append((chain, resseq, icode, name, atoms))
    return kept, stubs


def read_bilayer(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        lines = f.read().splitlines()
    count = int(lines[1])
    box = [10.0 * float(v) for v in lines[2 + count].split()]
    if len(box) != 3 and any(abs(v) > 0 for v in box[3:]):
        fail(f"{path}: triclinic box; only orthorhombic boxes are tiled")
    lipids, dropped, previous = [], Counter(), None
    for n, line in enumerate(lines[2:2 + count], 3):
        resnr, resname, name = line[0:5], line[5:10].strip(), line[10:15].strip()
        if resname in NOT_LIPIDS:
            dropped[resname] += 1
            continue
        if (resnr, resname) != previous:    # a new residue (GRO numbers wrap after 99999)
            lipids.append((resname, []))
            previous = (resnr, resname)
        if name.startswith("H"):
            continue
        try:
            xyz = [10.0 * float(line[20 + 8 * k:28 + 8 * k]) for k in range(3)]
        except ValueError:
            fail(f"{path}:{n}: bad coordinates")
        lipids[-1][1].append((name, name[0], xyz))
    # whole: every atom at the minimum image of the residue's first atom
    whole = []
    for resname, atoms in lipids:
        first = atoms[0][2]
        moved = [(n, e, [x - box[k] * round((x - first[k]) / box[k]) for k, x in enumerate(xyz)])
                 for n, e, xyz in atoms]
        whole.append((resname, moved))
    return whole, box[:3], dropped


def midplane(lipids):
    zs = [xyz[2] for _, atoms in lipids for n, e, xyz in atoms if e == "P"]
    if not zs:
        zs = [xyz[2] for _, atoms in lipids for _, _, xyz in atoms]
        return sum(zs) / len(zs), "mean z of all lipid heavy atoms (no phosphorus)"
    mean = sum(zs) / len(zs)
    upper = [z for z in zs if z > mean]
    lower = [z for z in zs if z <= mean]
    return (sum(upper) / len(upper) + sum(lower) / len(lower)) / 2, \
        f"halfway between the phosphorus planes ({len(lower)} + {len(upper)} P atoms)"


class Grid:
    """Periodic cell list of points, cells at least `cut` wide."""

    def __init__(self, points, box, cut):
        self.box, self.cut = box, cut
        self.n = [max(1, int(L // cut)) for L in box]
        self.cells = {}
        for p in points:
            self.cells.setdefault(self.cell(p), []).append(p)

    def cell(self, p):
        return tuple(int((p[k] % self.box[k]) / self.box[k] * self.n[k]) % self.n[k] for k in range(3))

    def near(self, p):
        """Whether a point lies within `cut` of p (minimum image)."""
        c = self.cell(p)
        around = [[(c[k] - 1) % n, c[k], (c[k] + 1) % n] if n >= 3 else list(range(n)) for k, n in enumerate(self.n)]
        for i in around[0]:
            for j in around[1]:
                for k in around[2]:
                    for q in self.cells.get((i, j, k), ()):
                        d2 = 0.0
                        for a in range(3):
                            d = p[a] - q[a]
                            d -= self.box[a] * round(d / self.box[a])
                            d2 += d * d
                        if d2 < self.cut * self.cut:
                            return True
        return False


def pdb_atom(serial, name, resname, chain, resseq, icode, xyz, element):
    label = name if len(name) == 4 else " " + name
    return (f"ATOM  {serial % 100000:5d} {label:<4s} {resname:<4s}{chain}{resseq:4d}{icode or ' ':1s}   "
            f"{xyz[0]:8.3f}{xyz[1]:8.3f}{xyz[2]:8.3f}  1.00  0.00          {element:>2s}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("protein")
    ap.add_argument("bilayer")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--margin", type=float, default=10.0, help="lipids beyond the protein's x/y extent, each side (A)")
    ap.add_argument("--overlap", type=float, default=3.0, help="lipid-protein heavy-atom distance that removes a lipid (A)")
    ap.add_argument("--tiles", type=int, default=0, help="tile the patch N x N (default: from --margin)")
    args = ap.parse_args()

    residues, dropped = read_protein(args.protein)
    protein, stubs = clean_protein(residues, dropped)
    if not protein:
        fail(f"{args.protein}: no peptide-bonded amino acid")
    lipids, patch, water = read_bilayer(args.bilayer)
    mid, how = midplane(lipids)
    pxyz = [a[2] for r in protein for a in r[4]]
    lo = [min(p[k] for p in pxyz) for k in range(3)]
    hi = [max(p[k] for p in pxyz) for k in range(3)]
    width = max(hi[0] - lo[0], hi[1] - lo[1]) + 2 * args.margin    # square: the protein turned any way fits
    tiles = [args.tiles or math.ceil(width / patch[k]) for k in range(2)]
    box = [tiles[0] * patch[0], tiles[1] * patch[1], max(patch[2], hi[2] - lo[2] + 2 * args.margin)]
    shift = [box[0] / 2 - (lo[0] + hi[0]) / 2, box[1] / 2 - (lo[1] + hi[1]) / 2, box[2] / 2]
    protein = [(c, s, i, n, [(a, e, [x[k] + shift[k] for k in range(3)]) for a, e, x in atoms])
               for c, s, i, n, atoms in protein]
    grid = Grid([a[2] for r in protein for a in r[4]], box, args.overlap)

    kept, removed = [], Counter()
    for tx in range(tiles[0]):
        for ty in range(tiles[1]):
            t = [tx * patch[0], ty * patch[1], box[2] / 2 - mid]
            for resname, atoms in lipids:
                moved = [(n, e, [x[k] + t[k] for k in range(3)]) for n, e, x in atoms]
                if any(grid.near(x) for _, _, x in moved):
                    removed[resname] += 1
                else:
                    kept.append((resname, moved))

    used = {r[0] for r in protein}
    chain = next(c for c in "LMNOPQRSTUVWXYZ" if c not in used)
    serial = 0
    with open(args.output + ".partial", "w") as out:
        out.write(f"REMARK   assemble.py {args.protein} {args.bilayer}\n")
        out.write(f"CRYST1{box[0]:9.3f}{box[1]:9.3f}{box[2]:9.3f}  90.00  90.00  90.00 P 1           1\n")
        for k, (c, s, i, n, atoms) in enumerate(protein):
            for a, e, x in atoms:
                serial += 1
                out.write(pdb_atom(serial, a, n, c, s, i, x, e))
            if k + 1 == len(protein) or protein[k + 1][0] != c:
                out.write("TER\n")
        for number, (resname, atoms) in enumerate(kept, 1):
            for a, e, x in atoms:
                serial += 1
                out.write(pdb_atom(serial, a, resname, chain, number, "", x, e))
        out.write("TER\nEND\n")
    os.replace(args.output + ".partial", args.output)

    count = Counter(r for r, _ in kept)
    chains = Counter(r[0] for r in protein)
    print(f"protein {args.protein}: {len(protein)} residues in chains "
          + ", ".join(f"{c} ({n})" for c, n in chains.items())
          + f"; extent x {hi[0] - lo[0]:.1f}, y {hi[1] - lo[1]:.1f}, z {lo[2]:.1f}..{hi[2]:.1f} A")
    print("  dropped: " + (", ".join(f"{n} {what}" for what, n in dropped.items()) or "nothing"))
    print("  incomplete side chains kept as backbone + CB: "
          + (", ".join(f"{n} {what}" for what, n in sorted(stubs.items())) or "none")
          + f" ({sum(stubs.values())} residues)")
    print(f"bilayer {args.bilayer}: {len(lipids)} lipids ("
          + ", ".join(f"{n} {r}" for r, n in Counter(r for r, _ in lipids).items())
          + f"), patch {patch[0]:.2f} x {patch[1]:.2f} A; dropped "
          + ", ".join(f"{n} {r} atoms" for r, n in water.items()))
    print(f"  midplane z = {mid:.2f} A ({how}); tiled {tiles[0]} x {tiles[1]}")
    print(f"system {args.output}: box {box[0]:.2f} x {box[1]:.2f} x {box[2]:.2f} A; lipids with a heavy atom within "
          f"{args.overlap} A of the protein removed: " + ", ".join(f"{n} {r}" for r, n in removed.items())
          + f"; kept {len(kept)} lipids (" + ", ".join(f"{n} {r}" for r, n in count.items())
          + f") in chain {chain}, numbered 1-{len(kept)}; {serial} heavy atoms")


if __name__ == "__main__":
    main()
