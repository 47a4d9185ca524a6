#!/usr/bin/env bash
# LAMMPS-level test of fix backmap/kk (Kokkos, Serial here): with `-k on -sf kk` the frames are
# those of the plain fix, on 1 and 2 ranks, in run (with dynamics, under Martini's
# special_bonds), with chunk, and under rerun.
# usage: kokkos.sh BACKMAP LMP MODEL STRUCTURE RERUN_EXAMPLE_DIR WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; example="$5"; work="$6"
mkdir -p "$work" && cd "$work"
"$backmap" map "$structure" -o cg.data --elastic-network > /dev/null
{ md_input "$model" 50; echo 'run 100'; } > in.md
"$lmp" -in in.md -var out plain.pdb -log log.plain -screen none
for np in 1 2; do
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -k on -sf kk -in in.md -var out kk.$np.pdb \
    -log log.kk.$np -screen none
  grep -q "Fix backmap/kk: atoms read from Kokkos views" log.kk.$np || { echo "fix backmap/kk was not used"; exit 1; }
  [ "$(grep -c '^MODEL' kk.$np.pdb)" = 3 ] || { echo "expected 3 frames"; exit 1; }
  compare kk.$np.pdb plain.pdb
done
sed 's|every 50 dump|every 50 chunk 20 dump|' in.md > in.chunk
"$lmp" -k on -sf kk -in in.chunk -var out kk-chunk.pdb -log log.kk-chunk -screen none
compare kk-chunk.pdb plain.pdb
# rerun of a CG trajectory (examples/protein-rerun)
"$backmap" map /usr/share/freesasa/test-data/1d3z.pdb -o cg.data > /dev/null
"$backmap" map /usr/share/freesasa/test-data/1d3z.pdb -o cg.dump > /dev/null
"$lmp" -in "$example/in.rerun" -var model "$model" -var reference /usr/share/freesasa/test-data/1d3z.pdb \
  -log log.rerun -screen none
mv backmapped.pdb rerun-plain.pdb
"$lmp" -k on -sf kk -in "$example/in.rerun" -var model "$model" -var reference /usr/share/freesasa/test-data/1d3z.pdb \
  -log log.rerun-kk -screen none
grep -q "Fix backmap/kk: atoms read from Kokkos views" log.rerun-kk || { echo "rerun: fix backmap/kk was not used"; exit 1; }
compare backmapped.pdb rerun-plain.pdb
# two Kokkos fixes writing one file are refused, as two plain ones are
sed 's|^fix bm all backmap \(.*\)$|fix bm all backmap \1\nfix bm2 all backmap \1|' in.md > in.twice
if "$lmp" -k on -sf kk -in in.twice -var out twice.pdb -log log.twice -screen none; then echo "no error for two fixes"; exit 1; fi
grep -q "both write twice.pdb" log.twice || { echo "expected 'both write twice.pdb'"; tail -3 log.twice; exit 1; }
echo "fix backmap/kk equals fix backmap: run on 1 and 2 ranks, chunk, rerun"
