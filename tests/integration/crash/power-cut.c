/*
 * A power cut for the crash test (tests/integration/crash/power-cut.ts),
 * loaded into the server with LD_PRELOAD.
 *
 * SIGKILL alone cannot show a missing fsync: the kernel keeps everything the
 * process wrote, synced or not. A power cut keeps only what was synced. This
 * library records, before every write SQLite makes to a file under
 * $LIFELINE_POWER_CUT_DIR (the database and its WAL; never the -shm index),
 * the bytes and the size it is about to change, in "<file>.pcundo". An fsync
 * or fdatasync of the file empties its undo log (those writes are on disk
 * now). After the SIGKILL the test plays the undo logs backwards: the files
 * are then exactly what the disk would hold had the power gone at that moment
 * and none of the unsynced writes reached it, the case that loses most.
 *
 * Only the calls SQLite makes to change a file are caught (pwrite, pwrite64,
 * ftruncate, ftruncate64, fsync, fdatasync, unlink); everything else, and
 * every other file, goes straight through.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define UNDO_SUFFIX ".pcundo"
#define SLOTS 16

enum { KIND_WRITE = 1, KIND_TRUNCATE = 2 };

/* One undo record, followed by `saved` bytes: the file's old content at `offset`. */
struct record {
  uint64_t kind;
  uint64_t offset;   /* where the write went, or the new length of a truncate */
  uint64_t old_size; /* the file's size before */
  uint64_t saved;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char prefix[PATH_MAX];
static size_t prefix_len;
static int initialised;

static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_unlink)(const char *);

static struct {
  char path[PATH_MAX];
  int fd;
} undo[SLOTS];

static void init(void) {
  if (initialised) return;
  real_pwrite = dlsym(RTLD_NEXT, "pwrite");
  real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
  real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
  real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
  real_unlink = dlsym(RTLD_NEXT, "unlink");
  const char *dir = getenv("LIFELINE_POWER_CUT_DIR");
  if (dir && *dir && strlen(dir) + 2 < sizeof prefix) {
    snprintf(prefix, sizeof prefix, "%s/", dir);
    prefix_len = strlen(prefix);
  }
  for (int i = 0; i < SLOTS; i++) undo[i].fd = -1;
  initialised = 1;
}

__attribute__((constructor)) static void setup(void) { init(); }

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int tracked_path(const char *path) {
  return prefix_len > 0 && strncmp(path, prefix, prefix_len) == 0 && !ends_with(path, "-shm") &&
         !ends_with(path, UNDO_SUFFIX) && !ends_with(path, " (deleted)");
}

/* The file behind fd, when it is one we track. */
static int tracked_fd(int fd, char *path) {
  if (prefix_len == 0) return 0;
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, PATH_MAX - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  return tracked_path(path);
}

