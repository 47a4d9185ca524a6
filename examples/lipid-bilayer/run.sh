#!/usr/bin/env bash
# Lipid example: a CHARMM36 POPC bilayer (72 lipids, NMRlipids) mapped to Martini 3 beads, made
# into a Martini 3 system with water and NaCl (backmap cg-system), run in LAMMPS with the real
# Martini 3 force field at 310 K and backmapped to atoms on the fly by fix backmap with the lipid
# model. Then: the step-0 frame against the atomistic bilayer (RMSD, stereocentres, C=C, tail
# order) and the tail order parameters of the MD frames against it.
# Variables: INPUT (atomistic bilayer), MODEL, STEPS, EVERY, RANKS (MPI ranks; 1 runs without mpirun),
# OUT (output folder, default out/ here), BIN (folder of backmap and lmp, default build/bin),
# LMP_BIN (the LAMMPS binary, default BIN/lmp).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="${BIN:-$REPO/build/bin}"
INPUT="${INPUT:-$REPO/../shared/data/lipids/nmrlipids/POPCpure_popcRUN3.gro.gz}"
MODEL="${MODEL:-$REPO/potentials/martini3-lipids.pt}"
STEPS="${STEPS:-3000}"
EVERY="${EVERY:-500}"
RANKS="${RANKS:-2}"
[ -f "$MODEL" ] || { echo "no model $MODEL (set MODEL=...)" >&2; exit 1; }
OUT="${OUT:-$HERE/out}"
rm -rf "$OUT" && mkdir -p "$OUT"
cd "$OUT"

echo "== map the atomistic bilayer to Martini 3 beads"
"$BIN/backmap" map "$INPUT" -o bilayer_cg.gro
echo "== Martini 3 system: itps, water, 4 NaCl pairs (about 0.15 M), LAMMPS files"
"$BIN/backmap" cg-system bilayer_cg.gro -o bilayer --solvate --ions 4

echo "== LAMMPS: minimise, $STEPS steps of 20 fs at 310 K (NPT), fix backmap every $EVERY steps"
LMP=("${LMP_BIN:-$BIN/lmp}")
if [ "$RANKS" -gt 1 ] && command -v mpirun > /dev/null; then
  LMP=(mpirun --allow-run-as-root --oversubscribe -np "$RANKS" "${LMP_BIN:-$BIN/lmp}")
fi
start=$(date +%s)
"${LMP[@]}" -in "$HERE/in.bilayer" -var system bilayer -var model "$MODEL" -var reference "$INPUT" \
  -var steps "$STEPS" -var every "$EVERY" -log log.lammps -screen none
echo "LAMMPS on $RANKS rank(s): $(( $(date +%s) - start )) s"
# the thermo rows of the dynamics (the last run)
awk '/^ *Step/ {rows = $0 "\n"; on = 1; next} /^Loop time/ {on = 0} on {rows = rows $0 "\n"} END {printf "%s", rows}' log.lammps
echo "atomistic frames: $OUT/mapped_aa.pdb (the beads as mapped), $OUT/bilayer_aa.pdb ($(grep -c '^MODEL' bilayer_aa.pdb)" \
  "models: the minimised system at step 0, then every $EVERY steps)"

echo "== step 0 (the beads as mapped) against the atomistic bilayer"
"$BIN/backmap" eval mapped_aa.pdb --ref "$INPUT"
"$BIN/backmap" eval mapped_aa.pdb --ref "$INPUT" --json > step0_eval.json

echo "== frames of the dynamics (steps $EVERY..$STEPS) against the atomistic bilayer"
awk '/^MODEL +1$/ {skip = 1} !skip {print} /^ENDMDL/ && skip {skip = 0}' bilayer_aa.pdb > md_aa.pdb
"$BIN/backmap" eval md_aa.pdb --ref "$INPUT"
"$BIN/backmap" eval md_aa.pdb --ref "$INPUT" --json > md_eval.json
python3 - step0_eval.json md_eval.json <<'PY'
import json, sys
step0, md = (json.load(open(p))["molecules"]["POPC"]["order_parameters"] for p in sys.argv[1:3])
def carbon(bond):        # C32-C33 -> (3, 2): tail (3 = sn-1 palmitoyl, 2 = sn-2 oleoyl), first carbon
    a = bond.split("-")[0]
    return int(a[1]), int(a[2:])
print("tail S_CC = <(3 cos^2 - 1) / 2> of C-C bonds to the bilayer normal (z), averaged over lipids (and frames)")
print(f'{"bond":>10} {"atomistic":>10} {"step 0":>8} {"MD frames":>10}')
for tail, name in ((3, "sn-1 (palmitoyl)"), (2, "sn-2 (oleoyl)")):
    print(name)
    for bond in sorted((b for b in step0 if carbon(b)[0] == tail), key=lambda b: carbon(b)[1]):
        print(f'{bond:>10} {step0[bond]["reference"]:10.3f} {step0[bond]["predicted"]:8.3f} {md[bond]["predicted"]:10.3f}')
def mean_diff(t):
    return sum(abs(v["predicted"] - v["reference"]) for v in t.values()) / len(t)
def mean(t, key):
    return sum(v[key] for v in t.values()) / len(t)
print(f'mean |S_CC - atomistic| over {len(step0)} bonds: step 0 {mean_diff(step0):.3f}, MD frames {mean_diff(md):.3f}; '
      f'mean S_CC: atomistic {mean(step0, "reference"):.3f}, step 0 {mean(step0, "predicted"):.3f}, '
      f'MD frames {mean(md, "predicted"):.3f}')
PY
