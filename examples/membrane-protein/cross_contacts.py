#!/usr/bin/env python3
"""Heavy-atom contacts between the protein and everything else in PDB structures.

  cross_contacts.py STRUCTURE.pdb... [--cutoff A] [--protein-chains ABC]

For each file (first model only): the number of (protein atom, other atom) pairs closer than
--cutoff (default 2.2 A, `backmap eval`'s clash distance), the number of other residues with
such a pair, and the shortest protein-other distance, under the CRYST1 box (minimum image)
when there is one. Protein: the chains given, default every chain but the last one (the
lipids' chain in assemble.py's output). Hydrogens are ignored. Standard library only.
"""
import argparse
import math
import sys


def read(path):
    atoms, box, chains = [], None, []
    with open(path) as f:
        for line in f:
            if line.startswith("CRYST1"):
                box = [float(line[6:15]), float(line[15:24]), float(line[24:33])]
            elif line.startswith("ENDMDL"):
                break
            elif line.startswith(("ATOM", "HETATM")):
                element = (line[76:78].strip() or line[12:16].strip()[0]).upper()
                if element in ("H", "D"):
                    continue
                chain = line[21]
                if chain not in chains:
                    chains.append(chain)
                atoms.append((chain, line[17:27], [float(line[30:38]), float(line[38:46]), float(line[46:54])]))
    if not atoms:
        sys.exit(f"cross_contacts.py: {path}: no atoms")
    return atoms, box, chains


def contacts(protein, others, box, cutoff):
    """Pairs closer than cutoff, residues of `others` in them, and the shortest distance (within 2 cutoffs)."""
    cell = max(cutoff, 5.0)
    def key(p):
        return tuple(int(math.floor((p[k] % box[k] if box else p[k]) / cell)) for k in range(3))
    n = [max(1, int(box[k] // cell)) for k in range(3)] if box else None
    grid = {}
    for _, _, p in protein:
        c = key(p)
        if n:
            c = tuple(c[k] % n[k] for k in range(3))
        grid.setdefault(c, []).append(p)
    pairs, residues, shortest = 0, set(), math.inf
    for _, label, p in others:
        c = key(p)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dz in (-1, 0, 1):
                    k = (c[0] + dx, c[1] + dy, c[2] + dz)
                    if n:
                        if min(n) < 3:
                            sys.exit("cross_contacts.py: box under three cells wide")
                        k = tuple(k[a] % n[a] for a in range(3))
                    for q in grid.get(k, ()):
                        d2 = 0.0
                        for a in range(3):
                            d = p[a] - q[a]
                            if box:
                                d -= box[a] * round(d / box[a])
                            d2 += d * d
                        shortest = min(shortest, d2)
                        if d2 < cutoff * cutoff:
                            pairs += 1
                            residues.add(label)
    return pairs, len(residues), math.sqrt(shortest)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("structures", nargs="+")
    ap.add_argument("--cutoff", type=float, default=2.2)
    ap.add_argument("--protein-chains", default="")
    args = ap.parse_args()
    for path in args.structures:
        atoms, box, chains = read(path)
        protein_chains = set(args.protein_chains or chains[:-1])
        protein = [a for a in atoms if a[0] in protein_chains]
        others = [a for a in atoms if a[0] not in protein_chains]
        pairs, residues, shortest = contacts(protein, others, box, args.cutoff)
        print(f"{path}: protein-lipid heavy-atom pairs < {args.cutoff} A: {pairs} (in {residues} lipids); "
              f"shortest protein-lipid distance {shortest:.2f} A")


if __name__ == "__main__":
    main()
