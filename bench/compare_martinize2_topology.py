#!/usr/bin/env python3
"""Compare the Martini 3 protein topology of `backmap map --martini-topology` with martinize2's.

For each martinize2 integration test (vermouth's tests/data/integration_tests layout: a folder
with martinize2/command, the input it names and the molecule itps it wrote) whose command uses
-ff martini3001, this runs

  backmap map INPUT -o TMP/case --martini-topology [the same options] --json

and compares our PREFIX.itp with martinize2's molecule itps term by term: [ atoms ] (type,
charge), and per section (bonds, constraints, angles, dihedrals, exclusions, virtual_sitesn; the
#ifdef/#ifndef condition included) the terms keyed by their atoms, with their parameters.

The secondary structure martinize2 used is read from its itp header ("The following sequence of
secondary structure was used ...") and given with --ss, so that the topology rules are compared
and not two DSSP programs; cases without one run with --ss none (or the command's -ss).
Options backmap does not have (-water-bias, -id-regions, -mutate, -modify, -merge, -eunit all,
-from amber) make a case "not compared", with the reason; martinize2's position restraints (-p)
are listed but not counted.

GoMartini cases (-go) run with --go (and --go-eps, --go-low, --go-up, --go-res-dist, --go-name
from -name): besides the itp (the CA sites, their types, virtual_sitesn and the Go exclusions),
the Go contacts (martinize2's go_nbparams.itp against our PREFIX_go_nbparams.itp, by site-type
pair, sigma within tolerance-length / 2^(1/6)) and, where martinize2 wrote its contact map
(-go-write-file), the map row by row (OV, CSU, oCSU, rCSU and the CSU count). backmap always
computes the map from the atomistic input: where martinize2 read one from a file (-go FILE, made
by the contact-map server), that map's contacts are compared as they come.

Usage:
  compare_martinize2_topology.py --tests DIR [--json] [--keep DIR] [--tolerance-length 0.002]
Python 3 standard library only; needs build/bin/backmap. Exit status 1 if any compared term
differs beyond the tolerances, 2 on usage or run errors.
"""

import argparse
import json
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = ("bonds", "constraints", "angles", "dihedrals", "exclusions", "virtual_sitesn", "position_restraints")
# what backmap does not write, on purpose: listed, not counted as a difference
NOT_WRITTEN = ("position_restraints",)


def read_itps(paths):
    """Molecules of itp files: list of {name, atoms: [(resid, resname, name, type, charge)], terms}."""
    molecules = []
    for path in paths:
        section, condition, mol = None, "", None
        with open(path) as f:
            for raw in f:
                line = raw.split(";")[0].strip()
                if not line:
                    continue
                if line.startswith("#ifdef") or line.startswith("#ifndef"):
                    condition = line
                    continue
                if line.startswith("#endif"):
                    condition = ""
                    continue
                if line.startswith("#"):
                    continue
                m = re.match(r"\[\s*(\S+)\s*\]", line)
                if m:
                    section = m.group(1).lower()
                    if section == "moleculetype":
                        mol = {"name": None, "atoms": [], "terms": []}
                        molecules.append(mol)
                    continue
                w = line.split()
                if section == "moleculetype":
                    mol["name"] = w[0]
                elif section == "atoms":
                    charge = float(w[6]) if len(w) > 6 else 0.0
                    mol["atoms"].append((w[2], w[3], w[4], w[1], charge))
                elif section in SECTIONS:
                    mol["terms"].append((section, condition, w))
    return molecules


