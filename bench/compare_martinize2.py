#!/usr/bin/env python3
"""Compare BACKMAP's forward-mapped CG beads with the beads martinize2 wrote.

For each pair (atomistic input, martinize2 CG PDB) this runs
`backmap map INPUT -o TMP.pdb --json`, matches beads by
(chain, residue number, insertion code, bead name) and reports the position
differences in Angstrom.  martinize2 renumbers residues from 1 unless it is run
with `-resid input`; such files are matched by aligning the two residue-name
sequences instead (`--match order`, chosen automatically by `--match auto`).

Usage:
  compare_martinize2.py AA.pdb:CG.pdb [AA2.pdb:CG2.pdb ...]
  compare_martinize2.py --tests DIR     # every DIR/**/martinize2/command with -ff martini3001
Python 3 standard library only.  Exit status 1 if any matched bead differs by
more than --tolerance (default 0.01 A), 2 on usage or run errors.
"""

import argparse
import difflib
import json
import math
import os
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Residue names that martinize2 and BACKMAP may write differently for the same residue.
RESNAME_ALIASES = {
    "HIS": ["HSD", "HSE", "HSP", "HID", "HIE", "HIP", "HISD", "HISE", "HISH"],
    "CYS": ["CYX", "CYM"], "ASP": ["ASH", "ASPP"], "GLU": ["GLH", "GLUP"], "LYS": ["LYN", "LSN"],
}
CANONICAL = {alias: name for name, aliases in RESNAME_ALIASES.items() for alias in aliases}


def canonical(resname):
    return CANONICAL.get(resname, resname)


def read_beads(path):
    """Residues of a CG PDB in file order: list of (key, resname, {bead: (x, y, z)})."""
    residues, index = [], {}
    with open(path) as f:
        for line in f:
            if not line.startswith(("ATOM  ", "HETATM")):
                continue
            key = (line[21].strip(), int(line[22:26]), line[26].strip())
            if key not in index:
                index[key] = len(residues)
                residues.append((key, line[17:21].strip(), {}))
            xyz = tuple(float(line[c:c + 8]) for c in (30, 38, 46))
            residues[index[key]][2][line[12:16].strip()] = xyz
    return residues


def pair_residues(ours, ref, mode):
    """Pairs (i_ours, i_ref) of residue indices, and the mode actually used."""
    use_chain = any(r[0][0] for r in ours) and any(r[0][0] for r in ref)
    strip = (lambda k: k) if use_chain else (lambda k: k[1:])
    by_key = {strip(r[0]): i for i, r in enumerate(ours)}
    by_key = [(by_key[strip(r[0])], j) for j, r in enumerate(ref) if strip(r[0]) in by_key]
    seq = difflib.SequenceMatcher(None, [canonical(r[1]) for r in ours],
                                  [canonical(r[1]) for r in ref], autojunk=False)
    by_order = [(b.a + k, b.b + k) for b in seq.get_matching_blocks() for k in range(b.size)]
    key_name = "key" if use_chain else "key (chain ignored)"
    if mode == "key":
        return by_key, key_name
    if mode == "order":
        return by_order, "order (residue-name alignment)"

    def close(pairs):    # residue pairs whose common beads all lie within 1 A
        return sum(all(math.dist(x, ours[i][2][b]) < 1.0 for b, x in ref[j][2].items() if b in ours[i][2])
                   for i, j in pairs)
    if close(by_key) >= close(by_order):
        return by_key, key_name
    return by_order, "order (residue-name alignment; martinize2 renumbered residues)"


def label(res):
    (chain, num, icode), name = res[0], res[1]
    return f"{chain + ':' if chain else ''}{name}{num}{icode}"


