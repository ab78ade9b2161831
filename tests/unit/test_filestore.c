/*
 * Tests for core/filestore in a fresh temporary directory each: write, stage, commit to
 * ab/cd/<hex>; the same content stored once; abort; the size limit; the crash sweep;
 * reading by digest. Each test also checks that the OpenSSL error queue is empty.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/err.h>

#include "core/filestore.h"

#define LIT(s) s, sizeof(s) - 1
#define ABC_HEX   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY_HEX "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct env {
	char root[64];
	char path[FS_PATH_MAX];
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL)
		return -1;
	strcpy(e->root, "/tmp/motcua-fs-XXXXXX");
	if (mkdtemp(e->root) == NULL || filestore_init(e->root) != FS_OK) {
		free(e);
		return -1;
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	unsigned long err = ERR_peek_error();

	nftw(e->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(e);
	if (err != 0) {
		fprintf(stderr, "OpenSSL error queue not empty: %lu\n", err);
		return -1;
	}
	return 0;
}

static const char *at(struct env *e, const char *rel)
{
	snprintf(e->path, sizeof e->path, "%s/%s", e->root, rel);
	return e->path;
}

/* Entries in a directory, "." and ".." not counted; -1 if it does not exist. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void read_all(const char *path, char *buf, size_t cap, size_t *len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, cap);
	assert_true(n >= 0);
	*len = (size_t)n;
	close(fd);
}

/* Writes data (chunk bytes at a time) and stages it. */
static void stage(struct env *e, const char *data, size_t len, size_t chunk, struct fs_staged *st)
{
	struct fs_writer w;

	assert_int_equal(fs_writer_open(&w, e->root, 1 << 20), FS_OK);
	for (size_t off = 0; off < len; off += chunk)
		assert_int_equal(fs_writer_write(&w, data + off, len - off < chunk ? len - off : chunk), FS_OK);
	assert_int_equal(fs_writer_finish(&w, st), FS_OK);
}