def term_key(section, condition, words, index):
    """(section, condition, atoms as (residue, bead) in a canonical order, function) and parameters."""
    natoms = {"bonds": 2, "constraints": 2, "angles": 3, "dihedrals": 4, "position_restraints": 1}.get(section)
    if section == "exclusions":
        atoms, rest = [int(x) for x in words], []
    elif section == "virtual_sitesn":
        atoms, rest = [int(words[0])] + [int(x) for x in words[2:]], [words[1]]
    else:
        atoms, rest = [int(x) for x in words[:natoms]], words[natoms:]
    names = [index[a] for a in atoms]
    if section in ("bonds", "constraints"):
        names = sorted(names)
    elif section == "angles" and names[0] > names[-1]:
        names = names[::-1]
    elif section == "dihedrals" and rest and rest[0] != "2" and names[1] > names[2]:
        names = names[::-1]
    elif section == "exclusions":
        names = [names[0]] + sorted(names[1:])
    function = rest[0] if rest else ""
    return (section, condition, tuple(names), function), [float(x) for x in rest[1:]]


def residue_index(atoms):
    """Atom number -> (residue order, bead name): residues counted in order of appearance; a
    residue met again later (GoMartini's CA sites, after all other beads) keeps its place."""
    index, order, last, seen = {}, -1, None, {}
    for i, (resid, resname, name, _, _) in enumerate(atoms, start=1):
        if (resid, resname) != last:
            if (resid, resname) not in seen:
                order += 1
                seen[(resid, resname)] = order
            last = (resid, resname)
        index[i] = (seen[(resid, resname)], name)
    return index


def parameters_close(a, b, key, tol_length, tol_angle):
    if len(a) != len(b):
        return False
    section = key[0]
    for k, (x, y) in enumerate(zip(a, b)):
        if section == "dihedrals" and key[3] == "1" and k == 0:    # phase (degrees), from the structure
            d = abs((x - y + 180) % 360 - 180)
            if d > tol_angle:
                return False
        elif section in ("bonds", "constraints") and k == 0:     # length (nm)
            if abs(x - y) > tol_length:
                return False
        elif abs(x - y) > 1e-6 * max(1.0, abs(y)):
            return False
    return True


def compare_molecule(ours, theirs, tol_length, tol_angle):
    oi, ti = residue_index(ours["atoms"]), residue_index(theirs["atoms"])
    out = {"atoms": len(ours["atoms"]), "atoms_martinize2": len(theirs["atoms"]), "atom_differences": []}
    their_atoms = {ti[i]: a for i, a in enumerate(theirs["atoms"], start=1)}
    for i, a in enumerate(ours["atoms"], start=1):
        b = their_atoms.get(oi[i])
        if b is None or a[3] != b[3] or abs(a[4] - b[4]) > 1e-6:
            out["atom_differences"].append({"bead": oi[i], "ours": a[3:], "martinize2": b[3:] if b else None})
    per = {}
    mine, theirs_terms = {}, {}
    for section, cond, w in ours["terms"]:
        k, p = term_key(section, cond, w, oi)
        mine.setdefault(k, []).append(p)
    for section, cond, w in theirs["terms"]:
        k, p = term_key(section, cond, w, ti)
        theirs_terms.setdefault(k, []).append(p)
    examples = []
    for k in set(mine) | set(theirs_terms):
        label = k[0] + (" " + k[1] if k[1] else "")
        s = per.setdefault(label, {"same": 0, "parameters_differ": 0, "only_backmap": 0, "only_martinize2": 0})
        a, b = sorted(mine.get(k, [])), sorted(theirs_terms.get(k, []))
        unmatched_b = list(b)
        for p in a:
            hit = next((q for q in unmatched_b if parameters_close(p, q, k, tol_length, tol_angle)), None)
            if hit is not None:
                unmatched_b.remove(hit)
                s["same"] += 1
            elif unmatched_b:
                q = unmatched_b.pop(0)
                s["parameters_differ"] += 1
                examples.append({"term": [k[0], k[1], list(k[2]), k[3]], "backmap": p, "martinize2": q})
            else:
                s["only_backmap"] += 1
                examples.append({"term": [k[0], k[1], list(k[2]), k[3]], "backmap": p, "martinize2": None})
        for q in unmatched_b:
            s["only_martinize2"] += 1
            examples.append({"term": [k[0], k[1], list(k[2]), k[3]], "backmap": None, "martinize2": q})
    out["sections"] = per
    out["examples"] = examples[:12]
    return out


