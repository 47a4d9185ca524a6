# Shared by the LAMMPS-level test scripts (sourced, not run).

# compare A.pdb B.pdb [LIMIT]: the largest |coordinate difference| between the ATOM records of
# two PDB files, taken in order; fails when there are none or it exceeds LIMIT (default
# 0.0005 A: the same to the last printed digit)
compare() {
  local limit="${3:-0.0005}"
  paste <(grep '^ATOM' "$1" | cut -c31-54) <(grep '^ATOM' "$2" | cut -c31-54) | awk -v a="$1" -v b="$2" -v limit="$limit" '
    { n++; for (k = 0; k < 3; k++) { d = substr($0, 1 + 8*k, 8) - substr($0, 26 + 8*k, 8); if (d < 0) d = -d; if (d > m) m = d } }
    END { printf "%s vs %s: %d atoms, max difference %.4f A\n", a, b, n, m; if (n == 0 || m > limit) exit 1 }'
}

# The elastic-network CG ubiquitin under Martini's special_bonds, in dynamics (soft
# excluded volume, 10 fs steps), backmapped by fix bm every N steps into ${out}.
# md_input MODEL EVERY > in.FILE
md_input() {
  cat <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
read_data cg.data
special_bonds lj 0.0 1.0 1.0
pair_style soft 4.0
pair_coeff * * 2.0
velocity all create 300.0 4928459 dist gaussian
fix integrate all nve
timestep 10.0
fix bm all backmap $1 topology cg.data every $2 dump \${out}
IN
}
