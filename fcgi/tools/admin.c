/*
 * motcua-admin: the command-line tool for what is not done through the web:
 *   migrate [--dir DIR]                apply the numbered SQL migrations not yet applied
 *   import-units FILE                  units (đơn vị) from JSON
 *   import-procedures FILE             procedures in the national catalog's layout
 *   seed-demo [--data DIR] [--out F]   on an empty database: demo units, catalog, dossiers
 *   generate --count N [--months M] [--seed S]   synthetic dossiers (benchmarks)
 *   create-officer --username U --name NAME --unit CODE --roles r1,r2
 *                                      an account (the first admin); the password is read
 *                                      from MOTCUA_NEW_PASSWORD or the first line of stdin
 *   load-fixture form06-seed           test stacks only: the district of the exactness tests
 * The database comes from the same MOTCUA_* settings as the service.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/crypto.h"
#include "store/catalog_write.h"
#include "store/officer_store.h"
#include "store/meta_store.h"
#include "store/stats_store.h"
#include "domain/workflow.h"
#include "import_catalog.h"
#include "generate.h"
#include "fixture.h"

static int usage(void)
{
	fputs("usage: motcua-admin migrate [--dir DIR]\n"
	      "       motcua-admin import-units FILE\n"
	      "       motcua-admin import-procedures FILE\n"
	      "       motcua-admin seed-demo [--data DIR] [--out FILE] [--dossiers N]\n"
	      "       motcua-admin generate --count N [--months M] [--seed S] [--append]\n"
	      "       motcua-admin create-officer --username U --name NAME --unit CODE --roles r1,r2\n"
	      "       motcua-admin load-fixture form06-seed\n"
	      "       motcua-admin stats-rebuild\n", stderr);
	return 2;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

/*
 * Each file NNN_name.sql is applied once, in order, and recorded with its checksum.
 * MariaDB commits DDL implicitly, so a migration with DDL is not atomic: each file keeps
 * to statements that can be re-run after a failure part-way (IF NOT EXISTS where it
 * matters), and the record is written only after the whole file succeeded.
 */