# References made by older martinize2 versions whose defaults differed from today's.
OLD_DEFAULTS = {"tier-1/prot_modf_charmm": (["--ef", "500"], "made by vermouth 0.7.3, whose -ef default was 500")}

UNSUPPORTED = {"-water-bias": "water bias", "-id-regions": "disordered regions", "-mutate": "mutations",
               "-modify": "modifications", "-merge": "merged chains",
               "-collagen": "collagen", "-eb": "elastic beads"}


def case_options(words, header_ss):
    """backmap options for a martinize2 command, or the reason it cannot be run."""
    opts, i = ["--no-scfix"] if "-noscfix" in words else [], 0
    ss = header_ss
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if w in UNSUPPORTED:
            return None, UNSUPPORTED[w] + " (" + w + ")"
        if w == "-from" and nxt != "charmm":
            return None, "-from " + nxt + " (backmap maps with martinize2's CHARMM maps)"
        if w == "-elastic":
            opts.append("--elastic")
        elif w in ("-ef", "-el", "-eu", "-ea", "-ep", "-em", "-ermd", "-eunit"):
            if w == "-eunit" and nxt == "all":
                return None, "-eunit all (molecules merged into one)"
            opts += ["--" + w[1:], nxt]
            i += 1
        elif w == "-nt":
            opts.append("--neutral-termini")
        elif w == "-ed":
            opts.append("--extdih")
        elif w == "-cys":
            if nxt not in ("auto", "none"):
                return None, "-cys " + nxt + " (a distance)"
            opts += ["--cys", nxt]
            i += 1
        elif w == "-ss":
            ss = ss or nxt
            i += 1
        elif w == "-go":
            opts.append("--go")
            if nxt is not None and not nxt.startswith("-"):
                i += 1    # a contact map from the server: backmap computes its own
        elif w in ("-go-eps", "-go-low", "-go-up", "-go-res-dist"):
            opts += ["--" + w[1:], nxt]
            i += 1
        elif w == "-name":
            opts += ["--go-name", nxt]
            i += 1
        elif w == "-go-write-file":
            if nxt is not None and not nxt.startswith("-"):
                i += 1
        elif w in ("-nter", "-cter"):
            return None, w + " " + nxt + " (termini other than the defaults)"
        i += 1
    if ss or "-dssp" not in words:
        opts += ["--ss", ss if ss else "none"]
    # else: -dssp, but the itp does not say what DSSP gave: backmap runs DSSP itself
    return opts, None


def run_case(root, backmap, keep, tol_length, tol_angle):
    d = os.path.join(root, "martinize2")
    with open(os.path.join(d, "command")) as f:
        words = shlex.split(f.read())
    ff = words[words.index("-ff") + 1] if "-ff" in words else "martini3001"
    if ff != "martini3001":
        return None
    name = os.path.relpath(root, os.path.dirname(os.path.dirname(root)))
    aa = os.path.normpath(os.path.join(d, words[words.index("-f") + 1]))
    # the molecule itps the command's .top includes (else every molecule itp of the folder)
    itps = []
    top = os.path.join(d, words[words.index("-o") + 1]) if "-o" in words else ""
    if os.path.exists(top):
        with open(top) as f:
            for line in f:
                m = re.match(r'\s*#include\s+"([^"]+)"', line)
                if m and os.path.exists(os.path.join(d, m.group(1))) and not m.group(1).startswith("martini"):
                    itps.append(os.path.join(d, m.group(1)))
    if not itps:
        itps = sorted(os.path.join(d, x) for x in os.listdir(d) if x.endswith(".itp") and not x.startswith(("go_", "virtual_sites")))
    theirs = read_itps(itps)
    header_ss = None
    with open(itps[0]) as f:
        text = f.read()
    m = re.search(r"was used for the full system:\s*\n;\s*(\S+)", text)
    if m:
        header_ss = m.group(1)
    opts, why = case_options(words, header_ss)
    result = {"case": name, "command": " ".join(words[1:])}
    if opts is None:
        result["not_compared"] = why
        return result
    if name in OLD_DEFAULTS:
        opts += OLD_DEFAULTS[name][0]
        result["note"] = OLD_DEFAULTS[name][1]
    prefix = os.path.join(keep, name.replace("/", "_"))
    cmd = [backmap, "map", aa, "-o", prefix, "--martini-topology", "--json"] + opts
    if "--go" in opts:
        cmd += ["--go-write-file", prefix + ".contacts"]
    result["backmap"] = " ".join(shlex.quote(c) for c in cmd[1:])
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        result["error"] = (run.stderr or run.stdout).strip()
        return result
    ours = read_itps([prefix + ".itp"])
    result["molecules"] = [len(ours), len(theirs)]
    result["compared"] = [compare_molecule(a, b, tol_length, tol_angle) for a, b in zip(ours, theirs)]
    if "--go" in opts:
        result["go"] = compare_go(d, prefix, words, tol_length)
    return result


