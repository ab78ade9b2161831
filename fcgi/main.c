/*
 * motcua-fcgi: the FastCGI service.
 *
 * Process layout: a small supervisor (the process started, whose pid is what `make stop`
 * signals) opens the listening socket once and forks the worker process; if the worker
 * dies, the supervisor starts another on the same socket, so nginx's connections queue
 * in the backlog meanwhile instead of failing. The worker runs a pool of threads, each
 * with its own FCGX_Request and MariaDB connection.
 *
 * SIGTERM/SIGINT to the supervisor is passed on; the worker stops accepting, lets
 * requests in flight finish, and exits 0; then the supervisor exits.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <mysql.h>

#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/router.h"
#include "core/filestore.h"
#include "store/meta_store.h"
#include "store/submission_store.h"

static struct config cfg;
static int listen_fd = -1;
static volatile sig_atomic_t stopping;

/* Not FCGX_OpenSocket: it exits the process on failure, and we want the permissions
 * set before anyone can connect. */
static int open_socket(const char *path)
{
	struct sockaddr_un sa;
	int fd;
	mode_t old;

	if (strlen(path) >= sizeof sa.sun_path) {
		log_error("socket path too long: %s", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		log_error("socket: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	unlink(path);
	old = umask(0117);              /* srw-rw----: owner and group (nginx) only */
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		umask(old);
		log_error("bind %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if (listen(fd, 1024) < 0) {
		log_error("listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void on_wake(int sig)
{
	(void)sig;                      /* only interrupts accept() */
}

static void *serve(void *arg)
{
	FCGX_Request fx;
	struct http_req *r = calloc(1, sizeof *r);
	struct db *db = db_open(&cfg.db);

	(void)arg;
	if (!r || !db || FCGX_InitRequest(&fx, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_error("worker thread: out of memory");
		free(r);
		db_close(db);
		return NULL;
	}
	mysql_thread_init();
	while (!stopping && FCGX_Accept_r(&fx) >= 0) {
		memset(r, 0, offsetof(struct http_req, args));
		r->db = db;
		r->cfg = &cfg;
		if (http_req_load(r, &fx) == 0)
			router_dispatch(r);
		FCGX_Finish_r(&fx);
	}
	FCGX_Free(&fx, 1);
	db_close(db);
	mysql_thread_end();
	free(r);
	return NULL;
}

static int check_schema(void)
{
	struct db *db = db_open(&cfg.db);
	int version = -1, tries;

	if (!db)
		return -1;
	/* The database may still be starting: wait up to ~10 s. */
	for (tries = 0; tries < 20; tries++) {
		if ((version = meta_schema_version(db)) >= 0)
			break;
		usleep(500000);
	}
	if (version < 0) {
		log_error("cannot read the schema version: %s", db_error(db));
		db_close(db);
		return -1;
	}
	db_close(db);
	if (version > MOTCUA_SCHEMA_VERSION) {
		log_error("the database schema is version %d, newer than this build knows (%d): "
		          "upgrade motcua before starting it against this database",
		          version, MOTCUA_SCHEMA_VERSION);
		return -2;
	}
	if (version < MOTCUA_SCHEMA_VERSION)
		log_warn("the database schema is version %d, this build expects %d: run "
		         "'motcua-admin migrate'", version, MOTCUA_SCHEMA_VERSION);
	return 0;
}

static int referenced_cb(void *ctx, const char *hex)
{
	int rc = file_referenced(ctx, hex);

	return rc < 0 ? -1 : rc;
}

/*
 * Settles what a crash left in the file store's tmp/ (a worker killed mid-upload, or
 * between COMMIT and the rename): each worker start does it, so a replaced worker
 * cleans up after the one it replaces. Files younger than FS_SWEEP_AGE are left: another
 * worker, on this host or another, may still be writing them.
 */
static void sweep_file_store(void)
{
	struct fs_sweep_stats st = { 0, 0, 0 };
	struct db *db;
	enum fs_error e;

	if (filestore_init(cfg.files_dir) != FS_OK) {
		log_warn("file store %s: cannot create it: %s", cfg.files_dir, strerror(errno));
		return;
	}
	if ((db = db_open(&cfg.db)) == NULL)
		return;
	e = filestore_sweep(cfg.files_dir, time(NULL), FS_SWEEP_AGE, referenced_cb, db, &st);
	if (e != FS_OK)
		log_warn("file store sweep: %s", fs_strerror(e));
	else if (st.removed || st.committed || st.kept)
		log_info("file store sweep: %u removed, %u committed, %u kept",
		         st.removed, st.committed, st.kept);
	db_close(db);
}

static int run_worker(void)
{
	pthread_t *tids;
	sigset_t set;
	struct sigaction sa;
	int sig, n = cfg.threads;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_wake;        /* no SA_RESTART: accept() must return EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	if (mysql_library_init(0, NULL, NULL) != 0 || FCGX_Init() != 0) {
		log_error("library initialisation failed");
		return 1;
	}
	sweep_file_store();
	if ((tids = calloc((size_t)n, sizeof *tids)) == NULL)
		return 1;
	for (int i = 0; i < n; i++)
		if (pthread_create(&tids[i], NULL, serve, NULL) != 0) {
			log_error("pthread_create failed");
			return 1;
		}
	log_info("worker %d serving %s with %d threads", (int)getpid(), cfg.fcgi_socket, n);
	sigwait(&set, &sig);
	log_info("worker: signal %d, draining", sig);
	stopping = 1;
	FCGX_ShutdownPending();
	for (int i = 0; i < n; i++)
		pthread_kill(tids[i], SIGUSR1);
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	mysql_library_end();
	log_info("worker: stopped cleanly");
	return 0;
}

static volatile sig_atomic_t supervisor_stop;

static void on_supervisor_signal(int sig)
{
	supervisor_stop = sig;
}

int main(int argc, char **argv)
{
	char err[256];
	struct sigaction sa;
	time_t last_start = 0;
	int fast_failures = 0, rc;

	if (argc == 2 && strcmp(argv[1], "--routes") == 0) {
		/* the route table, for the test that holds docs/openapi.yaml to it */
		for (const struct route *rt = api_routes; rt->pattern; rt++)
			printf("%s %s\n", rt->method, rt->pattern);
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: motcua-fcgi [--routes]  (configuration: MOTCUA_* environment)\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-fcgi: configuration: %s\n", err);
		return 2;
	}
	log_set_level(cfg.log_level);
	if ((rc = check_schema()) != 0)
		return rc == -2 ? 3 : 1;
	if ((listen_fd = open_socket(cfg.fcgi_socket)) < 0)
		return 1;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_supervisor_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	while (!supervisor_stop) {
		pid_t child, w;
		int status;

		last_start = time(NULL);
		if ((child = fork()) < 0) {
			log_error("fork: %s", strerror(errno));
			sleep(1);
			continue;
		}
		if (child == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			_exit(run_worker());
		}
		while ((w = waitpid(child, &status, 0)) < 0 && errno == EINTR) {
			if (supervisor_stop)
				kill(child, SIGTERM);
		}
		if (supervisor_stop) {
			log_info("supervisor: stopped");
			break;
		}
		if (WIFSIGNALED(status))
			log_error("worker %d died of signal %d; restarting", (int)child, WTERMSIG(status));
		else
			log_error("worker %d exited with %d; restarting", (int)child, WEXITSTATUS(status));
		/* back off when the worker cannot even start, instead of spinning */
		fast_failures = time(NULL) - last_start < 5 ? fast_failures + 1 : 0;
		if (fast_failures)
			sleep(fast_failures < 30 ? (unsigned)fast_failures : 30);
	}
	close(listen_fd);
	unlink(cfg.fcgi_socket);
	return 0;
}
