#!/usr/bin/python3
"""Write BACKMAP mapping YAML files (format version 1) for Martini 3 and CA-only.

Reads the read-only mapping sources (vermouth martini3001 .map files, Apache-2.0;
cg2at martini_3-0_charmm36 fragments, GPL-3.0) and writes:

  <out>/martini3/<res>.yaml   20 amino acids + POPC POPE DOPC DPPC DMPC + cholesterol
  <out>/ca/<res>.yaml         20 amino acids, one CA-centred bead each

Python 3 standard library only.  Usage:

  /usr/bin/python3 tools/mappings/make_martini3_mappings.py \
      [--src /work/shared/data/mappings-src] [--out potentials/mappings] \
      [--lipids /work/shared/data/lipids] [--check-pdb FILE.pdb.gz ...]

Everything the script finds worth a human look (disagreements between the
source maps, atom-name mismatches against real files) is printed as lines
starting with 'NOTE'.
"""

import argparse
import collections
import gzip
import math
import os
import sys

VERMOUTH_COMMIT = "d0ec4df926026108b1fa8c479f7f646a8aaa3bc7"
CG2AT_COMMIT = "5fd704204067782e2ed01bec9c36491f088c12c4"

MASS = {"H": 1.008, "C": 12.011, "N": 14.007, "O": 15.999, "S": 32.06, "P": 30.974}

NOTES = []


def note(msg):
    NOTES.append(msg)
    print("NOTE " + msg)


# --------------------------------------------------------------------------
# Amino-acid chemistry written by hand
# --------------------------------------------------------------------------
AMINO_ACIDS = ["ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
               "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL"]

# Residue aliases (protonation / naming variants that share the heavy atoms).
RESIDUE_ALIASES = {
    "HIS": ["HSD", "HSE", "HSP", "HID", "HIE", "HIP", "HISD", "HISE", "HISH"],
    "ASP": ["ASH", "ASPP", "ASPH"],
    "GLU": ["GLH", "GLUP", "GLUH"],
    "LYS": ["LYN", "LSN"],
    "CYS": ["CYX", "CYM"],
}

# vermouth maps that describe the same residue (variants); canonical file first.
VARIANT_MAPS = {
    "HIS": ["his.charmm36", "hsd.charmm36", "hse.charmm36", "hsp.charmm36",
            "his.amber", "hid.amber", "hie.amber", "hip.amber"],
    "ASP": ["asp.charmm36", "aspp.charmm36", "asp.amber", "ash.amber"],
    "GLU": ["glu.charmm36", "glup.charmm36", "glu.amber", "glh.amber"],
    "LYS": ["lys.charmm36", "lsn.charmm36", "lys.amber", "lyn.amber"],
}

# Side-chain heavy-atom bonds (PDB/IUPAC names); N-CA, CA-C, C-O, C-OXT and
# CA-CB (not GLY) are added for every residue.  The peptide link C(i)-N(i+1)
# is implicit.
SIDE_CHAIN_BONDS = {
    "ALA": [],
    "ARG": ["CB-CG", "CG-CD", "CD-NE", "NE-CZ", "CZ-NH1", "CZ-NH2"],
    "ASN": ["CB-CG", "CG-OD1", "CG-ND2"],
    "ASP": ["CB-CG", "CG-OD1", "CG-OD2"],
    "CYS": ["CB-SG"],
    "GLN": ["CB-CG", "CG-CD", "CD-OE1", "CD-NE2"],
    "GLU": ["CB-CG", "CG-CD", "CD-OE1", "CD-OE2"],
    "GLY": [],
    "HIS": ["CB-CG", "CG-ND1", "ND1-CE1", "CE1-NE2", "NE2-CD2", "CD2-CG"],
    "ILE": ["CB-CG1", "CG1-CD1", "CB-CG2"],
    "LEU": ["CB-CG", "CG-CD1", "CG-CD2"],
    "LYS": ["CB-CG", "CG-CD", "CD-CE", "CE-NZ"],
    "MET": ["CB-CG", "CG-SD", "SD-CE"],
    "PHE": ["CB-CG", "CG-CD1", "CD1-CE1", "CE1-CZ", "CZ-CE2", "CE2-CD2", "CD2-CG"],
    "PRO": ["CB-CG", "CG-CD", "CD-N"],
    "SER": ["CB-OG"],
    "THR": ["CB-OG1", "CB-CG2"],
    "TRP": ["CB-CG", "CG-CD1", "CD1-NE1", "NE1-CE2", "CE2-CD2", "CD2-CG",
            "CE2-CZ2", "CZ2-CH2", "CH2-CZ3", "CZ3-CE3", "CE3-CD2"],
    "TYR": ["CB-CG", "CG-CD1", "CD1-CE1", "CE1-CZ", "CZ-CE2", "CE2-CD2", "CD2-CG",
            "CZ-OH"],
    "VAL": ["CB-CG1", "CB-CG2"],
}