static void test_write_commit(void **state)
{
	struct env *e = *state;
	struct fs_staged st;
	struct stat sb;
	char buf[16];
	size_t n;

	stage(e, LIT("abc"), 1, &st);
	assert_string_equal(st.hex, ABC_HEX);
	assert_int_equal(st.size, 3);
	/* staged: in tmp, named by its digest, data on disk, not yet in the store */
	assert_int_equal(count_entries(at(e, "tmp")), 1);
	assert_non_null(strstr(st.path, "/tmp/" ABC_HEX "."));
	assert_int_equal(count_entries(at(e, "ba")), -1);

	assert_int_equal(filestore_commit(e->root, &st), FS_OK);
	assert_int_equal(count_entries(at(e, "tmp")), 0);
	assert_int_equal(stat(at(e, "ba/78/" ABC_HEX), &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0640);
	assert_int_equal(sb.st_size, 3);
	read_all(e->path, buf, sizeof buf, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(stat(at(e, "ba/78"), &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0750);
}

static void test_chunking_does_not_change_digest(void **state)
{
	struct env *e = *state;
	static char data[100000];
	struct fs_staged a, b;

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)(i * 7 + i / 251);
	stage(e, data, sizeof data, sizeof data, &a);
	stage(e, data, sizeof data, 1, &b);
	assert_string_equal(a.hex, b.hex);
	assert_int_equal(a.size, sizeof data);
	assert_string_not_equal(a.path, b.path);
	assert_int_equal(filestore_abort(&a), FS_OK);
	assert_int_equal(filestore_abort(&b), FS_OK);
}

static void test_same_content_stored_once(void **state)
{
	struct env *e = *state;
	struct fs_staged a, b, c;
	struct stat first, after;

	stage(e, LIT("abc"), 3, &a);
	stage(e, LIT("abc"), 2, &b);
	stage(e, LIT("abd"), 3, &c);
	assert_int_equal(count_entries(at(e, "tmp")), 3);
	assert_int_equal(filestore_commit(e->root, &a), FS_OK);
	assert_int_equal(stat(at(e, "ba/78/" ABC_HEX), &first), 0);
	assert_int_equal(filestore_commit(e->root, &b), FS_OK);
	assert_int_equal(stat(at(e, "ba/78/" ABC_HEX), &after), 0);
	assert_int_equal(first.st_ino, after.st_ino);   /* the second was dropped, not moved over */
	assert_int_equal(count_entries(at(e, "ba/78")), 1);
	assert_int_equal(count_entries(at(e, "tmp")), 1);
	assert_int_equal(filestore_commit(e->root, &c), FS_OK);
	assert_int_equal(count_entries(at(e, "tmp")), 0);
	assert_int_equal(count_entries(e->root), 3);     /* tmp, ba, and c's directory */
}

static void test_abort_leaves_nothing(void **state)
{
	struct env *e = *state;
	struct fs_writer w;
	struct fs_staged st;

	/* abort while writing */
	assert_int_equal(fs_writer_open(&w, e->root, 100), FS_OK);
	assert_int_equal(fs_writer_write(&w, LIT("partial")), FS_OK);
	assert_int_equal(count_entries(at(e, "tmp")), 1);
	fs_writer_abort(&w);
	fs_writer_abort(&w);                            /* twice is fine */
	assert_int_equal(count_entries(at(e, "tmp")), 0);
	assert_int_equal(fs_writer_write(&w, "x", 1), FS_ERR_USAGE);
	assert_int_equal(fs_writer_finish(&w, &st), FS_ERR_USAGE);

	/* abort after staging (the database rolled back) */
	stage(e, LIT("abc"), 3, &st);
	assert_int_equal(filestore_abort(&st), FS_OK);
	assert_int_equal(filestore_abort(&st), FS_OK);  /* already gone: fine */
	assert_int_equal(count_entries(at(e, "tmp")), 0);
	assert_int_equal(count_entries(e->root), 1);     /* only tmp */
}

static void test_limit_mid_stream(void **state)
{
	struct env *e = *state;
	struct fs_writer w;
	struct fs_staged st;

	assert_int_equal(fs_writer_open(&w, e->root, 10), FS_OK);
	assert_int_equal(fs_writer_write(&w, "123456", 6), FS_OK);
	assert_int_equal(fs_writer_write(&w, "78901", 5), FS_ERR_LIMIT);
	assert_int_equal(w.size, 6);                    /* nothing of the refused chunk */
	assert_int_equal(fs_writer_write(&w, "7890", 4), FS_OK);   /* exactly the limit */
	assert_int_equal(fs_writer_write(&w, "x", 1), FS_ERR_LIMIT);
	assert_int_equal(fs_writer_write(&w, "", 0), FS_OK);
	fs_writer_abort(&w);
	assert_int_equal(count_entries(at(e, "tmp")), 0);

	/* limit 0: only the empty file */
	assert_int_equal(fs_writer_open(&w, e->root, 0), FS_OK);
	assert_int_equal(fs_writer_write(&w, "x", 1), FS_ERR_LIMIT);
	assert_int_equal(fs_writer_finish(&w, &st), FS_OK);
	assert_string_equal(st.hex, EMPTY_HEX);
	assert_int_equal(st.size, 0);
	assert_int_equal(filestore_commit(e->root, &st), FS_OK);
	assert_int_equal(access(at(e, "e3/b0/" EMPTY_HEX), F_OK), 0);
}

/* Creates root/tmp/name with an mtime age seconds ago. */
static void make_tmp(struct env *e, const char *name, time_t now, time_t age)
{
	struct timespec ts[2];
	char rel[256];
	int fd;

	snprintf(rel, sizeof rel, "tmp/%s", name);
	fd = open(at(e, rel), O_WRONLY | O_CREAT | O_EXCL, 0640);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	ts[0].tv_sec = ts[1].tv_sec = now - age;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, e->path, ts, 0), 0);
}

