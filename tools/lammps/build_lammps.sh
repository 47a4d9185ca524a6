#!/usr/bin/env bash
# Build LAMMPS 20220106 (Debian's own source package) with MOLECULE, RIGID and
# EXTRA-MOLECULE (Martini 3 cholesterol: fix rigid/small, dihedral quadratic), KOKKOS
# (external Kokkos 3.4, Serial) and our BACKMAP package, linked with LibTorch.
#
#   tools/lammps/build_lammps.sh          # result: build/lammps/lmp, build/bin/lmp
#   JOBS=4 tools/lammps/build_lammps.sh   # parallel jobs (default 2)
#
# Idempotent: a second run with nothing changed fetches, patches, configures
# and compiles nothing (ninja re-runs cmake itself when CMake inputs change).
# Environment: JOBS, LAMMPS_BUILD_DIR (default $REPO/build/lammps),
#              SKIP_APT=1 (do not install Debian packages).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DEPS="$REPO/.deps"
BUILD="${LAMMPS_BUILD_DIR:-$REPO/build/lammps}"
JOBS="${JOBS:-2}"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

T0=$SECONDS
TS=$SECONDS
stage() {  # print the time taken by the previous stage, then announce the next
  local now=$SECONDS
  if [ -n "${STAGE:-}" ]; then printf '[build_lammps] %-22s %4ds\n' "$STAGE" $((now - TS)); fi
  STAGE="$1"; TS=$now
}

# ---------------------------------------------------------------- packages
stage "debian packages"
PKGS=(libtorch-dev libtrilinos-kokkos-dev libyaml-cpp-dev libeigen3-dev libgtest-dev
      gemmi-dev libopenmpi-dev openmpi-bin ccache ninja-build cmake g++ dpkg-dev
      zlib1g-dev libcli11-dev nlohmann-json3-dev tao-pegtl-dev libstb-dev)
if [ "${SKIP_APT:-0}" != 1 ]; then
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${PKGS[@]}" 2>/dev/null || true)"
  missing=()
  for p in "${PKGS[@]}"; do
    grep -q "^$p .*ok installed" <<<"$installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[build_lammps] installing: ${missing[*]}"
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# ---------------------------------------------------------------- source
# Debian's LAMMPS binary lacks KOKKOS/PLUGIN and full headers, so build from
# Debian's source package (needs a deb-src entry).
stage "lammps source"
LMP_SRC="$(ls -d "$DEPS"/lammps-*/ 2>/dev/null | head -n1 || true)"
LMP_SRC="${LMP_SRC%/}"
if [ -z "$LMP_SRC" ] || [ ! -f "$LMP_SRC/cmake/CMakeLists.txt" ]; then
  if [ "$(apt-cache showsrc lammps 2>/dev/null | grep -c '^Package: lammps' || true)" = 0 ]; then
    has_src=0
    grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list && has_src=1
    grep -qsiE '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources && has_src=1
    if [ $has_src = 0 ]; then
      if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        # deb822: the same stanzas with Types: deb-src, in a file of our own
        sed -E 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
          | $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
      elif grep -qsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
        # classic one-line format: a deb-src twin of every deb line
        sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' /etc/apt/sources.list \
          | $SUDO tee /etc/apt/sources.list.d/debian-src.list >/dev/null
      else
        echo "[build_lammps] no Debian source list to derive a deb-src entry from" >&2
        exit 1
      fi
      echo "[build_lammps] added a deb-src entry"
    fi
    # reached only when apt does not know the source package yet
    $SUDO apt-get update
  fi
  mkdir -p "$DEPS"
  if [ -n "$LMP_SRC" ]; then rm -rf "$LMP_SRC"; fi   # left incomplete by an interrupted run
  # apt-get source unpacks into the current directory (as root it warns that
  # the download is unsandboxed; harmless)
  (cd "$DEPS" && apt-get source lammps)
  LMP_SRC="$(ls -d "$DEPS"/lammps-*/ | head -n1)"
  LMP_SRC="${LMP_SRC%/}"
fi
echo "[build_lammps] LAMMPS source: $LMP_SRC"