# Heavy-atom names that differ between CHARMM (vermouth/cg2at) and PDB/IUPAC.
# canonical (PDB) name -> CHARMM name used in the sources
CHARMM_NAME = {("ILE", "CD1"): "CD"}
# extra input names per canonical atom (all residues)
BACKBONE_ALIASES = {"O": ["OT1", "O1"], "OXT": ["OT2", "O2"]}

BACKBONE = ["N", "CA", "C", "O", "OXT"]


# --------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------
def read_vermouth_map(path):
    """Return dict with molecule, martini (bead list or None), atoms [(name, [beads])]."""
    sections = collections.defaultdict(list)
    order = []
    current = None
    with open(path) as fh:
        for raw in fh:
            line = raw.split(";")[0].strip()
            if not line:
                continue
            if line.startswith("["):
                current = line.strip("[] ").lower()
                order.append(current)
                continue
            if current is not None:
                sections[current].append(line)
    atoms = []
    for line in sections.get("atoms", []):
        parts = line.split()
        atoms.append((parts[1], parts[2:]))
    martini = sections["martini"][0].split() if sections.get("martini") else None
    return {"molecule": sections["molecule"][0].split()[0], "martini": martini,
            "atoms": atoms}


def read_ff_bead_order(path):
    """Bead names per moleculetype in a vermouth .ff file, in order."""
    out = {}
    name = None
    section = None
    with open(path) as fh:
        for raw in fh:
            line = raw.split(";")[0].strip()
            if not line:
                continue
            if line.startswith("["):
                section = line.strip("[] ").lower()
                continue
            if section == "moleculetype":
                name = line.split()[0]
                out[name] = []
            elif section == "atoms" and name is not None:
                parts = line.split()
                if len(parts) >= 5:
                    out[name].append(parts[4])
    return out


def read_cg2at_fragment(path):
    """Return [(bead, [(name, element, (x,y,z))])] in file order, stopping at non-bead sections."""
    beads = []
    with open(path) as fh:
        for raw in fh:
            if raw.startswith("["):
                tag = raw.strip().strip("[] ").strip()
                if tag in ("CONNECT", "GROUPS", "CHIRAL"):
                    break
                beads.append((tag, []))
                continue
            if raw.startswith(("ATOM", "HETATM")) and beads:
                name = raw[12:16].strip()
                xyz = (float(raw[30:38]), float(raw[38:46]), float(raw[46:54]))
                elem = raw[76:78].strip() if len(raw) >= 78 else ""
                if not elem:
                    elem = name.lstrip("0123456789")[0]
                beads[-1][1].append((name, elem.upper(), xyz))
    return beads


def dist(a, b):
    return math.sqrt(sum((p - q) ** 2 for p, q in zip(a, b)))


def distance_bonds(coords, cutoff=1.95):
    names = list(coords)
    bonds = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if dist(coords[a], coords[b]) < cutoff:
                bonds.append((a, b))
    return bonds


# --------------------------------------------------------------------------
# Hierarchy
# --------------------------------------------------------------------------
def adjacency(names, bonds):
    adj = {n: [] for n in names}
    for a, b in bonds:
        adj[a].append(b)
        adj[b].append(a)
    return adj


