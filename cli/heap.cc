#include "heap.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define ASSAY_SANITIZED_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ASSAY_SANITIZED_ALLOCATOR 1
#endif

namespace assay::cli {

#if defined(__GLIBC__) && !defined(ASSAY_SANITIZED_ALLOCATOR)

void PrepareHeapForOneCommand() {
  static bool done = false;
  if (done) return;
  done = true;
  constexpr size_t kMiB = size_t{1} << 20;
  constexpr size_t kGrowth = 64 * kMiB;  // each extension of the heap
  constexpr uintptr_t kHugePage = 2 * kMiB;  // x86-64 and arm64 (4 KiB base pages)
  // Blocks up to 32 MiB (glibc's largest threshold) from the heap: the
  // default maps anything over 128 KiB by itself and unmaps it when freed,
  // so that every reuse faults again.
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMiB));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(1024 * kMiB));
  mallopt(M_TOP_PAD, static_cast<int>(kGrowth));
  // Grow the heap now, by kGrowth, and ask for huge pages over it: one
  // fault then makes 2 MiB present instead of 4 KiB.
  const uintptr_t before = reinterpret_cast<uintptr_t>(sbrk(0));
  void* probe = std::malloc(kMiB);
  if (probe != nullptr) static_cast<volatile char*>(probe)[0] = 0;  // kept: not elided with its free
  const uintptr_t after = reinterpret_cast<uintptr_t>(sbrk(0));
  std::free(probe);
  const uintptr_t start = (before + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = after & ~(kHugePage - 1);
  // Without huge pages (a kernel without them, or "never") this fails and
  // nothing else changes.
  if (before != static_cast<uintptr_t>(-1) && end > start)
    (void)madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
}

#else

void PrepareHeapForOneCommand() {}

#endif

}  // namespace assay::cli