def compare(aa, cg, args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "backmap.pdb")
        cmd = [args.backmap, "map", aa, "-o", out, "--mapping", args.mapping, "--json"]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{run.stderr}")
        summary = json.loads(run.stdout)
        ours = read_beads(out)
    ref = read_beads(cg)
    pairs, mode = pair_residues(ours, ref, args.match)
    skipped = {s["residue"]: s["reason"] for s in summary.get("skipped", [])}

    diffs, only_ours, only_ref = [], {}, {}   # only_*: reason -> list of bead labels
    def note(table, reason, what):
        table.setdefault(reason, []).append(what)
    for i, j in pairs:
        o, r = ours[i], ref[j]
        for bead, x in r[2].items():
            if bead in o[2]:
                d = math.dist(x, o[2][bead])
                diffs.append((d, f"{label(r)} {bead}" + ("" if o[0] == r[0] else f" (ours {label(o)})")))
            else:
                note(only_ref, f"bead {bead} not made by backmap", f"{label(r)} {bead}")
        for bead in o[2]:
            if bead not in r[2]:
                note(only_ours, f"bead {bead} not in martinize2 output", f"{label(o)} {bead}")
    paired_ours, paired_ref = {i for i, _ in pairs}, {j for _, j in pairs}
    for j, r in enumerate(ref):
        if j not in paired_ref:
            for bead in r[2]:
                note(only_ref, "residue not in backmap output (see 'backmap skipped')", f"{label(r)} {bead}")
    for i, o in enumerate(ours):
        if i not in paired_ours:
            for bead in o[2]:
                note(only_ours, "residue not in martinize2 output", f"{label(o)} {bead}")

    diffs.sort(reverse=True)
    n = len(diffs)
    result = {
        "input": aa, "martinize2": cg, "match": mode, "matched": n,
        "backmap_skipped": skipped,
        "only_backmap": {k: len(v) for k, v in only_ours.items()},
        "only_martinize2": {k: len(v) for k, v in only_ref.items()},
        "max": diffs[0][0] if n else None,
        "rms": math.sqrt(sum(d * d for d, _ in diffs) / n) if n else None,
        "worst": [{"bead": b, "diff": round(d, 4)} for d, b in diffs[:5]],
        "over_tolerance": sum(d > args.tolerance for d, _ in diffs),
    }
    examples = {"only_backmap": only_ours, "only_martinize2": only_ref}
    return result, examples


def tests_in(root, ff):
    """(name, input, cg) for martinize2 integration tests under root whose command uses -ff ff."""
    found = []
    for d, _, files in sorted(os.walk(root)):
        if os.path.basename(d) != "martinize2" or "command" not in files:
            continue
        with open(os.path.join(d, "command")) as f:
            words = shlex.split(f.read())
        opt = {words[k]: words[k + 1] for k in range(len(words) - 1) if words[k].startswith("-")}
        if opt.get("-ff") == ff and "-f" in opt and "-x" in opt:
            found.append((os.path.relpath(os.path.dirname(d), root),
                          os.path.normpath(os.path.join(d, opt["-f"])), os.path.join(d, opt["-x"])))
    return found


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pairs", nargs="*", metavar="AA:CG", help="atomistic input and martinize2 CG PDB")
    p.add_argument("--tests", metavar="DIR", help="martinize2 integration-test data folder")
    p.add_argument("--ff", default="martini3001", help="force field of the tests to use (default %(default)s)")
    p.add_argument("--backmap", default=os.path.join(REPO, "build", "bin", "backmap"))
    p.add_argument("--mapping", default="martini3")
    p.add_argument("--match", choices=["auto", "key", "order"], default="auto")
    p.add_argument("--tolerance", type=float, default=0.01, help="Angstrom (default %(default)s)")
    p.add_argument("--json", action="store_true", help="also print a JSON summary")
    args = p.parse_args()

    jobs = [(f"{aa}", aa, cg) for aa, _, cg in (s.partition(":") for s in args.pairs)]
    if args.tests:
        jobs += tests_in(args.tests, args.ff)
    if not jobs:
        p.error("give AA:CG pairs or --tests DIR")

    results, worst = [], 0.0
    for name, aa, cg in jobs:
        try:
            r, ex = compare(aa, cg, args)
        except (OSError, RuntimeError, ValueError) as e:
            print(f"== {name}: ERROR {e}", file=sys.stderr)
            return 2
        r["name"] = name
        results.append(r)
        worst = max(worst, r["max"] or 0.0)
        fmt = lambda v: "n/a" if v is None else f"{v:.4f}"
        print(f"== {name}  (match: {r['match']})")
        print(f"   matched {r['matched']} beads; max {fmt(r['max'])} A, rms {fmt(r['rms'])} A, "
              f"{r['over_tolerance']} over {args.tolerance} A")
        by_reason = {}
        for res, why in r["backmap_skipped"].items():
            by_reason.setdefault(why, []).append(res)
        for why, res in by_reason.items():
            more = f" ... (+{len(res) - 4})" if len(res) > 4 else ""
            print(f"   backmap skipped {len(res)} residue(s): {why}: {', '.join(res[:4])}{more}")
        for side in ("only_backmap", "only_martinize2"):
            for reason, beads in ex[side].items():
                more = f" ... (+{len(beads) - 4})" if len(beads) > 4 else ""
                print(f"   {side}: {len(beads)}: {reason}: {', '.join(beads[:4])}{more}")
        for w in r["worst"]:
            print(f"   worst: {w['bead']:<24} {w['diff']:.4f}")
    failed = [r["name"] for r in results if r["over_tolerance"]]
    print(f"SUMMARY: {len(results)} file(s), {sum(r['matched'] for r in results)} beads matched, "
          f"max difference {worst:.4f} A, {len(failed)} file(s) over {args.tolerance} A"
          + (f": {', '.join(failed)}" if failed else ""))
    if args.json:
        print(json.dumps({"tolerance": args.tolerance, "max": worst, "failed": failed, "files": results}, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
