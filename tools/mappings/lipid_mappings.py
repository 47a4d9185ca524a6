"""Martini 3 lipid and cholesterol mappings from cg2at fragments, checked against real files.

Part of tools/mappings/make_martini3_mappings.py (Python 3 standard library only)."""

import collections
import gzip
import os

from mapping_common import CG2AT_COMMIT, note
from mapping_sources import read_cg2at_fragment
from mapping_hierarchy import adjacency, bead_hierarchy, bfs_order, distance_bonds, element_of


LIPIDS = [
    # molecule, fragment dir, residue aliases, start atom, file name
    ("POPC", "POPC", ["POP"], "N", "popc"),
    ("POPE", "POPE", ["POP"], "N", "pope"),
    ("DOPC", "DOPC", ["DOP"], "N", "dopc"),
    ("DPPC", "DPPC", ["DPP"], "N", "dppc"),
    ("DMPC", "DMPC", ["DMP"], "N", "dmpc"),
    ("CHL1", "CHOL", ["CHL", "CHOL"], "O3", "chol"),
]


def read_real_names(path):
    """{resname: set(atom names)} from a .pdb.gz or .gro.gz file."""
    out = collections.defaultdict(set)
    with gzip.open(path, "rt") as fh:
        if path.endswith(".gro.gz"):
            fh.readline()
            n = int(fh.readline())
            for _ in range(n):
                line = fh.readline()
                out[line[5:10].strip()].add(line[10:15].strip())
        else:
            for line in fh:
                if line.startswith(("ATOM", "HETATM")):
                    out[line[17:21].strip()].add(line[12:16].strip())
    return out


def rotated_alias(name):
    """PDB files that squeeze 4-character names write C210 as 0C21 (last char first)."""
    return name[-1] + name[:-1]


def graph_shape(names, bonds):
    """(connected components, independent rings) of a graph."""
    adj = adjacency(names, bonds)
    comps = 0
    seen = set()
    for n in names:
        if n not in seen:
            comps += 1
            seen.update(bfs_order(adj, n))
    return comps, len(bonds) - len(names) + comps


def read_residue_coords(path, wanted):
    """Yield (resname, {name: xyz in A}) per residue whose name is in wanted."""
    with gzip.open(path, "rt") as fh:
        if path.endswith(".gro.gz"):
            fh.readline()
            n = int(fh.readline())
            rows = []
            for _ in range(n):
                line = fh.readline()
                rows.append((line[0:10], line[5:10].strip(), line[10:15].strip(),
                             tuple(10.0 * float(line[20 + 8 * i:28 + 8 * i]) for i in range(3))))
        else:
            rows = []
            for line in fh:
                if line.startswith("ENDMDL"):
                    break
                if line.startswith(("ATOM", "HETATM")):
                    rows.append((line[17:27], line[17:21].strip(), line[12:16].strip(),
                                 (float(line[30:38]), float(line[38:46]), float(line[46:54]))))
    cur, res, coords = None, None, {}
    for key, rn, an, xyz in rows:
        if key != cur:
            if coords and res in wanted:
                yield res, coords
            cur, res, coords = key, rn, {}
        coords[an] = xyz
    if coords and res in wanted:
        yield res, coords


def real_residue_bonds(mol, res_aliases, heavy, real_coords, expected_rings):
    """Heavy-atom distance bonds of the first whole residue of this molecule in a real file."""
    for fname, path in real_coords:
        for res, coords in read_residue_coords(path, set([mol] + res_aliases)):
            names = {}
            for n in heavy:
                if n in coords:
                    names[n] = coords[n]
                elif rotated_alias(n) in coords:
                    names[n] = coords[rotated_alias(n)]
            real_heavy = {n for n in coords if element_of(n) != "H"}
            if set(names) != set(heavy) or len(real_heavy) != len(heavy):
                break  # another molecule sharing the residue name (POP)
            bonds = distance_bonds(names)
            if graph_shape(heavy, bonds) == (1, expected_rings):
                return fname, bonds
    return None