def bfs_order(adj, start):
    seen = {start: 0}
    order = [start]
    queue = collections.deque([start])
    while queue:
        cur = queue.popleft()
        for nb in adj[cur]:
            if nb not in seen:
                seen[nb] = seen[cur] + 1
                order.append(nb)
                queue.append(nb)
    return order


def bead_hierarchy(bead_atoms, adj, global_order, first_level=1):
    """Levels/anchors for the atoms of one bead.

    Roots (level first_level, no anchor) are taken in global BFS order; from each
    root a BFS restricted to the bead's atoms gives levels and anchors.
    """
    members = set(bead_atoms)
    rank = {n: i for i, n in enumerate(global_order)}
    level, anchor = {}, {}
    for root in sorted(members, key=lambda n: rank.get(n, 1 << 30)):
        if root in level:
            continue
        level[root] = first_level
        queue = collections.deque([root])
        while queue:
            cur = queue.popleft()
            for nb in sorted(adj[cur], key=lambda n: rank.get(n, 1 << 30)):
                if nb in members and nb not in level:
                    level[nb] = level[cur] + 1
                    anchor[nb] = cur
                    queue.append(nb)
    return level, anchor


# --------------------------------------------------------------------------
# Hydrogen parents (CHARMM hydrogen naming chemistry)
# --------------------------------------------------------------------------
def hydrogen_parent(hname, heavy):
    """Heavy atom (source names) a CHARMM/AMBER amino-acid hydrogen is bonded to."""
    if hname in ("H", "HN", "H1", "H2", "H3", "HN1", "HN2", "HN3", "HT1", "HT2", "HT3"):
        return "N"
    rest = hname[1:]
    pos = rest[0]
    cands = [a for a in heavy if a not in ("N", "C", "O", "OXT") and len(a) >= 2 and a[1] == pos]
    if len(cands) == 1:
        return cands[0]
    branch = rest[1:2]
    hit = [a for a in cands if a[2:3] == branch]
    if len(hit) == 1:
        return hit[0]
    raise ValueError("cannot find the parent of hydrogen %s among %s" % (hname, heavy))


def element_of(name):
    return name.lstrip("0123456789")[0]


# --------------------------------------------------------------------------
# YAML writing (our own small emitter; flow maps one per line)
# --------------------------------------------------------------------------
def flow_list(items):
    return "[" + ", ".join(items) + "]"


def flow_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return flow_list([flow_value(x) for x in v])
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, flow_value(x)) for k, x in v.items()) + "}"
    return str(v)


def atom_line(atom):
    keys = ["name", "element", "beads", "level", "anchor", "aliases", "optional", "hydrogens"]
    parts = []
    for k in keys:
        if k in atom:
            parts.append("%s: %s" % (k, flow_value(atom[k])))
    return "  - {" + ", ".join(parts) + "}"


def write_yaml(path, header, mol):
    lines = ["# " + h for h in header]
    lines.append("molecule: %s" % mol["molecule"])
    if mol.get("aliases"):
        lines.append("aliases: %s" % flow_list(mol["aliases"]))
    lines.append("kind: %s" % mol["kind"])
    lines.append("weighting: %s" % mol.get("weighting", "mass"))
    lines.append('source: "%s"' % mol["source"])
    lines.append("beads:")
    for b in mol["beads"]:
        if isinstance(b, dict):
            lines.append("  - " + flow_value(b))
        else:
            lines.append("  - " + b)
    lines.append("atoms:")
    for a in mol["atoms"]:
        lines.append(atom_line(a))
    lines.append("bonds:")
    for a, b in mol["bonds"]:
        lines.append("  - [%s, %s]" % (a, b))
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def level_fields(atom_beads, levels, anchors):
    """Return (level, anchor) entries: scalar for one distinct bead, map otherwise."""
    distinct = list(dict.fromkeys(atom_beads))
    if len(distinct) == 1:
        b = distinct[0]
        return levels[b], anchors.get(b)
    lv = {b: levels[b] for b in distinct}
    an = {b: anchors[b] for b in distinct if b in anchors}
    return lv, (an or None)


# --------------------------------------------------------------------------
# Amino acids
# --------------------------------------------------------------------------
def canonical(res, src_name):
    for (r, canon), charmm in CHARMM_NAME.items():
        if r == res and charmm == src_name:
            return canon
    return src_name