# ---------------------------------------------------------------- hook up BACKMAP
# Everything here only writes when something is missing or wrong, so a re-run
# leaves mtimes alone and ninja has nothing to do.
stage "package links/patch"
link() {  # link TARGET LINKNAME: (re)create only if it does not already point there
  if [ "$(readlink "$2" 2>/dev/null || true)" != "$1" ]; then
    if [ -e "$2" ] && [ ! -L "$2" ]; then
      echo "[build_lammps] $2 exists and is not a symlink; refusing to replace it" >&2; exit 1
    fi
    ln -sfn "$1" "$2"
  fi
}
link "$REPO/src/BACKMAP" "$LMP_SRC/src/BACKMAP"
link "$HERE/BACKMAP.cmake" "$LMP_SRC/cmake/Modules/Packages/BACKMAP.cmake"
# our KOKKOS variants live beside LAMMPS's own KOKKOS sources (styles are
# registered by file name there); drop links whose target has gone
shopt -s nullglob
for f in "$REPO"/src/KOKKOS/*.cpp "$REPO"/src/KOKKOS/*.h; do
  link "$f" "$LMP_SRC/src/KOKKOS/$(basename "$f")"
done
for l in "$LMP_SRC"/src/KOKKOS/*; do
  if [ -L "$l" ] && [[ "$(readlink "$l")" == "$REPO/src/KOKKOS/"* ]] && [ ! -e "$l" ]; then
    rm -f "$l"
  fi
done
shopt -u nullglob
# list the package in LAMMPS's CMake: STANDARD_PACKAGES (gives PKG_BACKMAP,
# compiles src/BACKMAP/*.cpp) and PKG_WITH_INCL (includes Packages/BACKMAP.cmake)
CML="$LMP_SRC/cmake/CMakeLists.txt"
grep -q '^  BACKMAP$' "$CML" || sed -i 's/^  AWPMD$/  AWPMD\n  BACKMAP/' "$CML"
grep -q 'foreach(PKG_WITH_INCL BACKMAP ' "$CML" || \
  sed -i 's/^foreach(PKG_WITH_INCL KSPACE /foreach(PKG_WITH_INCL BACKMAP KSPACE /' "$CML"
if ! grep -q '^  BACKMAP$' "$CML" || ! grep -q 'foreach(PKG_WITH_INCL BACKMAP ' "$CML"; then
  echo "[build_lammps] patching $CML failed" >&2; exit 1
fi
# LAMMPS is built with exceptions, so that fix backmap/replica can report an error of its
# nested instance; this LAMMPS then throws from Error::one before flushing the message it has
# just logged, and lmp aborts with it unwritten. Flush first (upstream does so later).
ERR="$LMP_SRC/src/error.cpp"
if ! grep -q 'backmap: flush before the abort exception' "$ERR"; then
  sed -i 's|^  throw LAMMPSAbortException(mesg, world);|  if (screen) fflush(screen);    // backmap: flush before the abort exception\n  if (logfile) fflush(logfile);\n  throw LAMMPSAbortException(mesg, world);|' "$ERR"
  grep -q 'backmap: flush before the abort exception' "$ERR" || { echo "[build_lammps] patching $ERR failed" >&2; exit 1; }
fi

# ---------------------------------------------------------------- configure
stage "configure"
CMAKE_ARGS=(
  -G Ninja
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
  -DCMAKE_CXX_EXTENSIONS=OFF
  -DBUILD_MPI=ON
  -DLAMMPS_EXCEPTIONS=ON
  -DPKG_MOLECULE=ON
  -DPKG_RIGID=ON
  -DPKG_EXTRA-MOLECULE=ON
  -DPKG_BACKMAP=ON
  -DPKG_KOKKOS=ON -DEXTERNAL_KOKKOS=ON
  -DCMAKE_PROJECT_INCLUDE="$HERE/kokkos_include_fix.cmake"
)
# LAMMPS globs package sources only at configure time: re-run cmake when the
# set of our files (or the arguments above) changed; otherwise leave it to
# ninja, which re-runs cmake itself when a CMake input changed.
STAMP="$BUILD/.build_lammps.stamp"
want="$(printf '%s\n' "$LMP_SRC" "${CMAKE_ARGS[@]}";
        cd "$REPO/src" && ls -1 BACKMAP/*.cpp BACKMAP/*.h KOKKOS/*.cpp KOKKOS/*.h 2>/dev/null || true)"
if [ ! -f "$BUILD/CMakeCache.txt" ] || [ ! -f "$BUILD/build.ninja" ] || \
   [ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ]; then
  mkdir -p "$BUILD"
  cmake -S "$LMP_SRC/cmake" -B "$BUILD" "${CMAKE_ARGS[@]}"
  printf '%s\n' "$want" > "$STAMP"
else
  echo "[build_lammps] configured already ($BUILD)"
fi

# ---------------------------------------------------------------- build
stage "build (ninja -j$JOBS)"
ninja -C "$BUILD" -j "$JOBS" lmp
mkdir -p "$REPO/build/bin"
link "$BUILD/lmp" "$REPO/build/bin/lmp"

stage ""
printf '[build_lammps] %-22s %4ds\n' "total" $((SECONDS - T0))
echo "[build_lammps] binary: $BUILD/lmp (linked from $REPO/build/bin/lmp)"
