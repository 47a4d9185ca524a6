#!/usr/bin/env bash
# LAMMPS-level test of fix backmap/kk (Kokkos, Serial here): with `-k on -sf kk` the frames are
# byte for byte those of the plain fix, on 1 and 2 ranks, in run (with dynamics), with chunk,
# and under rerun, all with bonds (an elastic network) under Martini's special_bonds
# (lj 0.0 1.0 1.0). The network's neighbours come from the Kokkos fix's own kernels: a bead
# they missed (LAMMPS's neighbour lists leave out the bonded ones) would change the frames.
# usage: kokkos.sh BACKMAP LMP MODEL STRUCTURE RERUN_EXAMPLE_DIR WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; example="$5"; work="$6"
mkdir -p "$work" && cd "$work"

# same A B: A is byte for byte B (and has atoms)
same() {
  if ! cmp -s "$1" "$2"; then compare "$1" "$2" || true; echo "$1 differs from $2"; exit 1; fi
  echo "$1 is $2 ($(grep -c '^ATOM' "$1") atom records)"
}
# kokkos NP ARGS...: LAMMPS under -k on -sf kk on NP ranks; checks that fix backmap/kk ran
kokkos() {
  local np="$1"; shift
  mpirun --allow-run-as-root --oversubscribe -np "$np" "$lmp" -k on -sf kk "$@" -screen none
  local log; log="$(sed -n 's/.*-log \([^ ]*\).*/\1/p' <<<"$*")"
  grep -q "Fix backmap/kk: atoms read from Kokkos views and neighbours built by Kokkos kernels" "$log" ||
    { echo "fix backmap/kk was not used ($log)"; exit 1; }
}

# run, with and without chunk
"$backmap" map "$structure" -o cg.data --elastic-network > /dev/null
grep -q '^ *[1-9][0-9]* bonds' cg.data || { echo "cg.data has no bonds"; exit 1; }
{ md_input "$model" 50; echo 'run 100'; } > in.md
sed 's|every 50 dump|every 50 chunk 20 dump|' in.md > in.chunk
"$lmp" -in in.md -var out plain.pdb -log log.plain -screen none
"$lmp" -in in.chunk -var out plain-chunk.pdb -log log.plain-chunk -screen none
[ "$(grep -c '^MODEL' plain.pdb)" = 3 ] || { echo "expected 3 frames"; exit 1; }
for np in 1 2; do
  kokkos $np -in in.md -var out kk.$np.pdb -log log.kk.$np
  same kk.$np.pdb plain.pdb
  kokkos $np -in in.chunk -var out kk-chunk.$np.pdb -log log.kk-chunk.$np
  same kk-chunk.$np.pdb plain-chunk.pdb
done

# rerun of a CG trajectory (examples/protein-rerun's input), its topology with the elastic
# network and special_bonds added
mkdir -p rerun && cd rerun
"$backmap" map /usr/share/freesasa/test-data/1d3z.pdb -o cg.data --elastic-network > /dev/null
"$backmap" map /usr/share/freesasa/test-data/1d3z.pdb -o cg.dump > /dev/null
sed -e 's|^read_data .*|bond_style harmonic\n&\nspecial_bonds lj 0.0 1.0 1.0|' "$example/in.rerun" > in.rerun
grep -q '^special_bonds lj 0.0 1.0 1.0' in.rerun || { echo "in.rerun: could not add special_bonds"; exit 1; }
vars=(-var model "$model" -var reference /usr/share/freesasa/test-data/1d3z.pdb)
"$lmp" -in in.rerun "${vars[@]}" -log log.rerun -screen none
mv backmapped.pdb rerun-plain.pdb
[ "$(grep -c '^MODEL' rerun-plain.pdb)" = 10 ] || { echo "rerun: expected 10 frames"; exit 1; }
for np in 1 2; do
  kokkos $np -in in.rerun "${vars[@]}" -log log.rerun-kk.$np
  mv backmapped.pdb rerun-kk.$np.pdb
  same rerun-kk.$np.pdb rerun-plain.pdb
done
cd ..

# two Kokkos fixes writing one file are refused, as two plain ones are
sed 's|^fix bm all backmap \(.*\)$|fix bm all backmap \1\nfix bm2 all backmap \1|' in.md > in.twice
if "$lmp" -k on -sf kk -in in.twice -var out twice.pdb -log log.twice -screen none; then echo "no error for two fixes"; exit 1; fi
grep -q "both write twice.pdb" log.twice || { echo "expected 'both write twice.pdb'"; tail -3 log.twice; exit 1; }
echo "fix backmap/kk equals fix backmap: run, chunk and rerun on 1 and 2 ranks"
