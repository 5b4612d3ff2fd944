// Reserving a file's blocks before writing it, as numpy's tofile does
// (npy_fallocate). Measured on ext4 (dev VM, 400 MB): without it the
// blocks are allocated at close or rename (ext4's auto_da_alloc on a
// replaced file) and a write costs 0.35 s instead of 0.1 s; with it a
// full disk is also reported before anything is written.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE  // fallocate
#endif
#include "CBlockwiseFormats.h"

#include <errno.h>
#include <fcntl.h>

int bw_preallocate(int fd, long bytes) {
#if defined(__linux__)
  if (bytes <= 0) return 0;
  if (fallocate(fd, 0, 0, (off_t)bytes) == 0) return 0;
  // Filesystems without fallocate (some network and FUSE ones): write as
  // usual; only a lack of space is an error.
  return errno == ENOSPC || errno == EFBIG ? errno : 0;
#else
  (void)fd;
  (void)bytes;
  return 0;
#endif
}
