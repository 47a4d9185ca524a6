#!/usr/bin/env bash
# Minimisation of backmapped proteins on the protein model's test split: every test structure
# is mapped to Martini 3, backmapped with the shipped model, given hydrogens and a topology
# (backmap build) and minimised in LAMMPS with the default protocol (hydrogens first, then all
# atoms with heavy-atom springs, to 500 kJ/mol/nm). Prints, per structure and in total, the
# all-heavy RMSD to the true structure before and after, clashes, bond/angle outliers,
# chirality and cis/trans errors, and the time taken.
# usage: bench/minimisation_split.sh [FORCE_FIELD (charmm36)] [SPLIT (test)] [WORK]
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$REPO/build/bin"
FF="${1:-charmm36}"
SPLIT="${2:-test}"
WORK="${3:-/tmp/backmap_minimisation_split}"
mkdir -p "$WORK"
printf "%-28s %7s %9s %9s %8s %8s %6s %6s %6s %7s\n" structure atoms rmsd_bm rmsd_min clash_bm clash_min bonds chir cis seconds
awk -F'\t' -v s="$SPLIT" 'NR > 1 && $3 == s { print $1 }' "$REPO/potentials/martini3-protein.split.tsv" | while read -r rel; do
  file="$REPO/$rel"
  name="$(basename "$file" .pdb.gz)"
  d="$WORK/$name"; mkdir -p "$d"
  start=$SECONDS
  if ! "$BIN/backmap" map "$file" -o "$d/cg.pdb" > "$d/map.log" 2>&1 ||
     ! "$BIN/backmap" run --model "$REPO/potentials/martini3-protein.pt" "$d/cg.pdb" -o "$d/aa.pdb" > "$d/run.log" 2>&1 ||
     ! "$BIN/backmap" build "$d/aa.pdb" -o "$d/sys" --force-field "$FF" --minimize --ref "$file" --json \
         > "$d/build.json" 2> "$d/build.log"; then
    printf "%-28s failed: %s\n" "$name" "$(tail -n 1 "$d"/*.log | grep -v '^==>' | grep -v '^$' | tail -n 1)"
    continue
  fi
  python3 - "$d/build.json" "$name" $((SECONDS - start)) <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); r = j["reference"]; b, a = r["before_minimisation"], r["after_minimisation"]
print("%-28s %7d %9.4f %9.4f %8d %8d %6d %6d %6d %7s" % (sys.argv[2], j["atoms"], b["rmsd_all_heavy"], a["rmsd_all_heavy"],
      b["clashes"], a["clashes"], a["bonds_off"], a["chirality_errors"], a["cis_trans_errors"], sys.argv[3]))
PY
done | tee "$WORK/table.txt"
python3 - "$WORK/table.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) == 10 and l.split()[1].isdigit()]
failed = [l for l in open(sys.argv[1]) if "failed:" in l]
if rows:
    n = len(rows)
    d = [float(r[3]) - float(r[2]) for r in rows]
    print("structures %d (failed %d); all-heavy RMSD to the truth, mean %.4f -> %.4f A; largest rise %.4f A; "
          "clashes %d -> %d; bonds off %d; chirality errors %d; cis/trans errors %d" % (
          n, len(failed), sum(float(r[2]) for r in rows) / n, sum(float(r[3]) for r in rows) / n, max(d),
          sum(int(r[4]) for r in rows), sum(int(r[5]) for r in rows), sum(int(r[6]) for r in rows),
          sum(int(r[7]) for r in rows), sum(int(r[8]) for r in rows)))
PY
