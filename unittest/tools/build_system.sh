#!/usr/bin/env bash
# Tool-level test: `backmap build` turns a backmapped protein (heavy atoms) into a simulation-
# ready all-atom system. GROMACS accepts the .top/.gro as they are (grompp; the terms equal
# pdb2gmx's and LAMMPS's energies equal GROMACS's: unittest/test_all_atom_builder.cpp and
# test_lammps_system_writer.cpp); the LAMMPS minimisation lowers the energy
# below the force tolerance without moving heavy atoms far; against the true structure nothing
# gets worse (chirality, cis/trans) and bonds and clashes get better; bad input is refused
# with the residue named and no file left.
# usage: build_system.sh BACKMAP LMP MODEL PDB WORKDIR
set -euo pipefail
backmap="$1"; lmp="$2"; model="$3"; pdb="$4"; work="$5"
command -v gmx > /dev/null || { echo "gmx (Debian's gromacs) is needed"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$backmap" map "$pdb" -o cg.pdb > /dev/null
"$backmap" run cg.pdb --model "$model" -o backmapped.pdb > /dev/null 2>&1
for ff in amber99sb-ildn charmm36; do
  # charmm36 is the shared CHARMM36 port that tools/setup.sh copies when ../shared is there
  if ! "$backmap" build backmapped.pdb -o "$ff/system" --force-field "$ff" --minimize --lammps-binary "$lmp" \
    --ref "$pdb" --json > "$ff.json" 2> "$ff.err"; then
    if grep -q "no such force field" "$ff.err"; then echo "$ff: not installed here, skipped"; continue; fi
    cat "$ff.err"; exit 1
  fi
  python3 - "$ff.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
m, r = j["minimisation"], j["reference"]
b, a = r["before_minimisation"], r["after_minimisation"]
print(f'{j["force_field"]}: {j["atoms"]} atoms ({j["atoms_built"]} built), energy {m["energy_start_kcal_mol"]:.1f} -> '
      f'{m["energy_end"]:.1f} kcal/mol, largest force {m["max_force_end"]:.2f}, heavy atoms moved {m["heavy_atom_rmsd_to_start"]:.3f} A; '
      f'vs truth RMSD {b["rmsd_all_heavy"]:.3f} -> {a["rmsd_all_heavy"]:.3f} A, bonds off {b["bonds_off"]} -> {a["bonds_off"]}, '
      f'clashes {b["clashes"]} -> {a["clashes"]}')
assert j["atoms"] == 1231 and abs(j["total_charge"]) < 1e-6, j
assert m["energy_end"] < m["energy_after_hydrogens"] < m["energy_start_kcal_mol"], m
assert m["max_force_end"] < 12.5, m                 # 500 kJ/mol/nm, as the springs leave it
assert m["heavy_atom_rmsd_to_start"] < 0.4, m       # the CG state is kept
assert a["chirality_errors"] == 0 and a["cis_trans_errors"] == 0, a
assert a["rmsd_all_heavy"] < b["rmsd_all_heavy"] + 0.05, (b, a)
assert a["bonds_off"] <= b["bonds_off"] and a["clashes"] <= b["clashes"], (b, a)
PY
  # GROMACS reads what we wrote (the minimised structure too)
  cat > "$ff/rerun.mdp" <<'MDP'
integrator = md
nsteps = 0
cutoff-scheme = Verlet
pbc = xyz
coulombtype = Cut-off
coulomb-modifier = None
vdwtype = Cut-off
vdw-modifier = None
rcoulomb = 1.2
rvdw = 1.2
verlet-buffer-tolerance = -1
rlist = 1.2
MDP
  ( cd "$ff" && gmx -quiet grompp -f rerun.mdp -c system.minimized.gro -p system.top -o rerun.tpr -maxwarn 2 > grompp.log 2>&1 ) \
    || { tail -20 "$ff/grompp.log"; exit 1; }
done
# bad input: an unknown residue is named, exit code 2, and no file is written
sed 's/ LYS A  11/ XYZ A  11/' backmapped.pdb > bad.pdb
if "$backmap" build bad.pdb -o bad/system --force-field amber99sb-ildn 2> bad.err; then echo "bad input accepted"; exit 1; fi
grep -q "A:XYZ11" bad.err || { cat bad.err; exit 1; }
[ ! -e bad/system.top ] && [ ! -e bad/system.data ] || { echo "files left after an error"; exit 1; }
echo "build_system: passed"
