#!/usr/bin/env bash
# Tool-level test: `backmap map` reads a block of frames of an atomistic XTC (--topology,
# --frames) and `backmap eval` a block of a reference XTC (--ref-topology, --ref-frames), checked
# against GROMACS: the same frames cut out by `gmx trjconv` and given as PDB map to the same
# beads and score the same. A block past the trajectory's end is refused with its length.
# Data: the alanine dipeptide of Debian's python-mdtraj-doc (skipped, 77, where absent).
# usage: map_trajectory.sh BACKMAP MAPPINGS MODEL WORKDIR
set -euo pipefail
backmap="$1"; mappings="$2"; model="$3"; work="$4"
data=/usr/share/doc/python-mdtraj-doc/examples/data
[ -f "$data/frame0.xtc" ] || { echo "$data/frame0.xtc not present (python-mdtraj-doc)"; exit 77; }
command -v gmx > /dev/null || { echo "gmx (Debian's gromacs) is needed"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# frames 451-460 are t = 950-959 ps (frame 1 is t = 500 ps, 1 ps apart)
echo 0 | gmx -quiet trjconv -f "$data/frame0.xtc" -s "$data/native.pdb" -b 949.5 -e 959.5 -o frames.pdb > trjconv.log 2>&1 ||
  { cat trjconv.log; exit 1; }
[ "$(grep -c '^MODEL' frames.pdb)" = 10 ]
"$backmap" map "$data/frame0.xtc" --topology "$data/native.pdb" --frames 451-460 --mapping "$mappings" -o from-xtc.pdb > map.out
grep -q "10 frame(s) (frames 451-460), 3 residues mapped to 4 beads each" map.out || { cat map.out; exit 1; }
"$backmap" map frames.pdb --mapping "$mappings" -o from-pdb.pdb > /dev/null
# bead by bead: the PDB path rounds atoms to 0.001 A before mapping, so allow 0.002 A
awk 'FNR == 1 { file++; m = 0 } /^MODEL/ { m++; k = 0 } /^ATOM/ { k++; key = m ":" k
       x = substr($0, 31, 8); y = substr($0, 39, 8); z = substr($0, 47, 8)
       if (file == 1) { X[key] = x; Y[key] = y; Z[key] = z; n1++ }
       else { n2++; d = sqrt((x - X[key])^2 + (y - Y[key])^2 + (z - Z[key])^2); if (d > worst) worst = d } }
     END { printf "beads: %d / %d, max distance %.4f A\n", n1, n2, worst; if (n1 != 40 || n2 != 40 || worst > 0.002) exit 1 }' \
  from-xtc.pdb from-pdb.pdb
# a CG trajectory out, with its structure beside it
"$backmap" map "$data/frame0.xtc" --topology "$data/native.pdb" --frames 451-460 --mapping "$mappings" -o cg.xtc > /dev/null
[ -s cg.pdb ] || { echo "no cg.pdb beside cg.xtc"; exit 1; }
gmx -quiet check -f cg.xtc > check.log 2>&1
grep -q "Coords *10" check.log || { cat check.log; exit 1; }
# the same scores against the XTC's block and against GROMACS's cut of it
"$backmap" run --model "$model" from-xtc.pdb -o aa.pdb --no-refine --no-progress > /dev/null
"$backmap" eval --ref "$data/frame0.xtc" --ref-topology "$data/native.pdb" --ref-frames 451-460 --mapping "$mappings" \
  aa.pdb --json > eval-xtc.json
"$backmap" eval --ref frames.pdb --mapping "$mappings" aa.pdb --json > eval-pdb.json
a=$(grep -A3 '"rmsd"' eval-xtc.json | grep all_heavy | tr -dc '0-9.'); b=$(grep -A3 '"rmsd"' eval-pdb.json | grep all_heavy | tr -dc '0-9.')
awk -v a="$a" -v b="$b" 'BEGIN { printf "all-heavy RMSD: %s (XTC block) vs %s (trjconv PDB)\n", a, b; d = a - b
  if (a == "" || (d < 0 ? -d : d) > 0.002) exit 1 }'
grep -q '"matched_atoms": 100' eval-xtc.json || { cat eval-xtc.json; exit 1; }
# a block past the end: refused with the trajectory's length, nothing written
if "$backmap" map "$data/frame0.xtc" --topology "$data/native.pdb" --frames 495-510 --mapping "$mappings" -o past.pdb \
     > past.out 2>&1; then echo "a block past the end was accepted"; exit 1; fi
grep -q "has 501 frames; frames 495-510 run past its end" past.out || { cat past.out; exit 1; }
[ ! -e past.pdb ] || { echo "past.pdb was left behind"; exit 1; }
echo "PASS"
