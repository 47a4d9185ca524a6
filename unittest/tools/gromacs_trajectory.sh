#!/usr/bin/env bash
# Tool-level test: `backmap run` reads GROMACS XTC and TRR trajectories and writes them, checked
# against GROMACS itself: the trajectories are made and read back by `gmx trjconv`, and every
# frame equals `backmap run` on the same CG frames given as PDB (to the formats' precision).
# Files named for no format are known by their content. A trajectory cut short, one that is not
# XTC, a topology of another system, a missing topology and a file of no known format are
# refused, and no partial file is left.
# usage: gromacs_trajectory.sh BACKMAP MODEL WORKDIR
set -euo pipefail
backmap="$1"; model="$2"; work="$3"
command -v gmx > /dev/null || { echo "gmx (Debian's gromacs) is needed"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
trjconv() { echo 0 | gmx -quiet trjconv "$@" > trjconv.log 2>&1 || { cat trjconv.log; exit 1; }; }
# max distance between the atoms of two multi-model PDB files, model by model; at most LIMIT
compare() {
  awk -v limit="$3" -v a="$1" -v b="$2" '
    FNR == 1 { file++; m = 0; k = 0 }
    /^MODEL/ { m++; k = 0 }
    /^(ATOM|HETATM)/ { k++; key = (m ? m : 1) ":" k; x = substr($0, 31, 8); y = substr($0, 39, 8); z = substr($0, 47, 8)
      if (file == 1) { X[key] = x; Y[key] = y; Z[key] = z; n1++ }
      else { n2++; d = sqrt((x - X[key])^2 + (y - Y[key])^2 + (z - Z[key])^2); if (d > worst) worst = d } }
    END { printf "%s vs %s: %d / %d atoms, max distance %.4f A\n", a, b, n1, n2, worst
          if (n1 == 0 || n1 != n2 || worst > limit) exit 1 }' "$1" "$2"
}
"$backmap" map /usr/share/freesasa/test-data/1d3z.pdb -o cg.pdb > /dev/null
[ "$(grep -c '^MODEL' cg.pdb)" = 10 ]
trjconv -f cg.pdb -o cg.xtc
trjconv -f cg.pdb -o cg.trr
# the CG frames as the XTC holds them (0.001 nm), as PDB: the reference path's input. The
# comparison is of the network's placement (--no-refine), a function of the input alone; the
# refinement can stop unconverged, and then amplifies round-off (it says so)
trjconv -f cg.xtc -s cg.pdb -o cg-from-xtc.pdb
"$backmap" run cg-from-xtc.pdb --model "$model" -o reference-xtc.pdb --no-refine > /dev/null
"$backmap" run cg.pdb --model "$model" -o reference.pdb --no-refine > /dev/null
"$backmap" run cg.xtc --topology cg.pdb --model "$model" -o refined.xtc > refined.out 2>&1
grep -q "10 frame(s)" refined.out || { cat refined.out; exit 1; }
for kind in xtc trr; do
  "$backmap" run cg.$kind --topology cg.pdb --model "$model" -o aa.$kind --no-refine > run.$kind.out
  grep -q "10 frame(s)" run.$kind.out || { cat run.$kind.out; exit 1; }
  [ -s aa.pdb ] || { echo "no structure file beside aa.$kind"; exit 1; }
  trjconv -f aa.$kind -s aa.pdb -o aa-from-$kind.pdb
done
# the run input (.tpr) as topology: a CG topology of the same beads (one atom type, no bonds),
# made by gmx grompp, names the trajectory's particles as the PDB does
awk '/^ENDMDL/ { exit } { print }' cg.pdb > cg1.pdb
gmx -quiet editconf -f cg1.pdb -o boxed.gro -box 8 > editconf.log 2>&1 || { tail editconf.log; exit 1; }
awk 'NR == 2 { n = $1 } NR > 2 && NR <= n + 2 { print substr($0, 1, 5) + 0, substr($0, 6, 5), substr($0, 11, 5) }' boxed.gro |
  awk 'BEGIN { print "[ defaults ]\n1 1\n\n[ atomtypes ]\nB 72.0 0.0 A 0.47 4.5\n\n[ moleculetype ]\nProtein 1\n\n[ atoms ]" }
       { gsub(/ /, "", $2); gsub(/ /, "", $3); print NR, "B", $1, $2, $3, NR, 0.0 }
       END { print "\n[ system ]\nCG ubiquitin\n\n[ molecules ]\nProtein 1" }' > topol.top
printf 'integrator = steep\nnsteps = 0\ncutoff-scheme = Verlet\nrvdw = 1.1\nrcoulomb = 1.1\npbc = xyz\n' > em.mdp
gmx -quiet grompp -f em.mdp -c boxed.gro -p topol.top -o topol.tpr -maxwarn 5 > grompp.log 2>&1 || { tail grompp.log; exit 1; }
"$backmap" run cg.xtc --topology topol.tpr --model "$model" -o tpr.xtc --structure-out tpr.pdb --no-refine > tpr.out
cmp tpr.xtc aa.xtc || { echo "the .tpr topology gave other atoms than the PDB one"; exit 1; }
[ "$(grep -c '^ATOM' tpr.pdb)" = "$(grep -c '^ATOM' aa.pdb)" ] || { echo "tpr.pdb: atom count differs"; exit 1; }
echo "a .tpr names the trajectory as the CG PDB does"
# files named for no format are known by their content (the format registry): the same
# trajectory, run input and CG structure under other names give the same atoms
cp cg.xtc cg_frames.bin && cp topol.tpr run_input && cp cg.pdb cg_structure.txt
"$backmap" run cg_frames.bin --topology run_input --model "$model" -o content.xtc --structure-out content.pdb --no-refine > content.out
cmp content.xtc aa.xtc || { echo "a trajectory and run input known by content gave other atoms"; exit 1; }
"$backmap" run cg_structure.txt --model "$model" -o content-pdb.pdb --no-refine > /dev/null
compare reference.pdb content-pdb.pdb 0
# the atoms as a LAMMPS dump, frame by frame: the PDB's atoms (the dump keeps 0.001 A)
"$backmap" run cg.pdb --model "$model" -o aa.lammpstrj --no-refine > /dev/null
[ "$(grep -c '^ITEM: TIMESTEP' aa.lammpstrj)" = 10 ] || { echo "aa.lammpstrj: expected 10 frames"; exit 1; }
awk 'FNR == 1 { file++ } file == 1 && /^ENDMDL/ { done = 1 } file == 1 && !done && /^ATOM/ { n++; X[n] = substr($0, 31, 8); Y[n] = substr($0, 39, 8); Z[n] = substr($0, 47, 8) }
     file == 2 && /^ITEM: ATOMS/ { frame++; next } file == 2 && frame == 1 && NF == 6 && $1 ~ /^[0-9]+$/ {
       k++; d = sqrt(($4 - X[k])^2 + ($5 - Y[k])^2 + ($6 - Z[k])^2); if (d > worst) worst = d }
     END { printf "aa.lammpstrj frame 1 vs reference.pdb: %d / %d atoms, max distance %.4f A\n", k, n, worst; exit !(k == n && n > 0 && worst <= 0.0011) }' reference.pdb aa.lammpstrj
# XTC out rounds to 0.01 A (0.0087 A in 3D); TRR holds single precision
compare reference-xtc.pdb aa-from-xtc.pdb 0.009
compare reference.pdb aa-from-trr.pdb 0.0011
# refusals, exit code 2, and nothing left behind
expect_refusal() {  # expect_refusal 'message fragment' ARGS...
  local fragment="$1"; shift
  if "$backmap" run "$@" > out.txt 2>&1; then echo "no error for: $*"; exit 1; fi
  grep -q "$fragment" out.txt || { echo "expected '$fragment' for: $*"; cat out.txt; exit 1; }
  [ -z "$(ls -a | grep -e '\.partial' || true)" ] || { echo "a partial file was left: $(ls -a)"; exit 1; }
  [ ! -e bad.xtc ] || { echo "bad.xtc was written"; exit 1; }
}
head -c "$(( $(stat -c %s cg.xtc) - 200 ))" cg.xtc > cut.xtc
expect_refusal "cut.xtc: frame 10 is incomplete or corrupt" cut.xtc --topology cg.pdb --model "$model" -o bad.xtc
printf 'not a trajectory at all' > junk.xtc
expect_refusal "junk.xtc: not an XTC file" junk.xtc --topology cg.pdb --model "$model" -o bad.xtc
"$backmap" map /usr/share/freesasa/test-data/1a0q.pdb -o other.pdb > /dev/null
expect_refusal "frames hold 166 particles, the topology" cg.xtc --topology other.pdb --model "$model" -o bad.xtc
expect_refusal "give --topology with the CG structure" cg.xtc --model "$model" -o bad.xtc
expect_refusal "the output is an input of this run" cg.xtc --topology cg.pdb --model "$model" -o cg.xtc
expect_refusal "threads must be at least 1, not 0" cg.xtc --topology cg.pdb --model "$model" -o bad.xtc --threads 0
expect_refusal "chunk must be 0" cg.xtc --topology cg.pdb --model "$model" -o bad.xtc --chunk -3
printf 'some notes\n' > notes.txt
expect_refusal "notes.txt: unknown file format" notes.txt --model "$model" -o bad.xtc
expect_refusal "bad.gro: GRO cannot be written frame by frame" cg.pdb --model "$model" -o bad.gro
# on a terminal (`script` gives the run one) a progress bar with the frame count and an ETA,
# and the same atoms; in a file, no bar
script -qec "'$backmap' run cg.xtc --topology cg.pdb --model '$model' -o tty.xtc --no-refine" /dev/null > tty.out 2>&1
grep -q "frame 10/10 \[#*\] .* ETA" tty.out || { echo "no progress bar on a terminal"; cat -v tty.out; exit 1; }
cmp tty.xtc aa.xtc || { echo "the progress bar run wrote other atoms"; exit 1; }
! grep -q "ETA" run.xtc.out || { echo "a progress bar went to a file"; exit 1; }
# frames side by side on two threads: the same atoms, byte for byte
"$backmap" run cg.xtc --topology cg.pdb --model "$model" -o side.xtc --no-refine --frame-threads 2 > side.out 2>&1
cmp side.xtc aa.xtc || { echo "--frame-threads 2 changed the atoms"; exit 1; }
expect_refusal "frame-threads must be at least 1" cg.xtc --topology cg.pdb --model "$model" -o bad.xtc --frame-threads 0
# more threads than cores: reduced, with a note
"$backmap" run cg.xtc --topology cg.pdb --model "$model" -o many.xtc --no-refine --threads 100000 > many.out 2>&1
grep -q "note: --threads 100000 is more than the" many.out && grep -q "10 frame(s)" many.out || { cat many.out; exit 1; }
echo "XTC and TRR in and out equal the PDB path to the formats' precision; bad trajectories refused"
