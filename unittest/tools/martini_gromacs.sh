# Sourced by the tests and benchmarks that compare LAMMPS with GROMACS on Martini 3 systems.
#
# martini_single_point_mdp [LINE ...]: the .mdp of one energy evaluation with Martini 3's run
#   parameters (reaction field with epsilon-r 15, LJ potential-shift, both cut at 1.1 nm, no
#   Verlet buffer so the cut-off is exact; continuation so that mdrun does not constrain the
#   start), then any further lines given, on standard output.
# gromacs_energies_json EDR: the energy terms of an .edr's first frame as a JSON object in
#   kcal/mol ({"Bond": ..., "LJ (SR)": ..., "Potential": ...}), read with gmx dump.
martini_single_point_mdp() {
  cat <<'MDP'
integrator = md
nsteps = 0
continuation = yes
cutoff-scheme = Verlet
pbc = xyz
coulombtype = reaction-field
rcoulomb = 1.1
epsilon_r = 15
epsilon_rf = 0
vdwtype = cut-off
vdw-modifier = Potential-shift-verlet
rvdw = 1.1
verlet-buffer-tolerance = -1
rlist = 1.1
nstcalcenergy = 1
nstenergy = 1
MDP
  local line
  for line in "$@"; do echo "$line"; done
}

gromacs_energies_json() {
  gmx -quiet dump -e "$1" 2> /dev/null | python3 -c '
import json, re, sys
energies, started = {}, False
for line in sys.stdin:
    if "Component" in line:
        if started: break    # the next frame
        started = True
    elif started:
        e = re.match(r"^\s*(\S.*\S)\s+([-+]?[0-9.]+e[-+][0-9]+)\s*$", line)
        if e: energies[e.group(1)] = float(e.group(2)) / 4.184
if "Potential" not in energies: sys.exit("no energies in the .edr")
json.dump(energies, sys.stdout)
'
}
