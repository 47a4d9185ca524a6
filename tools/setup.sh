#!/usr/bin/env bash
# BACKMAP set-up on Debian 12: installs the Debian packages, builds the core library, the
# `backmap` tool and the tests (build/), builds LAMMPS 20220106 with BACKMAP, MOLECULE, RIGID,
# EXTRA-MOLECULE and KOKKOS (build/lammps, linked as build/bin/lmp), then runs the main example.
#
#   bash tools/setup.sh            # everything, then the examples protein-map and protein-md (main)
#   bash tools/setup.sh --no-example
#
# Idempotent and quick the second time: packages are installed only when missing, ccache
# serves unchanged compilations and ninja rebuilds nothing when nothing changed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${JOBS:-2}"
RUN_EXAMPLE=1
[ "${1:-}" = "--no-example" ] && RUN_EXAMPLE=0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
T0=$SECONDS
say() { printf '[setup %4ds] %s\n' $((SECONDS - T0)) "$*"; }

# Build tools and libraries, plus packages whose structures the tests and examples use.
# libgromacs-dev: XTC/TRR trajectories in `backmap run`; gromacs (gmx): the tests check those
# files against GROMACS's own trjconv.
# libopenblas0-openmp: Debian's LibTorch calls the system BLAS, which is netlib's reference
# implementation unless an optimised one is installed; OpenBLAS (its OpenMP build, the
# threading LibTorch uses) makes the network 7x faster (doc/model.md, "Speed").
# python-mdtraj-doc: the alanine dipeptide (structure and a 501-frame XTC) of
# examples/own-molecule, a user's own molecule trained and backmapped beside a protein.
# dssp (mkdssp): the secondary structure `backmap map --martini-topology` gives Martini proteins, as
# martinize2 -dssp does (the main example uses it).
PACKAGES=(g++ cmake ninja-build ccache dpkg-dev
          libtorch-dev libopenblas0-openmp libtrilinos-kokkos-dev libyaml-cpp-dev libeigen3-dev libgtest-dev
          gemmi-dev tao-pegtl-dev libstb-dev zlib1g-dev libcli11-dev nlohmann-json3-dev
          libopenmpi-dev openmpi-bin
          libgromacs-dev gromacs
          python3-prody-tests freesasa python-mdtraj-doc dssp)
# Debian's gmx mdrun (GROMACS-parity tests) stops on a CPU without rdtscp; qemu-user runs it there
grep -qw rdtscp /proc/cpuinfo 2>/dev/null || PACKAGES+=(qemu-user)
installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)"
missing=()
for p in "${PACKAGES[@]}"; do
  grep -q "^$p .*ok installed" <<<"$installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
say "Debian packages ready"

export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# paths under the clone are hashed relative to it, so a fresh clone reuses the cache
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$REPO}"
SKIP_APT=1 JOBS="$JOBS" bash "$REPO/tools/lammps/build_lammps.sh"
say "LAMMPS ready: $REPO/build/bin/lmp"

# force fields that Debian does not ship are data used where they lie; the shared CHARMM36 port
# (CHARMM36m proteins, C36 lipids) is copied beside the build so that `backmap build` finds it
# by name when the shared folder is not there later
CHARMM36="$REPO/../shared/data/forcefields/charmm36/charmm36-jul2022.ff"
if [ -d "$CHARMM36" ] && [ ! -f "$REPO/build/forcefields/charmm36-jul2022.ff/forcefield.itp" ]; then
  mkdir -p "$REPO/build/forcefields"
  cp -r "$CHARMM36" "$REPO/build/forcefields/"
  say "force field charmm36-jul2022.ff copied to build/forcefields"
fi

cmake -S "$REPO" -B "$REPO/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DBACKMAP_LAMMPS_BINARY="$REPO/build/bin/lmp" >/dev/null
ninja -C "$REPO/build" -j "$JOBS"
say "BACKMAP ready: $REPO/build/bin/backmap, tests: ctest --test-dir build"

if [ $RUN_EXAMPLE = 1 ]; then
  say "running the examples (protein-map, then the main one, protein-md)"
  bash "$REPO/examples/protein-map/run.sh"
  bash "$REPO/examples/protein-md/run.sh"
fi
say "done"