def aa_bonds(res, heavy):
    bonds = [("N", "CA"), ("CA", "C"), ("C", "O"), ("C", "OXT")]
    if res != "GLY":
        bonds.append(("CA", "CB"))
    for s in SIDE_CHAIN_BONDS[res]:
        a, b = s.split("-")
        bonds.append((a, b))
    for a, b in bonds:
        assert a in heavy and b in heavy, (res, a, b)
    return bonds


def hydrogen_rules(res, vmap_atoms):
    """From one vermouth map: {heavy (canonical): set of (beads tuple, centre)} for its H."""
    heavy_src = [n for n, _ in vmap_atoms if not n.startswith("H")]
    rules = collections.defaultdict(set)
    for n, beads in vmap_atoms:
        if not n.startswith("H"):
            continue
        parent = canonical(res, hydrogen_parent(n, heavy_src))
        centre = not any(b.startswith("!") for b in beads)
        rules[parent].add((tuple(b.lstrip("!") for b in beads), centre, n))
    return rules


def modification_centre_hydrogens(path):
    """{(res, heavy parent): beads} for side-chain hydrogens that a vermouth
    modification mapping (e.g. LYS-HZ3, LYS-LSN) puts in a bead centre.

    martinize2 applies such a mapping whenever the residue carries the
    modification's hydrogens (a charged or neutral CHARMM lysine is LYS plus
    LYS-HZ3 / LYS-LSN), and the modification's plain `HE1 SC2` then overrides the
    residue map's `HE1 !SC2`: the hydrogen counts in the bead centre."""
    out = {}
    blocks, current, section = [], None, None
    with open(path) as fh:
        for raw in fh:
            line = raw.split(";")[0].strip()
            if not line:
                continue
            if line.startswith("["):
                section = line.strip("[] ").lower()
                if section == "modification":
                    current = {"name": None, "mapping": []}
                    blocks.append(current)
                continue
            if current is None:
                continue
            if section == "from blocks":
                current["name"] = line.split()[0]
            elif section == "mapping":
                current["mapping"].append(line.split())
    for b in blocks:
        res = (b["name"] or "").split("-")[0]
        if res not in AMINO_ACIDS:
            continue    # termini and caps: backbone atoms only
        heavy = [a for a, *_ in b["mapping"] if not a.startswith("H")]
        for a, *beads in b["mapping"]:
            if a.startswith("H") and beads and not any(x.startswith("!") for x in beads):
                parent = canonical(res, hydrogen_parent(a, heavy))
                if parent != "N":
                    out[(res, parent)] = tuple(beads)
    return out


