/* BACKMAP core: keeping freed memory for reuse. Every frame the network allocates and frees
   tensors of the same sizes, megabytes each. glibc hands blocks that large straight back to the
   system when they are freed (mmap/munmap), so every frame paid for fresh, zero-filled pages
   again: about a quarter of fix backmap's time at 10k beads (bench/README.md). */
#ifndef BACKMAP_MEMORY_REUSE_H
#define BACKMAP_MEMORY_REUSE_H

namespace BACKMAP {

// Asks the C library to serve large blocks from its heap and keep freed memory for the next
// frame (glibc: mallopt thresholds; elsewhere nothing). The process's peak memory is unchanged;
// what it frees is not returned to the system. Called once by the backmappers; idempotent.
void keep_freed_memory_for_reuse();

}    // namespace BACKMAP

#endif