#define RND "0123456789abcdef0123456789abcdef"
#define HEX_REF   ABC_HEX
#define HEX_UNREF "1111111111111111111111111111111111111111111111111111111111111111"
#define HEX_UNSURE "2222222222222222222222222222222222222222222222222222222222222222"

static int referenced(void *ctx, const char *hex)
{
	int *calls = ctx;

	(*calls)++;
	if (strcmp(hex, HEX_REF) == 0)
		return 1;
	if (strcmp(hex, HEX_UNSURE) == 0)
		return -1;
	return 0;
}

static void test_sweep(void **state)
{
	struct env *e = *state;
	time_t now = time(NULL);
	struct fs_sweep_stats s;
	int calls = 0;

	make_tmp(e, RND ".part", now, 2 * FS_SWEEP_AGE);                    /* crashed upload */
	make_tmp(e, "fedcba9876543210fedcba9876543210.part", now, 60);      /* still uploading */
	make_tmp(e, HEX_REF "." RND ".staged", now, 2 * FS_SWEEP_AGE);      /* crash after COMMIT */
	make_tmp(e, HEX_UNREF "." RND ".staged", now, 2 * FS_SWEEP_AGE);    /* crash before COMMIT */
	make_tmp(e, HEX_UNSURE "." RND ".staged", now, 2 * FS_SWEEP_AGE);   /* database away */
	make_tmp(e, HEX_UNREF ".fedcba9876543210fedcba9876543210.staged", now, 10);
	make_tmp(e, "notes.txt", now, 2 * FS_SWEEP_AGE);                    /* not ours */
	make_tmp(e, "0123456789ABCDEF0123456789ABCDEF.part", now, 2 * FS_SWEEP_AGE);
	assert_int_equal(mkdir(at(e, "tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.part"), 0700), 0);
	assert_int_equal(symlink("/etc/passwd", at(e, "tmp/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.part")), 0);

	assert_int_equal(filestore_sweep(e->root, now, FS_SWEEP_AGE, referenced, &calls, &s), FS_OK);
	assert_int_equal(s.removed, 2);
	assert_int_equal(s.committed, 1);
	assert_int_equal(s.kept, 3);
	assert_int_equal(calls, 3);
	assert_int_equal(access(at(e, "tmp/" RND ".part"), F_OK), -1);
	assert_int_equal(access(at(e, "tmp/fedcba9876543210fedcba9876543210.part"), F_OK), 0);
	assert_int_equal(access(at(e, "ba/78/" HEX_REF), F_OK), 0);
	assert_int_equal(access(at(e, "tmp/" HEX_REF "." RND ".staged"), F_OK), -1);
	assert_int_equal(access(at(e, "tmp/" HEX_UNREF "." RND ".staged"), F_OK), -1);
	assert_int_equal(access(at(e, "tmp/" HEX_UNSURE "." RND ".staged"), F_OK), 0);
	assert_int_equal(access(at(e, "tmp/notes.txt"), F_OK), 0);
	assert_int_equal(access(at(e, "tmp/0123456789ABCDEF0123456789ABCDEF.part"), F_OK), 0);
	assert_int_equal(access(at(e, "tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.part"), F_OK), 0);
	assert_int_equal(faccessat(AT_FDCWD, at(e, "tmp/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.part"), F_OK,
	                           AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(access("/etc/passwd", F_OK), 0);

	/* without a reference check every old staged file goes */
	assert_int_equal(filestore_sweep(e->root, now, FS_SWEEP_AGE, NULL, NULL, &s), FS_OK);
	assert_int_equal(s.removed, 1);
	assert_int_equal(s.committed, 0);
	assert_int_equal(access(at(e, "tmp/" HEX_UNSURE "." RND ".staged"), F_OK), -1);

	/* an hour later the young ones are old */
	assert_int_equal(filestore_sweep(e->root, now + 2 * FS_SWEEP_AGE, FS_SWEEP_AGE, NULL, NULL, &s), FS_OK);
	assert_int_equal(s.removed, 2);
	assert_int_equal(s.kept, 0);
	assert_int_equal(count_entries(at(e, "tmp")), 4);   /* what is not ours stays */
}

static void test_open_by_digest(void **state)
{
	struct env *e = *state;
	struct fs_staged st;
	enum fs_error err;
	uint64_t size = 0;
	char buf[8], rel[FS_REL_MAX];
	int fd;

	stage(e, LIT("abc"), 3, &st);
	/* not readable before the commit */
	assert_int_equal(filestore_open(e->root, ABC_HEX, &size, &err), -1);
	assert_int_equal(err, FS_ERR_NOT_FOUND);
	assert_int_equal(filestore_commit(e->root, &st), FS_OK);
	fd = filestore_open(e->root, ABC_HEX, &size, &err);
	assert_true(fd >= 0);
	assert_int_equal(err, FS_OK);
	assert_int_equal(size, 3);
	assert_int_equal(read(fd, buf, sizeof buf), 3);
	assert_memory_equal(buf, "abc", 3);
	close(fd);

	assert_int_equal(filestore_open(e->root, EMPTY_HEX, &size, &err), -1);
	assert_int_equal(err, FS_ERR_NOT_FOUND);
	assert_int_equal(filestore_open(e->root, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
	                                &size, &err), -1);
	assert_int_equal(err, FS_ERR_DIGEST);
	assert_int_equal(filestore_open(e->root, "../../../../etc/passwd", &size, &err), -1);
	assert_int_equal(err, FS_ERR_DIGEST);
	assert_int_equal(filestore_open(e->root, ABC_HEX "0", &size, &err), -1);
	assert_int_equal(err, FS_ERR_DIGEST);
	assert_int_equal(filestore_open(e->root, "", &size, &err), -1);
	assert_int_equal(err, FS_ERR_DIGEST);

	assert_int_equal(filestore_rel_path(ABC_HEX, rel), FS_OK);
	assert_string_equal(rel, "ba/78/" ABC_HEX);
	assert_int_equal(filestore_rel_path("ba78", rel), FS_ERR_DIGEST);
	assert_int_equal(filestore_rel_path(NULL, rel), FS_ERR_DIGEST);
}

static void test_errors(void **state)
{
	struct env *e = *state;
	struct fs_writer w;
	struct fs_staged st;
	char longroot[FS_PATH_MAX];

	assert_int_equal(fs_writer_open(&w, at(e, "missing"), 10), FS_ERR_IO);
	assert_int_equal(w.fd, -1);
	memset(longroot, 'a', sizeof longroot - 1);
	longroot[sizeof longroot - 1] = '\0';
	assert_int_equal(fs_writer_open(&w, longroot, 10), FS_ERR_PATH);
	assert_int_equal(filestore_init(longroot), FS_ERR_PATH);
	assert_int_equal(filestore_init(""), FS_ERR_PATH);
	memset(&st, 0, sizeof st);
	strcpy(st.hex, "not hex");
	assert_int_equal(filestore_commit(e->root, &st), FS_ERR_DIGEST);
	assert_int_equal(filestore_abort(&st), FS_OK);  /* no path: nothing to do */
	/* nested roots are created, like mkdir -p */
	assert_int_equal(filestore_init(at(e, "a/b/c")), FS_OK);
	assert_int_equal(count_entries(at(e, "a/b/c/tmp")), 0);
	assert_int_equal(filestore_init(at(e, "a/b/c")), FS_OK);
	for (int i = 0; i < FS_ERR__MAX; i++)
		assert_non_null(fs_strerror((enum fs_error)i));
	assert_non_null(fs_strerror(FS_ERR__MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunking_does_not_change_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_content_stored_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_mid_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_by_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
