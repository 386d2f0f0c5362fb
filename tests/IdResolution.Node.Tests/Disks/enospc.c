/*
 * Fault injection at the file layer for the disk-full tests: preloaded into a node process
 * (LD_PRELOAD), it makes every write to a file under $IDRES_ENOSPC_DIR fail with ENOSPC while the
 * file $IDRES_ENOSPC_TRIGGER exists, exactly as a full disk would answer RocksDB and .NET alike.
 * Everything else (other files, pipes, sockets) is written as usual.
 * Built by the tests: cc -shared -fPIC -O2 -o libidres-enospc.so enospc.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int full(int fd)
{
    const char *dir = getenv("IDRES_ENOSPC_DIR");
    const char *trigger = getenv("IDRES_ENOSPC_TRIGGER");
    if (dir == NULL || trigger == NULL || access(trigger, F_OK) != 0) {
        return 0;
    }

    char link[64];
    char path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, path, sizeof path - 1);
    if (length <= 0) {
        return 0;
    }

    path[length] = '\0';
    size_t prefix = strlen(dir);
    return strncmp(path, dir, prefix) == 0 && (path[prefix] == '/' || path[prefix] == '\0');
}

#define REAL(name) static __typeof__(&name) real_##name; if (real_##name == NULL) { real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name); }
#define REFUSE_IF_FULL(fd) if (full(fd)) { errno = ENOSPC; return -1; }

ssize_t write(int fd, const void *buffer, size_t count)
{
    REAL(write);
    REFUSE_IF_FULL(fd);
    return real_write(fd, buffer, count);
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset)
{
    REAL(pwrite);
    REFUSE_IF_FULL(fd);
    return real_pwrite(fd, buffer, count, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off64_t offset)
{
    REAL(pwrite64);
    REFUSE_IF_FULL(fd);
    return real_pwrite64(fd, buffer, count, offset);
}

ssize_t writev(int fd, const struct iovec *vector, int count)
{
    REAL(writev);
    REFUSE_IF_FULL(fd);
    return real_writev(fd, vector, count);
}

ssize_t pwritev(int fd, const struct iovec *vector, int count, off_t offset)
{
    REAL(pwritev);
    REFUSE_IF_FULL(fd);
    return real_pwritev(fd, vector, count, offset);
}

ssize_t pwritev64(int fd, const struct iovec *vector, int count, off64_t offset)
{
    REAL(pwritev64);
    REFUSE_IF_FULL(fd);
    return real_pwritev64(fd, vector, count, offset);
}

int fallocate(int fd, int mode, off_t offset, off_t length)
{
    REAL(fallocate);
    REFUSE_IF_FULL(fd);
    return real_fallocate(fd, mode, offset, length);
}

int fallocate64(int fd, int mode, off64_t offset, off64_t length)
{
    REAL(fallocate64);
    REFUSE_IF_FULL(fd);
    return real_fallocate64(fd, mode, offset, length);
}