def build_amino_acid(res, src, ff_order):
    vdir = os.path.join(src, "vermouth-martini3001")
    cmap = read_vermouth_map(os.path.join(vdir, res.lower() + ".charmm36.map"))
    amap_path = os.path.join(vdir, res.lower() + ".amber.map")
    amap = read_vermouth_map(amap_path) if os.path.exists(amap_path) else None

    # bead list
    beads = cmap["martini"]
    if beads is None:
        beads = ff_order[res]
        note("%s: charmm36 map has no [ martini ] section; bead order taken from "
             "05-aminoacids.ff: %s" % (res, " ".join(beads)))
    elif beads != ff_order[res]:
        note("%s: [ martini ] %s differs from 05-aminoacids.ff %s" % (res, beads, ff_order[res]))
    appear = list(dict.fromkeys(b.lstrip("!") for _, bl in cmap["atoms"] for b in bl))
    assert set(appear) == set(beads), (res, appear, beads)

    # heavy atoms and their beads (canonical names)
    heavy = collections.OrderedDict()
    for n, bl in cmap["atoms"]:
        if n.startswith("H"):
            continue
        heavy[canonical(res, n)] = list(bl)
    for n, bl in heavy.items():
        assert not any(b.startswith("!") for b in bl), (res, n, bl)
    heavy["OXT"] = ["BB"]  # modifications.charmm36.mapping C-ter: OXT BB

    # amber cross-check
    if amap is not None:
        ah = {canonical(res, n): bl for n, bl in amap["atoms"] if not n.startswith("H")}
        ch = {n: bl for n, bl in heavy.items() if n != "OXT"}
        if ah != ch:
            note("%s: heavy-atom beads differ between charmm36 and amber maps: %s vs %s"
                 % (res, ch, ah))
        if amap["martini"] not in (None, cmap["martini"]):
            note("%s: amber [ martini ] %s differs" % (res, amap["martini"]))

    # hydrogen rules: charmm36 canonical map first, then variants, then amber
    map_names = VARIANT_MAPS.get(res, [res.lower() + ".charmm36", res.lower() + ".amber"])
    per_map = []
    for mn in map_names:
        p = os.path.join(vdir, mn + ".map")
        if not os.path.exists(p):
            continue
        vm = read_vermouth_map(p)
        vh = {canonical(res, n): bl for n, bl in vm["atoms"] if not n.startswith("H")}
        ch = {n: bl for n, bl in heavy.items() if n != "OXT"}
        if mn != map_names[0] and vh != ch:
            note("%s: variant map %s assigns heavy atoms differently (%s); ignored, "
                 "charmm36 %s.charmm36.map preferred"
                 % (res, mn, ", ".join("%s:%s" % (k, "/".join(v)) for k, v in vh.items()
                                       if ch.get(k) != v), res.lower()))
            continue
        per_map.append((mn, hydrogen_rules(res, vm["atoms"])))

    hyd = {}
    for parent in heavy:
        chosen = None
        chosen_from = None
        for mn, rules in per_map:
            if parent not in rules:
                continue
            variants = {(b, c) for b, c, _ in rules[parent]}
            if len(variants) > 1:
                # the hydrogens of this parent disagree inside one map
                if all(not c for _, c in variants):
                    own = tuple(heavy[parent])
                    pick = (own, False) if (own, False) in variants else sorted(variants)[0]
                    note("%s %s: hydrogens disagree inside %s.map (%s); all are excluded "
                         "from centres ('!'), so the rule beads=%s centre=false gives the "
                         "same bead positions" % (res, parent, mn,
                                                  ", ".join("%s:!%s" % (h, "/".join(b))
                                                            for b, c, h in sorted(rules[parent])),
                                                  "/".join(pick[0])))
                    variants = {pick}
                else:
                    raise SystemExit("unresolved hydrogen conflict %s %s %s" % (res, parent, variants))
            v = next(iter(variants))
            if chosen is None:
                chosen, chosen_from = v, mn
                if mn != map_names[0]:
                    note("%s %s: hydrogens absent from %s.map; rule taken from %s.map "
                         "(beads=%s centre=%s)" % (res, parent, map_names[0], mn,
                                                   "/".join(v[0]), str(v[1]).lower()))
            elif v != chosen:
                note("%s %s: hydrogen rule in %s.map (beads=%s centre=%s) differs from %s.map "
                     "(beads=%s centre=%s); kept %s" % (res, parent, mn, "/".join(v[0]),
                                                       str(v[1]).lower(), chosen_from,
                                                       "/".join(chosen[0]), str(chosen[1]).lower(),
                                                       chosen_from))
        if chosen is not None:
            hyd[parent] = chosen
    mods = modification_centre_hydrogens(os.path.join(vdir, "modifications.charmm36.mapping"))
    for parent in heavy:
        mb = mods.get((res, parent))
        if mb is not None and parent in hyd and not hyd[parent][1] and hyd[parent][0] == mb:
            note("%s %s: hydrogens are '!%s' in the residue maps but counted in %s by the "
                 "modifications.charmm36.mapping entry martinize2 applies whenever they are "
                 "present; rule centre=true (matches martinize2 on CHARMM-named inputs)"
                 % (res, parent, "/".join(mb), "/".join(mb)))
            hyd[parent] = (mb, True)
    return beads, heavy, hyd


def aa_bfs_orders(res, heavy, bonds):
    adj = adjacency(list(heavy), bonds)
    return adj, bfs_order(adj, "CA")