def read_nbparams(path):
    """[ nonbond_params ] lines: {frozenset(type pair): (sigma, epsilon)}."""
    pairs = {}
    with open(path) as f:
        for raw in f:
            w = raw.split(";")[0].split()
            if len(w) >= 5 and not w[0].startswith("["):
                pairs[frozenset((w[0], w[1]))] = (float(w[3]), float(w[4]))
    return pairs


def read_contact_map(path):
    """A contact-map file's R lines: {(I1, I2): (OV, CSU, oCSU, rCSU, count)}."""
    rows = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 18 and w[0] == "R":
                rows[(int(w[2]), int(w[6]))] = (int(w[11]), int(w[12]), int(w[13]), int(w[14]), int(w[16]))
    return rows


def compare_go(folder, prefix, words, tol_length):
    """Go contacts (nbparams) and, where martinize2 wrote one, the contact map."""
    out = {}
    theirs = read_nbparams(os.path.join(folder, "go_nbparams.itp"))
    ours = read_nbparams(prefix + "_go_nbparams.itp")
    tol = tol_length / 2 ** (1 / 6)
    same = [k for k in ours if k in theirs and abs(ours[k][0] - theirs[k][0]) <= tol and abs(ours[k][1] - theirs[k][1]) < 1e-6]
    out["contacts"] = {"backmap": len(ours), "martinize2": len(theirs), "same": len(same),
                       "parameters_differ": len([k for k in ours if k in theirs]) - len(same),
                       "only_backmap": sorted(" ".join(sorted(k)) for k in ours if k not in theirs),
                       "only_martinize2": sorted(" ".join(sorted(k)) for k in theirs if k not in ours)}
    if "-go-write-file" in words:
        i = words.index("-go-write-file")
        name = words[i + 1] if i + 1 < len(words) and not words[i + 1].startswith("-") else "contact_map_martinize.out"
        reference = os.path.join(folder, name)
        if os.path.exists(reference):
            ours_map = prefix + ".contacts"
            theirs_map = read_contact_map(reference)
            mine = read_contact_map(ours_map) if os.path.exists(ours_map) else {}
            differ = [k for k in mine if k in theirs_map and mine[k] != theirs_map[k]]
            out["map"] = {"rows_backmap": len(mine), "rows_martinize2": len(theirs_map),
                          "same": len([k for k in mine if theirs_map.get(k) == mine[k]]), "differ": len(differ),
                          "only_backmap": len([k for k in mine if k not in theirs_map]),
                          "only_martinize2": len([k for k in theirs_map if k not in mine]),
                          "examples": [[list(k), mine[k], theirs_map[k]] for k in differ[:5]]}
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tests", required=True, metavar="DIR", help="martinize2 integration-test data folder")
    p.add_argument("--backmap", default=os.path.join(REPO, "build", "bin", "backmap"))
    p.add_argument("--keep", metavar="DIR", help="write our files here (default: a temporary folder)")
    p.add_argument("--tolerance-length", type=float, default=0.002, help="nm, bond lengths from the structure")
    p.add_argument("--tolerance-angle", type=float, default=0.5, help="degrees, dihedral phases from the structure")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    keep = args.keep or tempfile.mkdtemp(prefix="backmap_topology_")
    os.makedirs(keep, exist_ok=True)
    cases = []
    for dirpath, dirs, files in sorted(os.walk(args.tests)):
        dirs.sort()
        if os.path.basename(dirpath) == "martinize2" and "command" in files:
            r = run_case(os.path.dirname(dirpath), args.backmap, keep, args.tolerance_length, args.tolerance_angle)
            if r:
                cases.append(r)
    if args.json:
        print(json.dumps(cases, indent=1))
    bad = False
    for r in cases:
        if args.json:
            continue
        print("== " + r["case"] + ": martinize2 " + r["command"])
        if "not_compared" in r:
            print("   not compared: " + r["not_compared"])
            continue
        print("   backmap " + r["backmap"])
        if "note" in r:
            print("   note: reference " + r["note"])
        if "error" in r:
            print("   backmap failed: " + r["error"].splitlines()[-1])
            continue
        if r["molecules"][0] != r["molecules"][1]:
            print("   molecules: backmap %d, martinize2 %d (compared in order)" % tuple(r["molecules"]))
        for k, c in enumerate(r["compared"]):
            diff = len(c["atom_differences"])
            print("   molecule %d: %d beads (martinize2 %d), %d with another type or charge" %
                  (k, c["atoms"], c["atoms_martinize2"], diff))
            for label, s in sorted(c["sections"].items()):
                flag = "" if s["parameters_differ"] + s["only_backmap"] + s["only_martinize2"] == 0 else "   <--"
                if label.split()[0] in NOT_WRITTEN:
                    flag = "   (martinize2 -p; backmap writes no position restraints)" if flag else ""
                bad = bad or (bool(flag) and label.split()[0] not in NOT_WRITTEN) or diff > 0
                print("     %-24s same %5d  parameters differ %4d  only backmap %4d  only martinize2 %4d%s" %
                      (label, s["same"], s["parameters_differ"], s["only_backmap"], s["only_martinize2"], flag))
            for e in c["examples"][:6]:
                print("       e.g. %s %s %s: backmap %s, martinize2 %s" % (e["term"][0], e["term"][1], e["term"][2], e["backmap"], e["martinize2"]))
        if "go" in r:
            g = r["go"]["contacts"]
            differ = g["parameters_differ"] + len(g["only_backmap"]) + len(g["only_martinize2"])
            bad = bad or differ > 0
            print("   Go contacts: backmap %d, martinize2 %d: same %d, sigma differs %d, only backmap %d, only martinize2 %d%s" %
                  (g["backmap"], g["martinize2"], g["same"], g["parameters_differ"], len(g["only_backmap"]),
                   len(g["only_martinize2"]), "   <--" if differ else ""))
            for label in ("only_backmap", "only_martinize2"):
                if g[label]:
                    print("       %s: %s" % (label.replace("_", " "), ", ".join(g[label][:8])))
            if "map" in r["go"]:
                m = r["go"]["map"]
                bad = bad or m["differ"] + m["only_backmap"] + m["only_martinize2"] > 0
                print("   contact map rows: backmap %d, martinize2 %d: same %d, differ %d, only backmap %d, only martinize2 %d" %
                      (m["rows_backmap"], m["rows_martinize2"], m["same"], m["differ"], m["only_backmap"], m["only_martinize2"]))
                for e in m["examples"]:
                    print("       e.g. residues %s (OV CSU oCSU rCSU count): backmap %s, martinize2 %s" % tuple(e))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
