#!/usr/bin/env bash
# LAMMPS-level test: fix backmap with two models that share a residue name routes each residue as
# `backmap run` does. The shipped protein model and the alanine-dipeptide model of
# examples/own-molecule both know ALA; in one topology of ubiquitin (chain A) and the dipeptide
# ACE-ALA-NME (chain B), ubiquitin's alanines go to the protein model and the dipeptide's to its
# own model (it knows all of its chain stretch). The frames equal `backmap run` with the same two
# models, on 1 and 2 ranks and with the models in either order; a residue two models claim
# equally is an error naming it, and two models of one lipid are refused.
# usage: routed_models.sh BACKMAP LMP PROTEIN_MODEL DIPEPTIDE_MODEL LIPID_MODEL DIPEPTIDE_MAPPINGS
#                         MARTINI3_MAPPINGS UBIQUITIN DIPEPTIDE_PDB WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; protein="$3"; dipeptide="$4"; lipids="$5"; dipeptide_maps="$6"; martini3="$7"
ubiquitin="$8"; native="$9"; work="${10}"
[ -f "$native" ] || { echo "no $native (Debian's python-mdtraj-doc): skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# one mapping set for both molecules (the dipeptide's caps beside Martini 3's amino acids) and
# one atomistic structure of both, mapped to one topology as a CG simulation would hold them
mkdir maps && cp "$martini3"/*.yaml maps/ && cp "$dipeptide_maps"/ace.yaml "$dipeptide_maps"/nme.yaml maps/
{ grep '^ATOM' "$ubiquitin"; echo TER;
  grep '^ATOM' "$native" | awk '{print substr($0, 1, 21) "B" substr($0, 23)}'; echo END; } > mixed.pdb
"$backmap" map mixed.pdb --mapping maps -o mixed.data > map.log
grep -q "79 of 79 residues mapped" map.log || { cat map.log; exit 1; }
"$backmap" run mixed.data --model "$protein" --model "$dipeptide" -o standalone.pdb > /dev/null
cat > in.routed <<IN
units real
atom_style full
boundary p p p
read_data mixed.data
pair_style zero 10.0
pair_coeff * *
fix bm all backmap \${models} topology mixed.data every 1 dump \${out}
run 0
IN
for np in 1 2; do
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in in.routed -var models "$protein $dipeptide" \
    -var out routed.$np.pdb -log log.routed.$np -screen none
  compare routed.$np.pdb standalone.pdb
done
cmp routed.1.pdb routed.2.pdb || { echo "1 and 2 ranks wrote other frames"; exit 1; }
"$lmp" -in in.routed -var models "$dipeptide $protein" -var out reversed.pdb -log log.reversed -screen none
cmp reversed.pdb routed.1.pdb || { echo "the models in the other order gave another frame"; exit 1; }
# each model got its own: the dipeptide model 3 residues (4 beads), the protein model 76
grep -q "Fix backmap: model $dipeptide .* 4 beads in 3 residues backmapped" log.routed.1 || \
  { echo "the dipeptide model did not get ACE-ALA-NME"; grep "Fix backmap: model" log.routed.1; exit 1; }
grep -q "Fix backmap: model $protein .* in 76 residues backmapped" log.routed.1 || \
  { echo "the protein model did not get ubiquitin"; grep "Fix backmap: model" log.routed.1; exit 1; }
# the dipeptide's ALA as its own mapping places it (N CA C O CB: no OXT of a chain end)
[ "$(grep '^ATOM' routed.1.pdb | cut -c18-22 | grep -c 'ALA B')" = 5 ] || { echo "dipeptide ALA: not 5 atoms"; exit 1; }
# a tie: two models that know the same residues equally (a copy of the protein model)
cp "$protein" copy.pt
if "$lmp" -in in.routed -var models "$protein copy.pt" -var out tie.pdb -log log.tie -screen none; then
  echo "no error for a residue two models claim equally"; exit 1
fi
grep -q "Fix backmap: residue A:MET1 (chain stretch A:MET1 to A:GLY76) is claimed equally by $protein and copy.pt" log.tie || \
  { echo "expected the tie named"; tail -3 log.tie; exit 1; }
[ ! -s tie.pdb ] || { echo "a frame was written despite the tie"; exit 1; }
# only amino acids are routed: two models of a lipid are refused (a copy of the lipid model)
cp "$lipids" lipids-copy.pt
if "$lmp" -in in.routed -var models "$protein $lipids lipids-copy.pt" -var out clash.pdb -log log.clash -screen none; then
  echo "no error for two models of one lipid"; exit 1
fi
grep -q "Fix backmap: lipids-copy.pt and $lipids both backmap .*: give one model per molecule" log.clash || \
  { echo "expected 'both backmap'"; tail -3 log.clash; exit 1; }
echo "fix backmap routes shared residue names as backmap run does, on 1 and 2 ranks"
