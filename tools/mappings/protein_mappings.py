"""Martini 3 and CA-only amino-acid mappings from vermouth's maps, checked against cg2at.

Part of tools/mappings/make_martini3_mappings.py (Python 3 standard library only)."""

import collections
import os

from mapping_common import VERMOUTH_COMMIT, note
from amino_acid_chemistry import (AMINO_ACIDS, BACKBONE, BACKBONE_ALIASES, CHARMM_NAME,
                                  RESIDUE_ALIASES, SIDE_CHAIN_BONDS, VARIANT_MAPS)
from mapping_sources import read_cg2at_fragment, read_vermouth_map, section_lines
from mapping_hierarchy import (adjacency, bead_hierarchy, bfs_order, dist, distance_bonds,
                               element_of, hydrogen_parent)
from mapping_yaml import level_fields


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
    blocks, current = [], None
    for section, line in section_lines(path):
        if line is None:
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


def add_input_names(rec, res, atom):
    """The other names an input may give `atom` (terminal oxygens, CHARMM's), and OXT optional."""
    names = list(BACKBONE_ALIASES.get(atom, []))
    if (res, atom) in CHARMM_NAME:
        names.append(CHARMM_NAME[(res, atom)])
    if names:
        rec["aliases"] = names
    if atom == "OXT":
        rec["optional"] = True


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
        add_input_names(rec, res, a)
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
        add_input_names(rec, res, a)
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