/* The undo log's descriptor for a tracked file (lock held). */
static int undo_fd(const char *path) {
  int free_slot = -1;
  for (int i = 0; i < SLOTS; i++) {
    if (undo[i].fd >= 0 && strcmp(undo[i].path, path) == 0) return undo[i].fd;
    if (undo[i].fd < 0 && free_slot < 0) free_slot = i;
  }
  char name[PATH_MAX + sizeof UNDO_SUFFIX];
  snprintf(name, sizeof name, "%s%s", path, UNDO_SUFFIX);
  int fd = open(name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  if (free_slot < 0) {
    close(undo[0].fd);
    free_slot = 0;
  }
  snprintf(undo[free_slot].path, PATH_MAX, "%s", path);
  undo[free_slot].fd = fd;
  return fd;
}

static void forget(const char *path) {
  for (int i = 0; i < SLOTS; i++) {
    if (undo[i].fd >= 0 && strcmp(undo[i].path, path) == 0) {
      close(undo[i].fd);
      undo[i].fd = -1;
    }
  }
}

/* Appends one record: the bytes [from, from + count) of fd as they are now (lock held). */
static int save(const char *path, int fd, uint64_t kind, uint64_t offset, uint64_t from, uint64_t count) {
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  uint64_t old_size = (uint64_t)st.st_size;
  uint64_t saved = from < old_size ? (count < old_size - from ? count : old_size - from) : 0;
  size_t total = sizeof(struct record) + saved;
  char *buffer = malloc(total);
  if (!buffer) return -1;
  struct record head = {kind, offset, old_size, saved};
  memcpy(buffer, &head, sizeof head);
  uint64_t got = 0;
  while (got < saved) {
    ssize_t n = pread(fd, buffer + sizeof head + got, saved - got, (off_t)(from + got));
    if (n <= 0) {
      free(buffer);
      return -1;
    }
    got += (uint64_t)n;
  }
  int log = undo_fd(path);
  ssize_t written = log < 0 ? -1 : write(log, buffer, total);
  free(buffer);
  return written == (ssize_t)total ? 0 : -1;
}

/* A record that cannot be kept would make the power cut lie: stop at once, loudly. */
static void must(int ok, const char *what) {
  if (ok == 0) return;
  fprintf(stderr, "power-cut: could not record %s (errno %d)\n", what, errno);
  abort();
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  init();
  char path[PATH_MAX];
  if (!tracked_fd(fd, path)) return real_pwrite64(fd, buf, count, offset);
  pthread_mutex_lock(&lock);
  must(save(path, fd, KIND_WRITE, (uint64_t)offset, (uint64_t)offset, count), "a write");
  ssize_t n = real_pwrite64(fd, buf, count, offset);
  pthread_mutex_unlock(&lock);
  return n;
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  init();
  char path[PATH_MAX];
  if (!tracked_fd(fd, path)) return real_pwrite(fd, buf, count, offset);
  pthread_mutex_lock(&lock);
  must(save(path, fd, KIND_WRITE, (uint64_t)offset, (uint64_t)offset, count), "a write");
  ssize_t n = real_pwrite(fd, buf, count, offset);
  pthread_mutex_unlock(&lock);
  return n;
}

static int truncate_with_undo(int fd, uint64_t length, int wide) {
  char path[PATH_MAX];
  if (!tracked_fd(fd, path)) return wide ? real_ftruncate64(fd, (off64_t)length) : real_ftruncate(fd, (off_t)length);
  pthread_mutex_lock(&lock);
  must(save(path, fd, KIND_TRUNCATE, length, length, UINT64_MAX), "a truncate");
  int rc = wide ? real_ftruncate64(fd, (off64_t)length) : real_ftruncate(fd, (off_t)length);
  pthread_mutex_unlock(&lock);
  return rc;
}

int ftruncate(int fd, off_t length) {
  init();
  return truncate_with_undo(fd, (uint64_t)length, 0);
}

int ftruncate64(int fd, off64_t length) {
  init();
  return truncate_with_undo(fd, (uint64_t)length, 1);
}

/* After a successful sync nothing before it can be lost: the undo log starts again. */
static int sync_with_undo(int fd, int data_only) {
  char path[PATH_MAX];
  if (!tracked_fd(fd, path)) return data_only ? real_fdatasync(fd) : real_fsync(fd);
  pthread_mutex_lock(&lock);
  int rc = data_only ? real_fdatasync(fd) : real_fsync(fd);
  if (rc == 0) {
    int log = undo_fd(path);
    if (log >= 0) must(real_ftruncate(log, 0), "a sync");
  }
  pthread_mutex_unlock(&lock);
  return rc;
}

int fsync(int fd) {
  init();
  return sync_with_undo(fd, 0);
}

int fdatasync(int fd) {
  init();
  return sync_with_undo(fd, 1);
}

/* SQLite deletes the WAL after a clean close's checkpoint: its undo log goes with it. */
int unlink(const char *path) {
  init();
  if (!tracked_path(path)) return real_unlink(path);
  pthread_mutex_lock(&lock);
  int rc = real_unlink(path);
  if (rc == 0) {
    forget(path);
    char name[PATH_MAX + sizeof UNDO_SUFFIX];
    snprintf(name, sizeof name, "%s%s", path, UNDO_SUFFIX);
    real_unlink(name);
  }
  pthread_mutex_unlock(&lock);
  return rc;
}