def make_lipid(mol, fragdir, res_aliases, start, src, real, real_coords):
    path = os.path.join(src, "cg2at-martini_3-0_charmm36", "non_protein", fragdir,
                        fragdir + ".pdb")
    frag = read_cg2at_fragment(path)
    beads = [b for b, _ in frag]
    heavy = collections.OrderedDict()
    coords = {}
    for b, atoms in frag:
        for n, e, xyz in atoms:
            if e == "H":
                continue
            assert n not in heavy, (mol, n, "in two beads")
            heavy[n] = [b]
            coords[n] = xyz
    expected_rings = 4 if mol == "CHL1" else 0
    bond_source = "bonds from fragment coordinates"
    bonds = distance_bonds(coords)
    comps, rings = graph_shape(list(heavy), bonds)
    print("%s: cg2at fragment distance bonds: %d bonds, %d components, %d rings"
          % (mol, len(bonds), comps, rings))
    ref = real_residue_bonds(mol, res_aliases, list(heavy), real_coords, expected_rings)
    if ref is None:
        note("%s: no whole residue found in the real files; fragment bonds used unchecked" % mol)
    else:
        fname, rbonds = ref
        print("%s: bonds cross-checked against the first whole residue of %s" % (mol, fname))
        mine = {frozenset(b) for b in bonds}
        theirs = {frozenset(b) for b in rbonds}
        if mine != theirs:
            note("%s: cg2at fragment bonds differ from a residue of %s: fragment only %s; "
                 "real file only %s; the real-file (CHARMM36) connectivity is used"
                 % (mol, fname,
                    " ".join("-".join(sorted(b)) for b in sorted(map(sorted, mine - theirs))),
                    " ".join("-".join(sorted(b)) for b in sorted(map(sorted, theirs - mine)))))
            bond_source = ("bonds from fragment coordinates, corrected to the CHARMM36 "
                           "connectivity of %s (%s)" % (fname, " ".join(
                               "-".join(sorted(b)) for b in sorted(map(sorted, theirs - mine)))))
            order_ = {n: i for i, n in enumerate(heavy)}
            bonds = sorted((tuple(sorted(b, key=order_.get)) for b in theirs),
                           key=lambda b: (order_[b[0]], order_[b[1]]))
    comps, rings = graph_shape(list(heavy), bonds)
    if comps != 1 or rings != expected_rings:
        raise SystemExit("%s: bonds give %d components, %d rings (expected 1, %d)"
                         % (mol, comps, rings, expected_rings))
    adj = adjacency(list(heavy), bonds)
    valence = {"C": 4, "N": 4, "O": 2, "P": 4}
    for n in heavy:
        if len(adj[n]) > valence[element_of(n)]:
            raise SystemExit("%s: atom %s has %d heavy neighbours" % (mol, n, len(adj[n])))
    print("%s: %d heavy atoms, %d bonds, %d rings, %d beads" % (mol, len(heavy), len(bonds),
                                                               rings, len(beads)))

    order = bfs_order(adj, start)
    levels, anchors = {}, {}
    for bead in beads:
        members = [a for a, bl in heavy.items() if bead in bl]
        lv, an = bead_hierarchy(members, adj, order)
        levels.update(lv)
        anchors.update(an)

    # names against the real files
    aliases = collections.defaultdict(list)
    for fname, names_by_res in real:
        hit = [r for r in names_by_res if r == mol or r in res_aliases]
        for r in hit:
            names = names_by_res[r]
            if mol == "POPC" and r == "POP" and "C13" not in names:
                continue  # the POPE file
            if mol == "POPE" and r == "POP" and "C13" in names:
                continue  # the POPC file
            missing = [n for n in heavy if n not in names]
            for n in missing:
                rot = rotated_alias(n)
                if len(n) == 4 and rot in names:
                    if rot not in aliases[n]:
                        aliases[n].append(rot)
                else:
                    note("%s: heavy atom %s absent from %s (residue %s)" % (mol, n, fname, r))
            if missing:
                rot_used = [n for n in missing if rot_alias_ok(n, names)]
                if rot_used:
                    note("%s: %s (residue %s) writes %s as %s; added as atom aliases"
                         % (mol, fname, r, ",".join(rot_used),
                            ",".join(rotated_alias(n) for n in rot_used)))
            heavy_real = {n for n in names if element_of(n) != "H"}
            known = set(heavy) | {a for v in aliases.values() for a in v}
            extra = sorted(heavy_real - known)
            if extra:
                note("%s: %s (residue %s) has heavy atoms the fragment lacks: %s"
                     % (mol, fname, r, " ".join(extra)))

    atoms = []
    for n, bl in heavy.items():
        rec = collections.OrderedDict(name=n, element=element_of(n), beads=bl, level=levels[n])
        if n in anchors:
            rec["anchor"] = anchors[n]
        if aliases.get(n):
            rec["aliases"] = aliases[n]
        rec["hydrogens"] = {"centre": False}
        atoms.append(rec)
    return {
        "molecule": mol,
        "aliases": res_aliases,
        "kind": "molecule",
        "weighting": "mass",
        "source": "cg2at martini_3-0_charmm36 non_protein/%s/%s.pdb (commit %s), GPL-3.0; "
                  "%s; hierarchy: BACKMAP"
                  % (fragdir, fragdir, CG2AT_COMMIT[:12], bond_source),
        "beads": beads,
        "atoms": atoms,
        "bonds": bonds,
    }


def rot_alias_ok(n, names):
    return len(n) == 4 and n not in names and rotated_alias(n) in names
