/*
 * The file store: every file kept once, under root/ab/cd/<sha256 hex>, where abcd...
 * is its digest (root is MOTCUA_FILES_DIR). Nothing is named by the client.
 *
 * Writing is two-phase, around the caller's database transaction:
 *   1. fs_writer_open / fs_writer_write / fs_writer_finish stream the bytes into a
 *      temporary file in root/tmp while hashing them; finish fsyncs the data and gives
 *      the file a name that carries its digest (root/tmp/<hex>.<random>.staged), then
 *      fsyncs root/tmp, so the staged file survives a crash;
 *   2. after the database commit, filestore_commit renames it into place (or drops it
 *      if that content is already stored) and fsyncs the directory; after a rollback,
 *      filestore_abort deletes it.
 * A crash leaves only files in root/tmp. filestore_sweep, at startup, deletes the ones
 * older than an hour, except staged files whose digest the database refers to (the
 * crash came after the commit, before the rename): those it commits. So neither a
 * crash nor a failed commit leaves a file nobody refers to, or a row without its file.
 *
 * Paths are at most FS_PATH_MAX bytes; root must leave room for
 * "/tmp/<64 hex>.<32 hex>.staged" (an error otherwise). Not thread-bound: several
 * threads and processes may share one root (names are random, renames atomic).
 * These functions never log; they return an fs_error and keep errno.
 */
#ifndef MOTCUA_CORE_FILESTORE_H
#define MOTCUA_CORE_FILESTORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define FS_HEX_LEN      64
#define FS_PATH_MAX     1024
#define FS_REL_MAX      (6 + FS_HEX_LEN + 1)    /* "ab/cd/" hex NUL */
#define FS_SWEEP_AGE    (60 * 60)               /* seconds */

enum fs_error {
	FS_OK = 0,
	FS_ERR_IO,              /* a system call failed: errno says which */
	FS_ERR_LIMIT,           /* the file is larger than the writer's limit */
	FS_ERR_CRYPTO,          /* the SHA-256 context or the random name failed */
	FS_ERR_PATH,            /* root too long for the paths it needs */
	FS_ERR_DIGEST,          /* not 64 lowercase hex digits */
	FS_ERR_NOT_FOUND,
	FS_ERR_USAGE,           /* a writer used after finish or abort */
	FS_ERR__MAX
};

const char *fs_strerror(enum fs_error e);

/* A complete file waiting in root/tmp for the commit. */
struct fs_staged {
	char path[FS_PATH_MAX];
	char hex[FS_HEX_LEN + 1];
	unsigned char digest[32];
	uint64_t size;
};

struct fs_writer {
	int fd;                         /* -1 once finished or aborted */
	void *md;                       /* EVP_MD_CTX, owned */
	uint64_t size, limit;
	char path[FS_PATH_MAX];         /* root/tmp/<random>.part */
	char tmpdir[FS_PATH_MAX];       /* root/tmp */
};

/* Creates root and root/tmp (mode 0750) if missing. */
enum fs_error filestore_init(const char *root);

/*
 * Opens a new temporary file (O_EXCL, O_CLOEXEC, O_NOFOLLOW, mode 0640) for at most
 * limit bytes. On error w holds nothing to release; on success release it with
 * fs_writer_finish or fs_writer_abort.
 */
enum fs_error fs_writer_open(struct fs_writer *w, const char *root, uint64_t limit);

/*
 * Appends len bytes and hashes them. FS_ERR_LIMIT as soon as the total would pass the
 * limit (nothing of this chunk is written); the writer stays open for fs_writer_abort.
 */
enum fs_error fs_writer_write(struct fs_writer *w, const void *data, size_t len);

/*
 * Completes the file: digest, fsync, staged name, fsync of root/tmp; fills *st. The
 * writer is released either way; on error its file is deleted.
 */
enum fs_error fs_writer_finish(struct fs_writer *w, struct fs_staged *st);

/* Deletes the temporary file and releases the writer. Safe to call again. */
void fs_writer_abort(struct fs_writer *w);

/*
 * Moves a staged file into root/ab/cd/<hex> (creating the directories), or deletes it
 * if that digest is already stored; fsyncs what changed. After FS_OK the staged file
 * is gone. On error it stays in root/tmp (the sweep will settle it).
 */
enum fs_error filestore_commit(const char *root, const struct fs_staged *st);

/* Deletes a staged file (rollback). FS_OK also when it is already gone. */
enum fs_error filestore_abort(const struct fs_staged *st);

/*
 * "ab/cd/<hex>": the file's path under root, e.g. for an X-Accel-Redirect to an
 * internal nginx location whose alias is root. FS_ERR_DIGEST if hex is not 64
 * lowercase hex digits.
 */
enum fs_error filestore_rel_path(const char *hex, char out[FS_REL_MAX]);

/*
 * Opens a stored file for reading by its digest: returns a file descriptor
 * (O_RDONLY, O_CLOEXEC, O_NOFOLLOW; the caller closes it) and its size, or -1 with
 * *err set (FS_ERR_NOT_FOUND if there is no such file).
 */
int filestore_open(const char *root, const char *hex, uint64_t *size, enum fs_error *err);

/*
 * Returns 1 if the database refers to the file with this digest, 0 if not, -1 if it
 * cannot tell now (the file is kept for the next sweep).
 */
typedef int (*fs_referenced_fn)(void *ctx, const char *hex);

struct fs_sweep_stats {
	unsigned removed;       /* temporary and unreferenced staged files deleted */
	unsigned committed;     /* staged files the database refers to, moved into place */
	unsigned kept;          /* too young, undecided, or a commit that failed */
};

/*
 * Settles what a crash left in root/tmp: files of ours (".part", ".staged") last
 * modified more than max_age seconds before now. referenced may be NULL (then every
 * old staged file is deleted). Other files are left alone. Returns FS_OK, or
 * FS_ERR_IO if root/tmp cannot be read.
 */
enum fs_error filestore_sweep(const char *root, time_t now, time_t max_age,
                              fs_referenced_fn referenced, void *ctx,
                              struct fs_sweep_stats *stats);

#endif