def make_martini_aa(res, src, ff_order):
    beads, heavy, hyd = build_amino_acid(res, src, ff_order)
    bonds = aa_bonds(res, heavy)
    adj, order = aa_bfs_orders(res, heavy, bonds)

    levels = collections.defaultdict(dict)
    anchors = collections.defaultdict(dict)
    for bead in beads:
        members = [a for a, bl in heavy.items() if bead in bl]
        if bead == "BB":
            lv = {"CA": 1, "N": 2, "C": 2, "O": 3, "OXT": 3}
            an = {"N": "CA", "C": "CA", "O": "C", "OXT": "C"}
            assert set(members) == set(lv), (res, members)
        else:
            lv, an = bead_hierarchy(members, adj, order)
        for a in members:
            levels[a][bead] = lv[a]
            if a in an:
                anchors[a][bead] = an[a]

    ordered = [a for a in BACKBONE] + [a for a in order if a not in BACKBONE]
    atoms = []
    for a in ordered:
        bl = heavy[a]
        lv, an = level_fields(bl, levels[a], anchors[a])
        rec = collections.OrderedDict(name=a, element=element_of(a), beads=bl, level=lv)
        if an is not None:
            rec["anchor"] = an
        al = list(BACKBONE_ALIASES.get(a, []))
        if (res, a) in CHARMM_NAME:
            al.append(CHARMM_NAME[(res, a)])
        if al:
            rec["aliases"] = al
        if a == "OXT":
            rec["optional"] = True
        if a in hyd:
            hb, hc = hyd[a]
            h = collections.OrderedDict()
            if list(hb) != list(bl):
                h["beads"] = list(hb)
            if not hc:
                h["centre"] = False
            if h:
                rec["hydrogens"] = h
        atoms.append(rec)
    mol = {
        "molecule": res,
        "aliases": RESIDUE_ALIASES.get(res, []),
        "kind": "amino_acid",
        "weighting": "mass",
        "source": "vermouth martini3001 %s.charmm36.map (commit %s), Apache-2.0; "
                  "hierarchy: BACKMAP" % (res.lower(), VERMOUTH_COMMIT[:12]),
        "beads": beads,
        "atoms": atoms,
        "bonds": bonds,
    }
    return mol, heavy, bonds


def make_ca_aa(res, heavy, bonds):
    adj = adjacency(list(heavy), bonds)
    order = bfs_order(adj, "CA")
    lv, an = bead_hierarchy(list(heavy), adj, order, first_level=0)
    ordered = [a for a in BACKBONE] + [a for a in order if a not in BACKBONE]
    atoms = []
    for a in ordered:
        rec = collections.OrderedDict(name=a, element=element_of(a), beads=["CA"], level=lv[a])
        if a in an and lv[a] >= 2:
            rec["anchor"] = an[a]
        al = list(BACKBONE_ALIASES.get(a, []))
        if (res, a) in CHARMM_NAME:
            al.append(CHARMM_NAME[(res, a)])
        if al:
            rec["aliases"] = al
        if a == "OXT":
            rec["optional"] = True
        atoms.append(rec)
    return {
        "molecule": res,
        "aliases": RESIDUE_ALIASES.get(res, []),
        "kind": "amino_acid",
        "weighting": "mass",
        "source": "CA-only bead on atom CA; heavy atoms from vermouth martini3001 "
                  "%s.charmm36.map (commit %s), Apache-2.0; hierarchy: BACKMAP"
                  % (res.lower(), VERMOUTH_COMMIT[:12]),
        "beads": [{"name": "CA", "centre": "CA"}],
        "atoms": atoms,
        "bonds": bonds,
    }


def crosscheck_cg2at_protein(res, src, bonds):
    path = os.path.join(src, "cg2at-martini_3-0_charmm36", "protein", res, res + ".pdb")
    frag = read_cg2at_fragment(path)
    coords = {}
    for _, atoms in frag:
        for n, e, xyz in atoms:
            coords[canonical(res, n)] = xyz
    mine = {frozenset(b) for b in bonds if "OXT" not in b}
    theirs = {frozenset(b) for b in distance_bonds(coords)}
    missing = mine - theirs
    extra = theirs - mine
    for b in sorted(map(sorted, missing)):
        note("%s: bond %s-%s not found in cg2at fragment coordinates (d=%.2f A)"
             % (res, b[0], b[1], dist(coords[b[0]], coords[b[1]])))
    for b in sorted(map(sorted, extra)):
        note("%s: cg2at fragment has %s-%s at %.2f A, not in the bond table"
             % (res, b[0], b[1], dist(coords[b[0]], coords[b[1]])))
    return not missing and not extra


