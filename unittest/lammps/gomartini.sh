#!/usr/bin/env bash
# LAMMPS-level test: a GoMartini protein (martinize2 -go puts a virtual CA site, carrying no
# atoms, inside every residue) run in LAMMPS has those sites as atoms. fix backmap and
# `backmap run` leave them out: the frames equal those of the same protein without them, on 1
# and 2 ranks, and the log says how many were left out.
# usage: gomartini.sh BACKMAP LMP MODEL STRUCTURE WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; work="$5"
mkdir -p "$work" && cd "$work"
"$backmap" map "$structure" -o cg.data --elastic-network > /dev/null
"$backmap" run --model "$model" cg.data -o plain.pdb > /dev/null
# the GoMartini form: a CA site on each BB bead, numbered right after it (every later ID and the
# bonds renumbered), of the BB bead's type
python3 - cg.data go.data <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
start = lines.index("Atoms # full") + 2
end = start
while lines[end].strip():
    end += 1
atoms = [l.split() for l in lines[start:end]]
atoms.sort(key=lambda f: int(f[0]))
new_id, rows = {}, []
for f in atoms:
    new_id[f[0]] = str(len(rows) + 1)
    rows.append([new_id[f[0]]] + f[1:])
    if f[-1] == "BB":
        site = [str(len(rows) + 1)] + f[1:]
        site[-1] = "CA"
        rows.append(site)
out = lines[:start] + [" ".join(r) for r in rows] + lines[end:]
out = [l.replace("%d atoms" % len(atoms), "%d atoms" % len(rows)) if l.endswith(" atoms") else l for l in out]
b = out.index("Bonds") + 2
while b < len(out) and out[b].strip():
    f = out[b].split()
    out[b] = " ".join(f[:2] + [new_id[f[2]], new_id[f[3]]])
    b += 1
open(sys.argv[2], "w").write("\n".join(out))
PY
sites=$(grep -c '# A [0-9]* [A-Z]* CA$' go.data)
[ "$sites" = 76 ] || { echo "expected 76 CA sites in go.data, found $sites"; exit 1; }
"$backmap" run --model "$model" go.data -o go-run.pdb > run.out
grep -q "left out 76 virtual site(s)" run.out || { echo "backmap run did not report the virtual sites"; cat run.out; exit 1; }
compare go-run.pdb plain.pdb
cat > in.go <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
read_data go.data
special_bonds lj 0.0 1.0 1.0
pair_style soft 4.0
pair_coeff * * 2.0
fix bm all backmap $model topology go.data every 1 dump \${out}
run 0
IN
for np in 1 2; do
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in in.go -var out go.$np.pdb -log log.go.$np -screen none
  compare go.$np.pdb plain.pdb
done
grep -q "76 virtual sites that carry no atoms" log.go.1 || { echo "the fix did not report the virtual sites"; exit 1; }
echo "GoMartini virtual sites left out by backmap run and fix backmap (1 and 2 ranks): frames equal the plain protein's"
