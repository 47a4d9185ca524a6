#!/usr/bin/env bash
# Tool-level test: `backmap model` describes a model file (the shipped protein model backmaps
# the 20 amino acids and nothing else, so a lipid model can share its runs), writes a copy for
# some molecules that backmaps them exactly as the whole model does, measures the ideal
# geometry again, and refuses what it cannot do without writing anything.
# usage: model_command.sh BACKMAP MODEL PDB WORKDIR
set -euo pipefail
backmap="$1"; model="$2"; pdb="$3"; work="$4"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$backmap" model "$model" --json > whole.json
python3 - whole.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
names = sorted(j["molecules"])
assert len(names) == 20 and "POPC" not in names and "ALA" in names, names
assert j["refines"] and j["cutoff"] == 7.0, j
PY
"$backmap" model "$model" --molecules ALA,GLY,LYS -o three.pt --json > three.json
python3 -c "import json; j = json.load(open('three.json')); assert sorted(j['molecules']) == ['ALA', 'GLY', 'LYS'], j; assert j['provenance']['restricted_to'] == ['ALA', 'GLY', 'LYS']"
# a copy without TRP (ubiquitin has none; every bead type after it moves to another row of the
# network's tables) backmaps ubiquitin byte for byte as the whole model, refinement included
"$backmap" map "$pdb" -o cg.pdb > /dev/null
"$backmap" model "$model" --molecules ALA,ARG,ASN,ASP,CYS,GLN,GLU,GLY,HIS,ILE,LEU,LYS,MET,PHE,PRO,SER,THR,TYR,VAL \
  -o no_trp.pt > /dev/null
"$backmap" run cg.pdb --model "$model" -o whole.pdb > /dev/null 2>&1
"$backmap" run cg.pdb --model no_trp.pt -o no_trp.pdb > /dev/null 2>&1
cmp <(grep ^ATOM whole.pdb) <(grep ^ATOM no_trp.pdb) || { echo "the restricted copy backmaps differently"; exit 1; }
# the geometry measured again, recorded in the provenance
"$backmap" model "$model" --measure-geometry "$pdb" -o remeasured.pt --json > remeasured.json
python3 -c "import json; j = json.load(open('remeasured.json')); assert j['refines'] and j['provenance']['geometry_measured_on'], j"
# refused, nothing written
if "$backmap" model "$model" --molecules ALA,NOPE -o nope.pt 2> nope.err; then echo "unknown molecule accepted"; exit 1; fi
grep -q "has no molecule NOPE" nope.err || { cat nope.err; exit 1; }
[ ! -e nope.pt ] || { echo "a file was written for a refused copy"; exit 1; }
cp "$model" own.pt
if "$backmap" model own.pt --molecules ALA -o own.pt 2> own.err; then echo "overwriting the input accepted"; exit 1; fi
cmp own.pt "$model" || { echo "the input was changed"; exit 1; }
echo "model_command: passed"