static int cmd_migrate(struct db *db, const char *dir)
{
	static const char create_sql[] =
		"CREATE TABLE IF NOT EXISTS schema_migrations ("
		" version INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL,"
		" checksum CHAR(64) NOT NULL, applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
	static const char record_sql[] =
		"INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)";
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[1000];
	size_t n = 0;
	int current, applied = 0, rc = 1, highest = 0;

	if (!d) {
		fprintf(stderr, "migrate: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL && n < 1000) {
		size_t len = strlen(e->d_name);
		if (len > 8 && e->d_name[0] >= '0' && e->d_name[0] <= '9' && e->d_name[1] >= '0' &&
		    e->d_name[1] <= '9' && e->d_name[2] >= '0' && e->d_name[2] <= '9' && e->d_name[3] == '_' &&
		    strcmp(e->d_name + len - 4, ".sql") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_str);
	if (db_exec_text(db, create_sql, sizeof create_sql - 1) != 0) {
		fprintf(stderr, "migrate: %s\n", db_error(db));
		goto out;
	}
	if ((current = meta_schema_version(db)) < 0) {
		fprintf(stderr, "migrate: cannot read the schema version: %s\n", db_error(db));
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		highest = atoi(names[i]) > highest ? atoi(names[i]) : highest;
	if (current > highest) {
		fprintf(stderr, "migrate: the database is at schema version %d, newer than the "
		        "migrations in %s (%d); refusing to touch it\n", current, dir, highest);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int version = atoi(names[i]);
		char path[4096], sum[65];
		size_t len = 0;
		char *sql;

		if (version <= current)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((sql = read_file(path, &len)) == NULL) {
			fprintf(stderr, "migrate: cannot read %s\n", path);
			goto out;
		}
		sha256_hex(sql, len, sum);
		{
			struct db_param p[] = { DB_INT(version), DB_STR(names[i]), DB_STR(sum) };
			if (db_begin(db) != 0 || db_exec_text(db, sql, len) != 0 ||
			    db_exec(db, record_sql, p, 3, NULL, NULL) != 0 || db_commit(db) != 0) {
				fprintf(stderr, "migrate: %s failed: %s\n", names[i], db_error(db));
				db_rollback(db);
				free(sql);
				goto out;
			}
		}
		free(sql);
		printf("applied %s\n", names[i]);
		applied++;
	}
	printf("schema at version %d (%d migration%s applied now)\n", current > highest ? current : highest,
	       applied, applied == 1 ? "" : "s");
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

static int report_import(const char *what, int rc, const struct import_result *r)
{
	printf("%s: %ld records, %ld imported, %ld rejected\n", what, r->total, r->imported, r->rejected);
	if (rc != 0 || (r->total > 0 && r->imported == 0))
		return 1;               /* nothing imported */
	return r->rejected ? 3 : 0;  /* 3: some records rejected, the others imported */
}

static int count_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, -1);
	return 0;
}

static long long count_rows(struct db *db, const char *sql)
{
	long long n = -1;

	if (db_query(db, sql, NULL, 0, count_cb, &n) != 0)
		return -1;
	return n;
}

/* Demo accounts: an administrator for the province, and one officer of each workflow
 * role at Xã Gio Mỹ, all with the password the README gives. */
#define DEMO_PASSWORD "motcua-demo-2025"

static int seed_demo_officers(struct db *db)
{
	static const struct { const char *username, *name, *unit, *roles; } demo[] = {
		{ "admin", "Quản trị hệ thống", "000.00.00.H45", "admin,monitor" },
		{ "giomy.motcua", "Lê Thị Thu Hà", "000.22.24.H45", "desk" },
		{ "giomy.chuyenvien", "Trần Văn Nam", "000.22.24.H45", "specialist" },
		{ "giomy.lanhdao", "Nguyễn Hữu Phước", "000.22.24.H45", "leader" },
		{ "giomy.vanthu", "Hoàng Thị Lan", "000.22.24.H45", "clerk" },
		{ "giolinh.giamsat", "Phan Văn Dũng", "000.00.24.H45", "monitor" },
	};
	char hash[PASSWORD_HASH_MAX];
	int created = 0;

	for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
		struct officer_write w = { .username = demo[i].username, .full_name = demo[i].name,
		                           .roles = demo[i].roles, .unit_code = demo[i].unit,
		                           .email = "", .phone = "", .password_hash = hash, .active = 1 };
		int rc;
		if (password_hash(DEMO_PASSWORD, strlen(DEMO_PASSWORD), hash) != 0)
			return -1;
		rc = officer_create(db, &w);
		if (rc < 0) {
			fprintf(stderr, "seed-demo: officer %s: %s\n", demo[i].username, db_error(db));
			return -1;
		}
		created += rc == 0;
	}
	if (created)
		printf("demo officers: %d accounts (password %s)\n", created, DEMO_PASSWORD);
	return 0;
}

static int cmd_create_officer(struct db *db, int argc, char **argv)
{
	const char *username = NULL, *name = NULL, *unit = NULL, *roles = NULL;
	const char *pw = getenv("MOTCUA_NEW_PASSWORD");
	char line[300], hash[PASSWORD_HASH_MAX];
	role_mask mask;
	struct officer_write w;
	int rc;

	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--username") == 0)
			username = argv[i + 1];
		else if (strcmp(argv[i], "--name") == 0)
			name = argv[i + 1];
		else if (strcmp(argv[i], "--unit") == 0)
			unit = argv[i + 1];
		else if (strcmp(argv[i], "--roles") == 0)
			roles = argv[i + 1];
		else
			return usage();
	}
	if (!username || !name || !unit || !roles || argc % 2 != 0)
		return usage();
	if (role_mask_parse(roles, strlen(roles), &mask) != 0 || mask == 0) {
		fprintf(stderr, "create-officer: --roles takes desk, specialist, leader, clerk, admin, monitor\n");
		return 2;
	}
	if (!pw) {
		if (!fgets(line, sizeof line, stdin)) {
			fprintf(stderr, "create-officer: give the password in MOTCUA_NEW_PASSWORD or on stdin\n");
			return 2;
		}
		line[strcspn(line, "\r\n")] = '\0';
		pw = line;
	}
	if (strlen(pw) < 10) {
		fprintf(stderr, "create-officer: the password needs at least 10 characters\n");
		return 2;
	}
	if (password_hash(pw, strlen(pw), hash) != 0)
		return 1;
	w = (struct officer_write){ .username = username, .full_name = name, .roles = roles,
	                            .unit_code = unit, .email = "", .phone = "", .password_hash = hash,
	                            .active = 1 };
	rc = officer_create(db, &w);
	if (rc == 1)
		fprintf(stderr, "create-officer: no unit %s\n", unit);
	else if (rc == 2)
		fprintf(stderr, "create-officer: %s exists already\n", username);
	else if (rc < 0)
		fprintf(stderr, "create-officer: %s\n", db_error(db));
	else
		printf("officer %s created\n", username);
	return rc == 0 ? 0 : 1;
}

