# The toy molecule's inputs for the resolution-exchange test and benchmark (sourced by
# unittest/lammps/replica_exchange_exactness.sh and bench/replica_exchange_toy.sh):
#   toy_setup BACKMAP COUNT
# writes, in the current folder: frames/ (400 exact samples), model/model.pt (trained on them,
# 6 s), cg.data (COUNT molecules) with cg.coeffs (fitted CG force field), and aa_md.in (the
# replica's Langevin MD at 300 K).
toy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
toy_setup() {
  local backmap="$1" count="$2"
  python3 "$toy_dir/toy_frames.py" frames 400
  cat > train.yaml <<YAML
inputs:
  - frames
mapping: $toy_dir/mapping
output: model
epochs: 60
batch_beads: 60
learning_rate: 0.005
final_learning_rate: 0.0005
warmup_steps: 20
rotate: true
learn_bond_lengths: false
seed: 7
threads: 1
model:
  cutoff: 8.0
  features: 16
  vector_channels: 8
  pseudo_channels: 8
  radial_basis: 8
  layers: 1
  neighbour_norm: 2
YAML
  OMP_NUM_THREADS=1 "$backmap" train --config train.yaml > train.log 2>&1 || { tail -5 train.log; return 1; }
  "$backmap" map --mapping "$toy_dir/mapping" frames/toy0001.pdb -o cg_start.data > /dev/null
  python3 "$toy_dir/toy_cg_fit.py" frames > cg.coeffs
  python3 "$toy_dir/toy_cg_data.py" cg_start.data "$count" > cg.data
  cat > aa_md.in <<'IN'
timestep 1.0
fix aa_langevin all langevin 300.0 300.0 100.0 4242
fix aa_nve all nve
IN
}
