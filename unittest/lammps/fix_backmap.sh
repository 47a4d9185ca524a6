#!/usr/bin/env bash
# LAMMPS-level test of fix backmap: its frame equals `backmap run` on the same CG frame (with
# and without refinement), 1, 2 and 4 MPI ranks write the same atoms, the network in chunks
# gives the same frame; bad input gets the documented errors.
# usage: fix_backmap.sh BACKMAP LMP MODEL STRUCTURE WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; work="$5"
mkdir -p "$work" && cd "$work"
"$backmap" map "$structure" -o cg.data > /dev/null
cp cg.data cg.data.orig
"$backmap" run --model "$model" cg.data -o standalone.pdb > /dev/null
"$backmap" run --model "$model" cg.data -o standalone-unrefined.pdb --no-refine > /dev/null
cat > in.fix <<IN
units real
atom_style full
boundary p p p
read_data cg.data
pair_style zero 10.0
pair_coeff * *
group first50 id 1:50
fix bm all backmap $model topology cg.data every 1 dump \${out}
thermo_style custom step f_bm[1] f_bm[3]
run 0
IN
"$lmp" -in in.fix -var out serial.pdb -log log.serial -screen none
grep -c '^ATOM' serial.pdb > /dev/null
compare serial.pdb standalone.pdb
for np in 2 4; do
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in in.fix -var out mpi$np.pdb -log log.mpi$np -screen none
  compare mpi$np.pdb serial.pdb
done
# the network on 20 beads at a time: the same frame
sed 's|every 1 dump|every 1 chunk 20 dump|' in.fix > in.chunk
"$lmp" -in in.chunk -var out chunk.pdb -log log.chunk -screen none
compare chunk.pdb serial.pdb
# a two-chain protein (Fab 1A0Q, chains H and L) with chunk 300: the network, the gathering
# and the writing go block by block (whole chains), and the frame is the one written whole,
# on 1 and 2 ranks
twochains=/usr/share/freesasa/test-data/1a0q.pdb
"$backmap" map "$twochains" -o fab.data > /dev/null
sed -e 's|read_data cg.data|read_data fab.data|' -e 's|topology cg.data|topology fab.data|' in.fix > in.fab
"$lmp" -in in.fab -var out fab-whole.pdb -log log.fab -screen none
sed 's|every 1 dump|every 1 chunk 300 dump|' in.fab > in.fab-chunk
"$lmp" -in in.fab-chunk -var out fab-chunk.pdb -log log.fab-chunk -screen none
compare fab-chunk.pdb fab-whole.pdb
mpirun --allow-run-as-root --oversubscribe -np 2 "$lmp" -in in.fab-chunk -var out fab-chunk2.pdb -log log.fab-chunk2 -screen none
compare fab-chunk2.pdb fab-whole.pdb
[ ! -e .fab-chunk.pdb.parts ] || { echo "the side file of a chunked frame was left behind"; exit 1; }
sed "s|^thermo_style.*|compute rmsd all backmap/rmsd bm $twochains\nthermo_style custom step c_rmsd[1]|" in.fab-chunk > in.fab-rmsd
if "$lmp" -in in.fab-rmsd -var out bad.pdb -log log.fab-rmsd -screen none; then echo "no error for rmsd with chunk"; exit 1; fi
grep -q "keeps no whole frame" log.fab-rmsd || { echo "expected 'keeps no whole frame'"; tail -3 log.fab-rmsd; exit 1; }
# without refinement, the network's own placement, as backmap run --no-refine writes it
sed 's|every 1 dump|every 1 refine no dump|' in.fix > in.unrefined
"$lmp" -in in.unrefined -var out unrefined.pdb -log log.unrefined -screen none
compare unrefined.pdb standalone-unrefined.pdb
# after minimize: the fix is idle during the minimisation and writes the minimised beads
# at the next run's setup
sed -e 's|^pair_style zero 10.0|pair_style soft 4.0|' -e 's|^pair_coeff \* \*$|pair_coeff * * 20.0|' \
    -e 's|^run 0|minimize 0.0 1.0e-6 50 500\nrun 0|' in.fix > in.min
"$lmp" -in in.min -var out min.pdb -log log.min -screen none
[ "$(grep -c '^MODEL' min.pdb)" = 1 ] || { echo "minimize + run 0: expected one frame"; exit 1; }
if compare min.pdb serial.pdb > /dev/null; then echo "minimize: the frame did not change"; exit 1; fi
echo "minimize + run 0: one frame, of the minimised beads"
# the other formats carry the same atoms: XYZ, and one LAMMPS dump file per frame
sed 's|dump \${out}|dump \${out} format xyz|' in.fix > in.xyz
"$lmp" -in in.xyz -var out frames.xyz -log log.xyz -screen none
[ "$(head -1 frames.xyz)" = "$(grep -c '^ATOM' serial.pdb)" ]
sed 's|dump \${out}|dump \${out} format lammps|' in.fix > in.dump
"$lmp" -in in.dump -var out 'frame.*.dump' -log log.dump -screen none
[ "$(sed -n 4p frame.0.dump)" = "$(grep -c '^ATOM' serial.pdb)" ]
# a restart continues the same file: frames appended, numbered on, the last step not repeated
sed -e 's|^run 0|run 2\nwrite_restart r.restart|' -e 's|every 1 dump ${out}|every 1 dump r.pdb|' in.fix > in.r1
cat > in.r2 <<IN
read_restart r.restart
pair_style zero 10.0
pair_coeff * *
fix bm all backmap $model topology cg.data every 1 dump r.pdb
run 2
IN
"$lmp" -in in.r1 -var out x.pdb -log log.r1 -screen none
"$lmp" -in in.r2 -log log.r2 -screen none
[ "$(grep -c '^MODEL' r.pdb)" = 5 ] && [ "$(grep '^MODEL' r.pdb | tail -1 | awk '{print $2}')" = 5 ] || \
  { echo "restart: expected models 1-5 in r.pdb"; grep '^MODEL\|^REMARK' r.pdb; exit 1; }
