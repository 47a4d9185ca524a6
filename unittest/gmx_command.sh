#!/usr/bin/env bash
# Prints the GROMACS command the tests run and exits 0 when it is emulated: $BACKMAP_GMX where
# set; else, on a CPU without the rdtscp instruction (Debian's gmx mdrun stops at start there),
# gmx under Debian's qemu-user emulating a CPU that has it; else gmx (exit 1).
if [ -n "${BACKMAP_GMX:-}" ]; then echo "$BACKMAP_GMX"; exit 0; fi
if ! grep -qw rdtscp /proc/cpuinfo 2>/dev/null && command -v qemu-x86_64 > /dev/null; then
  echo "qemu-x86_64 -cpu max /usr/bin/gmx"; exit 0
fi
echo gmx; exit 1
