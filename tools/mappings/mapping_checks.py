"""Checks of the generated mappings: consistency, YAML parsing, coverage of real PDB files.

Part of tools/mappings/make_martini3_mappings.py (Python 3 standard library only)."""

import collections
import gzip
import os

from mapping_common import MASS, note


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
