#include "memory_reuse.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace BACKMAP {

void keep_freed_memory_for_reuse()
{
#if defined(__GLIBC__)
  static const bool done = [] {
    // blocks below 1 GiB come from the heap, and up to 1 GiB of freed heap stays with the process
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return true;
  }();
  (void) done;
#endif
}

}    // namespace BACKMAP