static int cmd_seed_demo(struct db *db, const char *data_dir, const char *out, long dossiers)
{
	static const char count_dossiers[] = "SELECT COUNT(*) FROM dossiers";
	struct import_result res;
	char path[4096];
	long long n;
	int rc;

	if ((n = catalog_count_procedures(db)) < 0) {
		fprintf(stderr, "seed-demo: %s\n", db_error(db));
		return 1;
	}
	if (n == 0) {
		snprintf(path, sizeof path, "%s/units.json", data_dir);
		rc = import_units(db, path, stderr, &res);
		if (report_import("units", rc, &res) != 0)
			return 1;
		snprintf(path, sizeof path, "%s/procedures.json", data_dir);
		rc = import_procedures(db, path, stderr, &res);
		if (report_import("procedures", rc, &res) != 0)
			return 1;
	}
	if (seed_demo_officers(db) != 0)
		return 1;
	if ((n = count_rows(db, count_dossiers)) < 0) {
		fprintf(stderr, "seed-demo: %s\n", db_error(db));
		return 1;
	}
	if (n == 0) {
		struct gen_options o = { .count = dossiers, .months = 18, .seed = 2025,
		                         .demo_out_path = out, .quiet = 0, .append = 0 };
		if (generate_dossiers(db, &o) != 0)
			return 1;
	} else {
		printf("demo data already loaded (%lld dossiers)\n", n);
	}
	return 0;
}

static long arg_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "%s must be a whole number from %ld to %ld\n", what, min, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct config cfg;
	char err[256];
	struct db *db;
	struct import_result res;
	int rc = 2;

	if (argc < 2)
		return usage();
	if (config_load(&cfg, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-admin: configuration: %s\n", err);
		return 2;
	}
	log_set_level(cfg.log_level);
	cfg.db.local_infile = 1;
	if ((db = db_open(&cfg.db)) == NULL)
		return 1;
	if (strcmp(argv[1], "migrate") == 0) {
		const char *dir = "sql";
		if (argc == 4 && strcmp(argv[2], "--dir") == 0)
			dir = argv[3];
		else if (argc != 2)
			goto bad;
		rc = cmd_migrate(db, dir);
	} else if (strcmp(argv[1], "import-units") == 0 && argc == 3) {
		rc = report_import("units", import_units(db, argv[2], stderr, &res), &res);
	} else if (strcmp(argv[1], "import-procedures") == 0 && argc == 3) {
		rc = report_import("procedures", import_procedures(db, argv[2], stderr, &res), &res);
	} else if (strcmp(argv[1], "seed-demo") == 0) {
		const char *data = "sql/seed", *out = NULL;
		long dossiers = 5000;
		for (int i = 2; i < argc; i += 2) {
			if (i + 1 >= argc)
				goto bad;
			if (strcmp(argv[i], "--data") == 0)
				data = argv[i + 1];
			else if (strcmp(argv[i], "--out") == 0)
				out = argv[i + 1];
			else if (strcmp(argv[i], "--dossiers") == 0)
				dossiers = arg_long(argv[i + 1], 0, 10000000, "--dossiers");
			else
				goto bad;
		}
		rc = cmd_seed_demo(db, data, out, dossiers);
	} else if (strcmp(argv[1], "create-officer") == 0) {
		rc = cmd_create_officer(db, argc, argv);
	} else if (strcmp(argv[1], "stats-rebuild") == 0 && argc == 2) {
		rc = stats_rebuild(db, time(NULL), stderr) == 0 ? 0 : 1;
	} else if (strcmp(argv[1], "load-fixture") == 0 && argc == 3) {
		rc = fixture_load(db, argv[2]);
		rc = rc == 2 ? usage() : rc < 0 ? 1 : 0;
	} else if (strcmp(argv[1], "generate") == 0) {
		struct gen_options o = { .count = -1, .months = 36, .seed = 7, .demo_out_path = NULL,
		                         .quiet = 0, .append = 0 };
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--append") == 0) {
				o.append = 1;
				continue;
			}
			if (i + 1 >= argc)
				goto bad;
			if (strcmp(argv[i], "--count") == 0)
				o.count = arg_long(argv[++i], 1, 100000000, "--count");
			else if (strcmp(argv[i], "--months") == 0)
				o.months = (int)arg_long(argv[++i], 1, 240, "--months");
			else if (strcmp(argv[i], "--seed") == 0)
				o.seed = (unsigned)arg_long(argv[++i], 0, 2147483647, "--seed");
			else
				goto bad;
		}
		if (o.count < 0)
			goto bad;
		rc = generate_dossiers(db, &o) == 0 ? 0 : 1;
	} else {
		goto bad;
	}
	db_close(db);
	return rc;
bad:
	db_close(db);
	return usage();
}