# read_restart, then compute backmap/rmsd in thermo on the restart step: the fix rebuilds that
# frame in memory (it is in r.pdb already, so nothing is written twice)
cat > in.r3 <<IN
read_restart r.restart
pair_style zero 10.0
pair_coeff * *
fix bm all backmap $model topology cg.data every 1 dump r3.pdb
compute rmsd all backmap/rmsd bm $structure
thermo_style custom step c_rmsd[1]
run 1
IN
rm -f r3.pdb
"$lmp" -in in.r3 -log log.r3 -screen none
rmsd_restart=$(sed -n '/^ *Step/,/^Loop/p' log.r3 | awk '$1 == 2 {print $2}')
awk -v r="$rmsd_restart" 'BEGIN { exit !(r > 0.3 && r < 1.5) }' || { echo "rmsd after read_restart: '$rmsd_restart'"; exit 1; }
[ "$(grep -c '^MODEL' r3.pdb)" = 1 ] || { echo "read_restart + rmsd: expected only step 3 in r3.pdb"; exit 1; }
echo "read_restart + compute backmap/rmsd: step 2 RMSD $rmsd_restart A, step 2 not written again"
# errors a user can act on
expect_error() {  # expect_error 'fix line' 'message fragment'
  sed "s|^fix bm .*|$1|" in.fix > in.bad
  if "$lmp" -in in.bad -var out bad.pdb -log log.bad -screen none; then echo "no error for: $1"; exit 1; fi
  grep -q "$2" log.bad || { echo "expected '$2' for: $1"; tail -3 log.bad; exit 1; }
}
expect_error "fix bm all backmap no-such.pt topology cg.data every 1 dump bad.pdb" "no such model file"
expect_error "fix bm all backmap $model every 1 dump bad.pdb" "needs 'topology DATA_FILE'"
expect_error "fix bm all backmap $model topology cg.data every 0 dump bad.pdb" "needs 'every N' with N > 0"
expect_error "fix bm all backmap $model topology cg.data every 1 dump bad.pdb colour red" "unknown keyword colour"
expect_error "fix bm all backmap $model topology cg.data every 1 dump bad.pdb format gif" "format must be pdb, xyz or lammps"
expect_error "fix bm all backmap $model topology cg.data every 1 dump bad.pdb refine maybe" "refine must be yes or no"
expect_error "fix bm all backmap $model topology cg.data every 1 dump bad.pdb chunk -5" "chunk must be 0"
expect_error "fix bm all backmap $model topology cg.data every 1 dump cg.data" "is the fix's input cg.data"
expect_error "fix bm all backmap $model topology cg.data every 1 dump $model" "is the fix's input"
expect_error "dump d all atom 1 clash.pdb\nfix bm all backmap $model topology cg.data every 1 dump clash.pdb" "also the file of dump d"
expect_error "fix bm0 all backmap $model topology cg.data every 1 dump twice.pdb\nfix bm all backmap $model topology cg.data every 1 dump twice.pdb" "both write twice.pdb"
cmp -s cg.data cg.data.orig || { echo "an input was changed"; exit 1; }
expect_error "fix bm first50 backmap $model topology cg.data every 1 dump bad.pdb" "is not in group first50"
# the real cause when beads are missing: a topology of another (larger or smaller) system, and
# atoms lost from a non-periodic box
expect_input_error() {  # expect_input_error INPUT 'message fragment'
  rm -f bad.pdb
  if "$lmp" -in "$1" -var out bad.pdb -log log.bad -screen none; then echo "no error for $1"; exit 1; fi
  grep -q "$2" log.bad || { echo "expected '$2' for $1"; tail -3 log.bad; exit 1; }
  [ ! -s bad.pdb ] || { echo "$1: a frame was written"; exit 1; }
}
# a larger system has every ID of the topology: its masses tell (a warning: force fields may
# set masses of their own), and the same system gives no warning
sed 's|^read_data cg.data|read_data fab.data|' in.fix > in.foreign
"$lmp" -in in.foreign -var out foreign.pdb -log log.foreign -screen none
grep -q "beads have other masses here than in topology cg.data" log.foreign || { echo "no mass warning"; exit 1; }
! grep -q "other masses" log.serial || { echo "mass warning for the topology's own system"; exit 1; }
sed 's|topology cg.data|topology fab.data|' in.fix > in.smaller
expect_input_error in.smaller "this system has no atom ID 167: the topology is of another system"
sed -e 's|^boundary p p p|boundary p p f|' -e 's|^fix bm |thermo_modify lost ignore\nset atom 7 z 1000.0\nfix bm |' in.fix > in.lost
expect_input_error in.lost "atoms were lost at step 0 (165 of 166 remain"
# a bead torn 20 A from its residue (a blow-up): named, nothing written
sed -e 's|^fix bm |displace_atoms all move 0 0 0\ngroup torn id 2\ndisplace_atoms torn move 20.0 0 0\nfix bm |' in.fix > in.torn
expect_input_error in.torn "bead SC1 of residue A:MET1 (atom ID 2) is 17.5 A from bead BB of its residue, 3.9 A in the topology"
echo "fix backmap: serial equals backmap run (refined and not), 2 and 4 ranks and chunks equal serial, errors reported"
