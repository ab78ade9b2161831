/*
 * Content-addressed file store: see filestore.h for the two-phase write and the sweep.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "filestore.h"

#define RAND_HEX_LEN    32              /* 16 random bytes */
#define PART_SUFFIX     ".part"
#define STAGED_SUFFIX   ".staged"
#define FILE_MODE       0640            /* nginx's group may read, for X-Accel-Redirect */
#define DIR_MODE        0750

static const char *const messages[FS_ERR__MAX] = {
	[FS_OK] = "No error.",
	[FS_ERR_IO] = "A file system operation failed.",
	[FS_ERR_LIMIT] = "The file is larger than allowed.",
	[FS_ERR_CRYPTO] = "Hashing or the random generator failed.",
	[FS_ERR_PATH] = "The file store's directory name is too long.",
	[FS_ERR_DIGEST] = "Not a SHA-256 digest in lowercase hex.",
	[FS_ERR_NOT_FOUND] = "No such file in the store.",
	[FS_ERR_USAGE] = "The file writer was used after it was released.",
};

const char *fs_strerror(enum fs_error e)
{
	if ((unsigned)e >= FS_ERR__MAX)
		return "Unknown file store error.";
	return messages[e];
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int is_digest(const char *hex)
{
	return hex && strnlen(hex, FS_HEX_LEN + 1) == FS_HEX_LEN && is_hex(hex, FS_HEX_LEN);
}

/* snprintf that reports truncation as an error. */
static int path_fmt(char *out, size_t outsz, const char *a, const char *b)
{
	int n = snprintf(out, outsz, "%s/%s", a, b);

	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc, saved;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* mkdir that accepts an existing directory; fsyncs parent when it created dir. */
static int make_dir(const char *dir, const char *parent)
{
	struct stat sb;

	if (mkdir(dir, DIR_MODE) == 0)
		return parent ? fsync_dir(parent) : 0;
	if (errno != EEXIST)
		return -1;
	if (stat(dir, &sb) != 0)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

enum fs_error filestore_init(const char *root)
{
	char tmp[FS_PATH_MAX], path[FS_PATH_MAX];

	if (root == NULL || *root == '\0' || path_fmt(tmp, sizeof tmp, root, "tmp") != 0)
		return FS_ERR_PATH;
	/* mkdir -p for root itself: parents of a relative or absolute path, in order */
	for (size_t i = 1, n = strlen(root); i <= n; i++) {
		if (root[i] != '/' && root[i] != '\0')
			continue;
		memcpy(path, root, i);
		path[i] = '\0';
		if (make_dir(path, NULL) != 0)
			return FS_ERR_IO;
	}
	return make_dir(tmp, root) == 0 ? FS_OK : FS_ERR_IO;
}

enum fs_error fs_writer_open(struct fs_writer *w, const char *root, uint64_t limit)
{
	unsigned char rnd[RAND_HEX_LEN / 2];
	char name[RAND_HEX_LEN + sizeof PART_SUFFIX];
	enum fs_error ret = FS_ERR_IO;
	EVP_MD_CTX *md = NULL;
	int fd = -1;

	memset(w, 0, sizeof *w);
	w->fd = -1;
	if (root == NULL || path_fmt(w->tmpdir, sizeof w->tmpdir, root, "tmp") != 0 ||
	    strlen(w->tmpdir) + 1 + FS_HEX_LEN + 1 + RAND_HEX_LEN + sizeof STAGED_SUFFIX > FS_PATH_MAX)
		return FS_ERR_PATH;
	if ((md = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		ret = FS_ERR_CRYPTO;
		goto out;
	}
	/* a collision of 128 random bits is not going to happen; O_EXCL makes sure */
	if (RAND_bytes(rnd, sizeof rnd) != 1) {
		ret = FS_ERR_CRYPTO;
		goto out;
	}
	to_hex(rnd, sizeof rnd, name);
	memcpy(name + RAND_HEX_LEN, PART_SUFFIX, sizeof PART_SUFFIX);
	if (path_fmt(w->path, sizeof w->path, w->tmpdir, name) != 0) {
		ret = FS_ERR_PATH;
		goto out;
	}
	fd = open(w->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, FILE_MODE);
	if (fd < 0)
		goto out;
	if (fchmod(fd, FILE_MODE) != 0) {       /* whatever the umask */
		int saved = errno;
		close(fd);
		unlink(w->path);
		errno = saved;
		fd = -1;
		goto out;
	}
	w->fd = fd;
	w->md = md;
	w->limit = limit;
	md = NULL;
	ret = FS_OK;
out:
	EVP_MD_CTX_free(md);
	return ret;
}

enum fs_error fs_writer_write(struct fs_writer *w, const void *data, size_t len)
{
	const char *p = data;
	size_t left = len;

	if (w->fd < 0)
		return FS_ERR_USAGE;
	if (len > w->limit - w->size)           /* size <= limit always holds */
		return FS_ERR_LIMIT;
	if (EVP_DigestUpdate(w->md, data, len) != 1)
		return FS_ERR_CRYPTO;
	while (left > 0) {
		ssize_t n = write(w->fd, p, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return FS_ERR_IO;
		}
		p += n;
		left -= (size_t)n;
	}
	w->size += len;
	return FS_OK;
}

void fs_writer_abort(struct fs_writer *w)
{
	if (w->fd >= 0) {
		close(w->fd);
		unlink(w->path);
		w->fd = -1;
	}
	EVP_MD_CTX_free(w->md);
	w->md = NULL;
}

enum fs_error fs_writer_finish(struct fs_writer *w, struct fs_staged *st)
{
	char rnd_hex[RAND_HEX_LEN + 1];
	const char *slash, *part_name;
	unsigned int dlen = 0;
	enum fs_error ret = FS_ERR_IO;
	int fd = w->fd, saved;

	memset(st, 0, sizeof *st);
	if (fd < 0)
		return FS_ERR_USAGE;
	w->fd = -1;                             /* from here the file is ours to settle */
	if (EVP_DigestFinal_ex(w->md, st->digest, &dlen) != 1 || dlen != sizeof st->digest) {
		ret = FS_ERR_CRYPTO;
		close(fd);
		goto fail;
	}
	to_hex(st->digest, sizeof st->digest, st->hex);
	if (fsync(fd) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		goto fail;
	}
	if (close(fd) != 0)
		goto fail;
	/* root/tmp/<hex>.<random>.staged, the random part taken from the .part name */
	slash = strrchr(w->path, '/');
	part_name = slash ? slash + 1 : w->path;
	memcpy(rnd_hex, part_name, RAND_HEX_LEN);
	rnd_hex[RAND_HEX_LEN] = '\0';
	if (snprintf(st->path, sizeof st->path, "%s/%s.%s%s", w->tmpdir, st->hex, rnd_hex,
	             STAGED_SUFFIX) >= (int)sizeof st->path) {
		ret = FS_ERR_PATH;
		goto fail;
	}
	if (rename(w->path, st->path) != 0)
		goto fail;
	st->size = w->size;
	if (fsync_dir(w->tmpdir) != 0) {
		saved = errno;
		unlink(st->path);
		errno = saved;
		goto release;
	}
	ret = FS_OK;
	goto release;
fail:
	saved = errno;
	unlink(w->path);
	errno = saved;
release:
	EVP_MD_CTX_free(w->md);
	w->md = NULL;
	if (ret != FS_OK)
		memset(st, 0, sizeof *st);
	return ret;
}

enum fs_error filestore_rel_path(const char *hex, char out[FS_REL_MAX])
{
	if (!is_digest(hex))
		return FS_ERR_DIGEST;
	snprintf(out, FS_REL_MAX, "%.2s/%.2s/%s", hex, hex + 2, hex);
	return FS_OK;
}

enum fs_error filestore_commit(const char *root, const struct fs_staged *st)
{
	char d1[FS_PATH_MAX], d2[FS_PATH_MAX], final[FS_PATH_MAX], part[3];

	if (!is_digest(st->hex))
		return FS_ERR_DIGEST;
	memcpy(part, st->hex, 2);
	part[2] = '\0';
	if (path_fmt(d1, sizeof d1, root, part) != 0)
		return FS_ERR_PATH;
	memcpy(part, st->hex + 2, 2);
	if (path_fmt(d2, sizeof d2, d1, part) != 0 || path_fmt(final, sizeof final, d2, st->hex) != 0)
		return FS_ERR_PATH;
	if (make_dir(d1, root) != 0 || make_dir(d2, d1) != 0)
		return FS_ERR_IO;
	if (renameat2(AT_FDCWD, st->path, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
		return fsync_dir(d2) == 0 ? FS_OK : FS_ERR_IO;
	if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
		/* a file system without RENAME_NOREPLACE (NFS): check, then rename */
		struct stat sb;
		if (lstat(final, &sb) != 0) {
			if (errno != ENOENT || rename(st->path, final) != 0)
				return FS_ERR_IO;
			return fsync_dir(d2) == 0 ? FS_OK : FS_ERR_IO;
		}
	} else if (errno != EEXIST) {
		return FS_ERR_IO;
	}
	/* that content is stored already: stored once */
	if (unlink(st->path) != 0 && errno != ENOENT)
		return FS_ERR_IO;
	return FS_OK;
}

enum fs_error filestore_abort(const struct fs_staged *st)
{
	if (st->path[0] == '\0')
		return FS_OK;
	if (unlink(st->path) != 0 && errno != ENOENT)
		return FS_ERR_IO;
	return FS_OK;
}

int filestore_open(const char *root, const char *hex, uint64_t *size, enum fs_error *err)
{
	char rel[FS_REL_MAX], path[FS_PATH_MAX];
	struct stat sb;
	int fd;

	*err = filestore_rel_path(hex, rel);
	if (*err != FS_OK)
		return -1;
	if (path_fmt(path, sizeof path, root, rel) != 0) {
		*err = FS_ERR_PATH;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		*err = errno == ENOENT ? FS_ERR_NOT_FOUND : FS_ERR_IO;
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		*err = FS_ERR_IO;
		return -1;
	}
	*size = (uint64_t)sb.st_size;
	*err = FS_OK;
	return fd;
}

/* Which of our temporary names is this: 1 ".part", 2 ".staged", 0 not ours. */
static int tmp_kind(const char *name)
{
	size_t n = strlen(name);

	if (n == RAND_HEX_LEN + sizeof PART_SUFFIX - 1 && is_hex(name, RAND_HEX_LEN) &&
	    strcmp(name + RAND_HEX_LEN, PART_SUFFIX) == 0)
		return 1;
	if (n == FS_HEX_LEN + 1 + RAND_HEX_LEN + sizeof STAGED_SUFFIX - 1 &&
	    is_hex(name, FS_HEX_LEN) && name[FS_HEX_LEN] == '.' &&
	    is_hex(name + FS_HEX_LEN + 1, RAND_HEX_LEN) &&
	    strcmp(name + FS_HEX_LEN + 1 + RAND_HEX_LEN, STAGED_SUFFIX) == 0)
		return 2;
	return 0;
}

enum fs_error filestore_sweep(const char *root, time_t now, time_t max_age,
                              fs_referenced_fn referenced, void *ctx,
                              struct fs_sweep_stats *stats)
{
	char tmpdir[FS_PATH_MAX];
	struct dirent *e;
	DIR *d;

	memset(stats, 0, sizeof *stats);
	if (path_fmt(tmpdir, sizeof tmpdir, root, "tmp") != 0)
		return FS_ERR_PATH;
	if ((d = opendir(tmpdir)) == NULL)
		return FS_ERR_IO;
	while ((e = readdir(d)) != NULL) {
		int kind = tmp_kind(e->d_name), ref = 0;
		struct stat sb;

		if (kind == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (sb.st_mtime > now || now - sb.st_mtime < max_age) {
			stats->kept++;                  /* an upload may still be writing it */
			continue;
		}
		if (kind == 2 && referenced) {
			char hex[FS_HEX_LEN + 1];
			memcpy(hex, e->d_name, FS_HEX_LEN);
			hex[FS_HEX_LEN] = '\0';
			ref = referenced(ctx, hex);
		}
		if (ref == 1) {
			struct fs_staged st;
			memset(&st, 0, sizeof st);
			memcpy(st.hex, e->d_name, FS_HEX_LEN);
			st.size = (uint64_t)sb.st_size;
			if (path_fmt(st.path, sizeof st.path, tmpdir, e->d_name) == 0 &&
			    filestore_commit(root, &st) == FS_OK)
				stats->committed++;
			else
				stats->kept++;
		} else if (ref < 0) {
			stats->kept++;
		} else if (unlinkat(dirfd(d), e->d_name, 0) == 0) {
			stats->removed++;
		} else {
			stats->kept++;
		}
	}
	closedir(d);
	return FS_OK;
}