# --------------------------------------------------------------------------
# Lipids and cholesterol
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------
def check_molecule(mol):
    """Consistency checks on an in-memory molecule; raises on failure."""
    bead_names = [b["name"] if isinstance(b, dict) else b for b in mol["beads"]]
    centre_beads = {b["name"]: b["centre"] for b in mol["beads"] if isinstance(b, dict)}
    by_name = {a["name"]: a for a in mol["atoms"]}
    used = set()
    for a in mol["atoms"]:
        bl = a["beads"]
        assert all(b in bead_names for b in bl), (mol["molecule"], a)
        used.update(bl)
        w = collections.Counter(bl)
        assert abs(sum(c / len(bl) for c in w.values()) - 1.0) < 1e-12
        distinct = list(dict.fromkeys(bl))
        lv = a["level"] if isinstance(a["level"], dict) else {distinct[0]: a["level"]}
        an = a.get("anchor")
        if an is None:
            an = {}
        elif not isinstance(an, dict):
            an = {distinct[0]: an}
        assert set(lv) == set(distinct), (mol["molecule"], a)
        for b in distinct:
            k = lv[b]
            if k == 0:
                assert centre_beads.get(b) == a["name"], (mol["molecule"], a)
                assert b not in an
            elif k == 1:
                assert b not in an, (mol["molecule"], a)
            else:
                p = by_name[an[b]]
                assert b in p["beads"], (mol["molecule"], a, p)
                plv = p["level"][b] if isinstance(p["level"], dict) else p["level"]
                assert plv == k - 1, (mol["molecule"], a, p)
    assert used == set(bead_names), (mol["molecule"], used, bead_names)
    names = set(by_name)
    for x, y in mol["bonds"]:
        assert x in names and y in names, (mol["molecule"], x, y)


def check_yaml_files(paths):
    try:
        import yaml  # noqa: F401 (optional; only for the self-check)
    except ImportError:
        print("PyYAML not available: YAML parse check skipped")
        return
    for p in paths:
        with open(p) as fh:
            doc = yaml.safe_load(fh)
        assert isinstance(doc["atoms"], list) and doc["molecule"], p
        for a in doc["atoms"]:
            assert isinstance(a["name"], str) and isinstance(a["element"], str), (p, a)
            for al in a.get("aliases", []):
                assert isinstance(al, str), (p, a)
    print("YAML parse check: %d files OK" % len(paths))


def check_pdb_coverage(pdbs, molecules):
    """Bead positions from real heavy-atom PDB files; report unknown heavy atom names."""
    known = {}
    for mol in molecules:
        names = {}
        for a in mol["atoms"]:
            names[a["name"]] = a
            for al in a.get("aliases", []):
                names[al] = a
        for r in [mol["molecule"]] + list(mol.get("aliases", [])):
            known[r] = (mol, names)
    for path in pdbs:
        residues = collections.OrderedDict()
        with gzip.open(path, "rt") as fh:
            for line in fh:
                if line.startswith("ENDMDL"):
                    break
                if not line.startswith(("ATOM", "HETATM")):
                    continue
                if line[16] not in " A":
                    continue
                res = line[17:20].strip()
                key = (line[21], line[22:27], res)
                elem = line[76:78].strip() or line[12:14].strip()[0]
                name = line[12:16].strip()
                if elem == "H" or (not line[76:78].strip() and name[0] == "H"):
                    continue
                residues.setdefault(key, []).append(
                    (name, (float(line[30:38]), float(line[38:46]), float(line[46:54]))))
        unknown = collections.Counter()
        incomplete = 0
        nbeads = 0
        for (ch, num, res), atoms in residues.items():
            if res not in known:
                continue
            mol, names = known[res]
            acc = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
            present = set()
            for n, xyz in atoms:
                if n not in names:
                    unknown[(res, n)] += 1
                    continue
                a = names[n]
                present.add(a["name"])
                m = MASS[a["element"]]
                for b in a["beads"]:
                    w = m / len(a["beads"])
                    s = acc[b]
                    for i in range(3):
                        s[i] += w * xyz[i]
                    s[3] += w
            req = {a["name"] for a in mol["atoms"] if not a.get("optional")}
            if req - present:
                incomplete += 1
            nbeads += sum(1 for b in acc.values() if b[3] > 0)
        print("%s: %d residues, %d beads computed, %d incomplete residues, unknown names: %s"
              % (os.path.basename(path), len(residues), nbeads, incomplete,
                 dict(unknown) if unknown else "none"))
        for (res, n), c in unknown.items():
            note("%s: standard residue %s has heavy atom %s (%d times) not in the mapping"
                 % (os.path.basename(path), res, n, c))


# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default="/work/shared/data/mappings-src",
                    help="mappings-src directory (vermouth + cg2at copies)")
    ap.add_argument("--lipids", default=None,
                    help="real lipid files directory for the atom-name check "
                         "(default: <src>/../lipids)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "..", "potentials", "mappings"),
                    help="output directory (martini3/ and ca/ are written below it)")
    ap.add_argument("--check-pdb", nargs="*", default=[],
                    help="real protein PDB files (.pdb.gz) to compute beads on as a coverage check")
    args = ap.parse_args()
    src = os.path.abspath(args.src)
    lipids_dir = args.lipids or os.path.join(os.path.dirname(src), "lipids")
    out = os.path.abspath(args.out)
    os.makedirs(os.path.join(out, "martini3"), exist_ok=True)
    os.makedirs(os.path.join(out, "ca"), exist_ok=True)

    ff_order = read_ff_bead_order(os.path.join(src, "vermouth-martini3001-forcefield",
                                               "05-aminoacids.ff"))
    header = ["BACKMAP mapping file, format version 1.",
              "Generated by tools/mappings/make_martini3_mappings.py; do not edit by hand."]
    written = []
    m3_mols, ca_mols = [], []
    for res in AMINO_ACIDS:
        mol, heavy, bonds = make_martini_aa(res, src, ff_order)
        crosscheck_cg2at_protein(res, src, bonds)
        check_molecule(mol)
        p = os.path.join(out, "martini3", res.lower() + ".yaml")
        write_yaml(p, header, mol)
        written.append(p)
        m3_mols.append(mol)
        ca = make_ca_aa(res, heavy, bonds)
        check_molecule(ca)
        p = os.path.join(out, "ca", res.lower() + ".yaml")
        write_yaml(p, header, ca)
        written.append(p)
        ca_mols.append(ca)

    real = []
    real_coords = []
    if os.path.isdir(lipids_dir):
        for sub in ("openmm", "nmrlipids"):
            d = os.path.join(lipids_dir, sub)
            if not os.path.isdir(d):
                continue
            for f in sorted(os.listdir(d)):
                if f.endswith((".pdb.gz", ".gro.gz")):
                    real.append((sub + "/" + f, read_real_names(os.path.join(d, f))))
                    real_coords.append((sub + "/" + f, os.path.join(d, f)))
    else:
        print("no lipid directory %s: atom-name check against real files skipped" % lipids_dir)
    for mol, fragdir, ral, start, fname in LIPIDS:
        m = make_lipid(mol, fragdir, ral, start, src, real, real_coords)
        check_molecule(m)
        p = os.path.join(out, "martini3", fname + ".yaml")
        write_yaml(p, header, m)
        written.append(p)

    check_yaml_files(written)
    if args.check_pdb:
        print("-- Martini 3 mapping on real PDB files")
        check_pdb_coverage(args.check_pdb, m3_mols)
        print("-- CA mapping on real PDB files")
        check_pdb_coverage(args.check_pdb, ca_mols)
    print("wrote %d files under %s; %d notes" % (len(written), out, len(NOTES)))


if __name__ == "__main__":
    main()
