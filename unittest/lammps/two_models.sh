#!/usr/bin/env bash
# LAMMPS-level test: fix backmap with two models, each for its own residues (here two sets of
# amino acids; a protein and a lipid model in real use), writes the frames `backmap run` writes
# with the same two models, on 1 and 2 ranks and with chunk; a third model that shares amino
# acids with them is routed as backmap run routes it; fix backmap/kk writes the same frames
# (routed_models.sh: shared names that route to both models, ties, shared lipids). The models are trained here for one step
# (their accuracy does not matter).
# usage: two_models.sh BACKMAP LMP MAPPINGS_DIR STRUCTURE WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; mappings="$3"; structure="$4"; work="$5"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
train_model() {  # train_model NAME RESIDUE...
  local name="$1"; shift
  mkdir -p "maps_$name"
  for r in "$@"; do cp "$mappings/$r.yaml" "maps_$name/"; done
  cat > "$name.yaml" <<YAML
inputs: [$structure]
mapping: maps_$name
output: out_$name
epochs: 1
max_steps: 1
validation_fraction: 0
test_fraction: 0
threads: 1
model: {features: 16, vector_channels: 4, pseudo_channels: 4}
YAML
  "$backmap" train --config "$name.yaml" > "train_$name.log" 2>&1 || { tail -5 "train_$name.log"; exit 1; }
  [ -s "out_$name/model.pt" ] || { echo "no model from training $name"; exit 1; }
}
train_model most ala arg asn asp cys gln glu gly his ile met phe pro ser thr trp tyr val
train_model lysleu leu lys
"$backmap" map "$structure" -o cg.data --elastic-network > /dev/null
"$backmap" run cg.data --model out_most/model.pt --model out_lysleu/model.pt -o standalone.pdb > /dev/null
{ md_input "out_most/model.pt out_lysleu/model.pt" 1; echo 'run 0'; } > in.two
for np in 1 2; do
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in in.two -var out two.$np.pdb -log log.two.$np -screen none
  compare two.$np.pdb standalone.pdb
done
grep -q "Fix backmap: model out_lysleu/model.pt" log.two.1 || { echo "the second model was not reported"; exit 1; }
# fix backmap/kk: each model's neighbours from the Kokkos kernels, among its own beads only
mpirun --allow-run-as-root --oversubscribe -np 2 "$lmp" -k on -sf kk -in in.two -var out two-kk.pdb -log log.two-kk \
  -screen none
grep -q "Fix backmap/kk" log.two-kk || { echo "fix backmap/kk was not used"; exit 1; }
cmp two-kk.pdb two.2.pdb || { echo "fix backmap/kk with two models: other frames than fix backmap"; exit 1; }
sed 's|every 1 dump|every 1 chunk 30 dump|' in.two > in.chunk
"$lmp" -in in.chunk -var out chunk.pdb -log log.chunk -screen none
# with chunk, blocks are written model by model: the same atoms, ordered by model
cmp <(grep '^ATOM' chunk.pdb | cut -c13-54 | sort) <(grep '^ATOM' standalone.pdb | cut -c13-54 | sort) || \
  { echo "chunk: other atoms than backmap run"; exit 1; }
# a third model that shares ALA and LYS with them is routed by chain stretch as backmap run routes
# it: the others know more of ubiquitin's stretch, so it gets no residue and the frame stays
train_model other ala lys
"$backmap" run cg.data --model out_most/model.pt --model out_lysleu/model.pt --model out_other/model.pt \
  -o standalone3.pdb > /dev/null
sed 's|out_lysleu/model.pt|out_lysleu/model.pt out_other/model.pt|' in.two > in.three
"$lmp" -in in.three -var out three.pdb -log log.three -screen none
compare three.pdb standalone3.pdb
cmp three.pdb two.1.pdb || { echo "a model that gets no residue changed the frame"; exit 1; }
grep -q "model out_other/model.pt .*backmaps no residue" log.three || { echo "expected 'backmaps no residue'"; exit 1; }
echo "fix backmap with two (and three) models equals backmap run with them, on 1 and 2 ranks and with chunk"
