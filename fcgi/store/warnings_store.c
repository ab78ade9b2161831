#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "domain/mailfmt.h"
#include "domain/workflow.h"
#include "calendar_store.h"
#include "officer_store.h"
#include "outbox_store.h"
#include "warnings_store.h"

void warnings_thresholds_of(const struct config *cfg, struct warning_thresholds *th)
{
	th->stuck_working_days = cfg->warn_stuck_days;
	th->unreturned_working_days = cfg->warn_unreturned_days;
	th->supplement_working_days = cfg->warn_supplement_days;
	th->unused_days = cfg->warn_unused_days;
}

/* ---------------------------------------------------------------- the queries */

/* The holder of a dossier is its current unit (the receiving unit until it moves). */
#define D_FROM \
	"FROM dossiers d JOIN units u ON u.id = d.unit_id " \
	"JOIN units cu ON cu.id = COALESCE(d.current_unit_id, d.unit_id) "
#define D_FROM_LIST D_FROM "JOIN procedures p ON p.id = d.procedure_id "
/* held by a unit of the subtree; or, for the whole audience, received there. The queries
 * read the dossiers first (STRAIGHT_JOIN): through the kind's own index, never through the
 * units of the scope, which would visit every dossier they ever received. */
#define D_SCOPE "AND (cu.path LIKE CONCAT(?, '%') OR (? = 0 AND u.path LIKE CONCAT(?, '%'))) "

#define OPEN_PAUSE \
	"(SELECT pa.from_at FROM dossier_pauses pa WHERE pa.dossier_id = d.id AND pa.to_at IS NULL " \
	"ORDER BY pa.seq DESC LIMIT 1)"
#define OPEN_SUPPLEMENT \
	"(SELECT MAX(sr.requested_at) FROM supplement_requests sr WHERE sr.dossier_id = d.id " \
	"AND sr.fulfilled_at IS NULL)"

/* Each kind's condition; the comment lists its parameters before the scope's three. */
#define W_OVERDUE /* now */ \
	"WHERE d.state IN ('processing','awaiting_supplement','awaiting_payment','suspended') " \
	"AND d.due_at < ? AND (d.state = 'processing' OR " OPEN_PAUSE " >= d.due_at) "
#define W_DUE_SOON /* now, until */ \
	"WHERE d.state = 'processing' AND d.due_at >= ? AND d.due_at <= ? "
#define W_STUCK /* cut-off */ \
	"WHERE d.state IN ('submitted','processing') AND d.updated_at <= ? "
#define W_UNRETURNED /* cut-off */ \
	"WHERE d.state = 'resolved' AND d.finished_at <= ? "
#define W_SUPPLEMENT /* cut-off */ \
	"WHERE d.state = 'awaiting_supplement' AND " OPEN_SUPPLEMENT " <= ? "
/* the units of the scope first, then each one's unanswered feedback by k_feedback_unit_due */
#define F_FROM \
	"FROM units u STRAIGHT_JOIN feedback f ON f.unit_id = u.id "
#define W_FEEDBACK /* until, path */ \
	"WHERE f.answered_at IS NULL AND f.due_at <= ? AND u.path LIKE CONCAT(?, '%') "

static const char count_sql[] =
	"SELECT (SELECT STRAIGHT_JOIN COUNT(*) " D_FROM W_DUE_SOON D_SCOPE "), "
	"(SELECT STRAIGHT_JOIN COUNT(*) " D_FROM W_OVERDUE D_SCOPE "), "
	"(SELECT STRAIGHT_JOIN COUNT(*) " D_FROM W_STUCK D_SCOPE "), "
	"(SELECT STRAIGHT_JOIN COUNT(*) " D_FROM W_UNRETURNED D_SCOPE "), "
	"(SELECT STRAIGHT_JOIN COUNT(*) " D_FROM W_SUPPLEMENT D_SCOPE "), "
	"(SELECT COUNT(*) " F_FROM W_FEEDBACK ")";

#define D_COLUMNS "SELECT STRAIGHT_JOIN d.code, p.name, cu.code, cu.name, "
#define PAGE "LIMIT ? OFFSET ?"

static const char *const list_sql[WARN__MAX] = {
	[WARN_DUE_SOON] = D_COLUMNS "NULL, d.due_at " D_FROM_LIST W_DUE_SOON D_SCOPE
		"ORDER BY d.due_at, d.id " PAGE,
	[WARN_OVERDUE] = D_COLUMNS "d.due_at, d.due_at " D_FROM_LIST W_OVERDUE D_SCOPE
		"ORDER BY d.due_at, d.id " PAGE,
	[WARN_STUCK] = D_COLUMNS "d.updated_at, d.due_at " D_FROM_LIST W_STUCK D_SCOPE
		"ORDER BY d.updated_at, d.id " PAGE,
	[WARN_RESOLVED_NOT_RETURNED] = D_COLUMNS "d.finished_at, d.due_at " D_FROM_LIST W_UNRETURNED D_SCOPE
		"ORDER BY d.finished_at, d.id " PAGE,
	[WARN_SUPPLEMENT_OVERDUE] = D_COLUMNS OPEN_SUPPLEMENT ", d.due_at " D_FROM_LIST W_SUPPLEMENT D_SCOPE
		"ORDER BY 5, d.id " PAGE,
	[WARN_FEEDBACK_DUE] =
		"SELECT f.code, REPLACE(REPLACE(LEFT(f.content, 120), CHAR(10 USING utf8mb4), ' '), "
		"CHAR(13 USING utf8mb4), ' '), u.code, u.name, f.received_at, f.due_at "
		F_FROM W_FEEDBACK "ORDER BY f.due_at, f.id " PAGE,
	[WARN_UNUSED_ACCOUNTS] = NULL,          /* officer_list() */
};

struct times { char now[24], until[24], stuck[24], unreturned[24], supplement[24]; };

static void format_times(const struct warning_cutoffs *c, struct times *t)
{
	time_format_db(c->now, t->now, sizeof t->now);
	time_format_db(c->due_soon_until, t->until, sizeof t->until);
	time_format_db(c->stuck_at_or_before, t->stuck, sizeof t->stuck);
	time_format_db(c->unreturned_at_or_before, t->unreturned, sizeof t->unreturned);
	time_format_db(c->supplement_at_or_before, t->supplement, sizeof t->supplement);
}

/* The kind's parameters then the scope's (dossiers: path, held_only, path); returns how many. */
static unsigned kind_params(enum warning_kind k, const struct warning_scope *s, const struct times *t,
                            struct db_param *p)
{
	unsigned n = 0;

	switch (k) {
	case WARN_DUE_SOON:
		p[n++] = DB_STR(t->now);
		p[n++] = DB_STR(t->until);
		break;
	case WARN_OVERDUE:
		p[n++] = DB_STR(t->now);
		break;
	case WARN_STUCK:
		p[n++] = DB_STR(t->stuck);
		break;
	case WARN_RESOLVED_NOT_RETURNED:
		p[n++] = DB_STR(t->unreturned);
		break;
	case WARN_SUPPLEMENT_OVERDUE:
		p[n++] = DB_STR(t->supplement);
		break;
	case WARN_FEEDBACK_DUE:
		p[n++] = DB_STR(t->until);
		p[n++] = DB_STR(s->path);
		return n;
	default:
		return 0;
	}
	p[n++] = DB_STR(s->path);
	p[n++] = DB_INT(s->audience.held_only);
	p[n++] = DB_STR(s->path);
	return n;
}

static int counts_row(const struct db_row *r, void *arg)
{
	long long *counts = arg;
	static const enum warning_kind cols[] = {
		WARN_DUE_SOON, WARN_OVERDUE, WARN_STUCK, WARN_RESOLVED_NOT_RETURNED,
		WARN_SUPPLEMENT_OVERDUE, WARN_FEEDBACK_DUE,
	};

	for (unsigned i = 0; i < sizeof cols / sizeof cols[0] && i < r->ncols; i++)
		counts[cols[i]] = db_row_int(r, i, 0);
	return 0;
}

struct account_page {
	long long n, limit, offset;
	int (*fn)(const struct warning_item *it, void *arg);
	void *arg;
};

static int account_row(const struct officer_row *o, void *arg)
{
	struct account_page *a = arg;
	char title[400];
	struct warning_item it;
	long long i = a->n++;

	if (!a->fn || i < a->offset || i >= a->offset + a->limit)
		return 0;
	snprintf(title, sizeof title, "%s (%s)", o->full_name ? o->full_name : "", o->username ? o->username : "");
	it = (struct warning_item){
		.kind = WARN_UNUSED_ACCOUNTS, .code = NULL, .title = title, .unit_code = o->unit_code,
		.unit_name = o->unit_name, .since = o->last_login_at ? o->last_login_at : o->created_at,
		.due_at = NULL,
	};
	return a->fn(&it, a->arg);
}

int warnings_count(struct db *db, const struct warning_scope *s, const struct warning_cutoffs *c,
                   int unused_days, long long counts[WARN__MAX])
{
	static const enum warning_kind order[] = {
		WARN_DUE_SOON, WARN_OVERDUE, WARN_STUCK, WARN_RESOLVED_NOT_RETURNED,
		WARN_SUPPLEMENT_OVERDUE, WARN_FEEDBACK_DUE,
	};
	struct db_param p[32];
	struct times t;
	unsigned n = 0;
	int rc;

	memset(counts, 0, sizeof(long long) * WARN__MAX);
	format_times(c, &t);
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		n += kind_params(order[i], s, &t, p + n);
	if ((rc = db_query(db, count_sql, p, n, counts_row, counts)) != 0)
		return rc < 0 ? rc : DB_ERR;
	if (s->audience.accounts) {
		struct account_page a = { 0, 0, 0, NULL, NULL };
		if ((rc = officer_list(db, s->path, unused_days, account_row, &a)) != 0)
			return rc < 0 ? rc : DB_ERR;
		counts[WARN_UNUSED_ACCOUNTS] = a.n;
	}
	return 0;
}

struct list_cb {
	enum warning_kind kind;
	int (*fn)(const struct warning_item *it, void *arg);
	void *arg;
};

static int list_row(const struct db_row *r, void *arg)
{
	struct list_cb *c = arg;
	struct warning_item it = {
		.kind = c->kind, .code = r->val[0], .title = r->val[1], .unit_code = r->val[2],
		.unit_name = r->val[3], .since = r->val[4], .due_at = r->val[5],
	};

	return c->fn(&it, c->arg);
}

int warnings_list(struct db *db, enum warning_kind k, const struct warning_scope *s,
                  const struct warning_cutoffs *c, int unused_days, long long limit, long long offset,
                  int (*fn)(const struct warning_item *it, void *arg), void *arg)
{
	struct db_param p[16];
	struct times t;
	struct list_cb cb = { k, fn, arg };
	unsigned n;
	int rc;

	if ((unsigned)k >= WARN__MAX || limit <= 0)
		return 0;
	if (k == WARN_UNUSED_ACCOUNTS) {
		struct account_page a = { 0, limit, offset, fn, arg };
		if (!s->audience.accounts)
			return 0;
		rc = officer_list(db, s->path, unused_days, account_row, &a);
		return rc == 0 ? 0 : rc < 0 ? rc : DB_ERR;
	}
	format_times(c, &t);
	n = kind_params(k, s, &t, p);
	p[n++] = DB_INT(limit);
	p[n++] = DB_INT(offset);
	rc = db_query(db, list_sql[k], p, n, list_row, &cb);
	return rc == 0 ? 0 : rc < 0 ? rc : DB_ERR;
}

/* ---------------------------------------------------------------- the digest */

struct digest_officer {
	long long id;
	unsigned roles;
	char full_name[256], email[256], path[513];
};

struct officer_vec { struct digest_officer *v; size_t n, cap; int oom; };

static unsigned roles_of(const char *set)
{
	unsigned roles = 0;

	while (set && *set) {
		size_t len = strcspn(set, ",");
		int role = role_from_code(set, len);
		if (role >= 0)
			roles |= ROLE_BIT(role);
		set += len + (set[len] == ',');
	}
	return roles;
}

static int officer_row(const struct db_row *r, void *arg)
{
	struct officer_vec *o = arg;
	struct digest_officer *d;

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct digest_officer *v = realloc(o->v, cap * sizeof *v);
		if (!v) {
			o->oom = 1;
			return 1;
		}
		o->v = v;
		o->cap = cap;
	}
	d = &o->v[o->n++];
	d->id = db_row_int(r, 0, 0);
	snprintf(d->full_name, sizeof d->full_name, "%s", r->val[1] ? r->val[1] : "");
	snprintf(d->email, sizeof d->email, "%s", r->val[2] ? r->val[2] : "");
	d->roles = roles_of(r->val[3]);
	snprintf(d->path, sizeof d->path, "%s", r->val[4] ? r->val[4] : "");
	return 0;
}

/* The officers still to be decided for `day`: read whole first, since the digest of each
 * runs queries of its own. */
static int digest_officers(struct db *db, const char *day, struct officer_vec *o)
{
	static const char sql[] =
		"SELECT o.id, o.full_name, o.email, o.roles, u.path FROM officers o "
		"JOIN units u ON u.id = o.unit_id "
		"WHERE o.active = 1 AND o.email <> '' "
		"AND NOT EXISTS (SELECT 1 FROM warning_digests w WHERE w.officer_id = o.id AND w.day = ?) "
		"AND NOT EXISTS (SELECT 1 FROM warning_digest_optout x WHERE x.officer_id = o.id) "
		"ORDER BY o.id";
	struct db_param p[] = { DB_STR(day) };
	int rc = db_query(db, sql, p, 1, officer_row, o);

	if (o->oom)
		return DB_ERR;
	return rc == 0 ? 0 : rc < 0 ? rc : DB_ERR;
}

#define DIGEST_PER_KIND 4

struct digest_items {
	struct warning_digest_item it[WARN_DIGEST_MAX_ITEMS];
	char code[WARN_DIGEST_MAX_ITEMS][64];
	char title[WARN_DIGEST_MAX_ITEMS][400];
	char unit[WARN_DIGEST_MAX_ITEMS][256];
	char link[WARN_DIGEST_MAX_ITEMS][1100];
	const char *base;               /* public URL without a trailing '/' */
	int unused_days;
	size_t n;
};

static int digest_item(const struct warning_item *w, void *arg)
{
	struct digest_items *d = arg;
	size_t i = d->n;
	char path[600];

	if (i >= WARN_DIGEST_MAX_ITEMS)
		return 0;
	snprintf(d->code[i], sizeof d->code[i], "%s", w->code ? w->code : "");
	snprintf(d->title[i], sizeof d->title[i], "%s", w->title ? w->title : "");
	snprintf(d->unit[i], sizeof d->unit[i], "%s", w->unit_name ? w->unit_name : "");
	warnings_link(w->kind, w->code, d->unused_days, path, sizeof path);
	snprintf(d->link[i], sizeof d->link[i], "%s%s", d->base, path);
	d->it[i] = (struct warning_digest_item){
		.kind = w->kind, .code = w->code ? d->code[i] : NULL, .title = d->title[i],
		.unit_name = d->unit[i], .due_at = w->kind == WARN_DUE_SOON || w->kind == WARN_OVERDUE ||
		                                  w->kind == WARN_FEEDBACK_DUE ? time_from_db(w->due_at) : 0,
		.since = time_from_db(w->since), .link = d->link[i],
	};
	d->n++;
	return 0;
}

/* Records the day for the officer and, when there is something to say, the e-mail: one
 * transaction. 0 done, 1 recorded by another run already, <0 error. */
static int digest_commit(struct db *db, long long officer_id, const char *day, long long total,
                         mc_time now, const char *email, const char *subject, const char *body)
{
	static const char insert_sql[] =
		"INSERT INTO warning_digests (officer_id, day, warnings, decided_at) VALUES (?, ?, ?, ?)";
	char at[24], key[96];
	int rc;

	time_format_db(now, at, sizeof at);
	snprintf(key, sizeof key, "warnings_digest:%lld:%s", officer_id, day);
	if ((rc = db_begin(db)) != 0)
		return rc;
	{
		struct db_param p[] = { DB_INT(officer_id), DB_STR(day), DB_INT(total), DB_STR(at) };
		rc = db_exec(db, insert_sql, p, 4, NULL, NULL);
	}
	if (rc == 0 && total > 0) {
		rc = outbox_enqueue(db, 0, "warnings_digest", "email", email, subject, body, key);
		if (rc == 1)
			rc = 0;                 /* the e-mail exists already: the row was missing, now it is not */
	}
	if (rc == 0 && (rc = db_commit(db)) == 0)
		return 0;
	db_rollback(db);
	return rc == DB_ERR_DUP ? 1 : rc;
}

static void digest_one(struct db *db, const struct config *cfg, const struct digest_officer *o,
                       const struct warning_cutoffs *cut, const struct warning_thresholds *th,
                       const char *day, struct warning_digest_run *out)
{
	struct warning_scope s = { o->path, { 0, 0 } };
	struct warning_digest dg;
	struct digest_items *items = NULL;
	char base[512], inbox[600], subject[512];
	char *body = NULL;
	size_t blen;
	long long total;
	int rc;

	warnings_audience_of_roles(o->roles, &s.audience);
	memset(&dg, 0, sizeof dg);
	if (warnings_count(db, &s, cut, th->unused_days, dg.counts) != 0) {
		out->failed++;
		return;
	}
	total = warnings_total(dg.counts);
	if (total == 0) {
		rc = digest_commit(db, o->id, day, 0, cut->now, NULL, NULL, NULL);
		if (rc == 0)
			out->nothing++;
		else if (rc == 1)
			out->already++;
		else
			out->failed++;
		return;
	}
	if (!mailfmt_address_ok(o->email)) {
		log_warn("warnings digest: officer %lld: not an e-mail address we can send to", o->id);
		out->failed++;
		return;
	}
	snprintf(base, sizeof base, "%s", cfg->public_url);
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		base[--blen] = '\0';
	if (!(items = calloc(1, sizeof *items)) || !(body = malloc(32768))) {
		out->failed++;
		goto done;
	}
	items->base = base;
	items->unused_days = th->unused_days;
	for (int i = 0; i < WARN__MAX && items->n < WARN_DIGEST_MAX_ITEMS; i++) {
		enum warning_kind k = warning_kind_order[i];
		size_t room = WARN_DIGEST_MAX_ITEMS - items->n;
		if (dg.counts[k] == 0)
			continue;
		if (warnings_list(db, k, &s, cut, th->unused_days, room < DIGEST_PER_KIND ? (long long)room : DIGEST_PER_KIND,
		                  0, digest_item, items) != 0) {
			out->failed++;
			goto done;
		}
	}
	snprintf(inbox, sizeof inbox, "%s/can-bo/", base);
	dg.officer_name = o->full_name;
	dg.day = local_day_number(cut->now);
	dg.items = items->it;
	dg.nitems = items->n;
	dg.inbox_link = inbox;
	if (warnings_digest_compose(&dg, subject, sizeof subject, body, 32768) != 0) {
		out->failed++;
		goto done;
	}
	rc = digest_commit(db, o->id, day, total, cut->now, o->email, subject, body);
	if (rc == 0)
		out->sent++;
	else if (rc == 1)
		out->already++;
	else
		out->failed++;
done:
	free(items);
	free(body);
}

int warnings_digest_run(struct db *db, const struct config *cfg, mc_time now,
                        struct warning_digest_run *out)
{
	struct officer_vec o = { NULL, 0, 0, 0 };
	struct warning_thresholds th;
	struct warning_cutoffs cut;
	struct calendar cal;
	char day[16];
	int y, m, d, rc;

	memset(out, 0, sizeof *out);
	out->day = local_day_number(now);
	civil_from_days(out->day, &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	warnings_thresholds_of(cfg, &th);
	calendar_init(&cal);
	if ((rc = calendar_load(db, &cal)) != 0) {
		calendar_free(&cal);
		return rc < 0 ? rc : DB_ERR;
	}
	rc = warnings_cutoffs(&cal, &th, now, &cut) == CAL_OK ? 0 : DB_ERR;
	calendar_free(&cal);
	if (rc != 0)
		return rc;
	if ((rc = digest_officers(db, day, &o)) != 0) {
		free(o.v);
		return rc;
	}
	out->officers = (int)o.n;
	for (size_t i = 0; i < o.n; i++)
		digest_one(db, cfg, &o.v[i], &cut, &th, day, out);
	free(o.v);
	return 0;
}

void warnings_digest_daily(struct db *db, const struct config *cfg, mc_time now, int64_t *done_day)
{
	struct warning_digest_run run;
	struct calendar cal;
	struct civil c;
	enum warning_digest_decision what;

	if (*done_day == local_day_number(now))
		return;
	calendar_init(&cal);
	if (calendar_load(db, &cal) != 0) {
		log_error("warnings digest: cannot load the calendar: %s", db_error(db));
		calendar_free(&cal);
		return;
	}
	what = warnings_digest_decide(&cal, now, cfg->digest_hour, *done_day);
	calendar_free(&cal);
	if (what == WDIG_WAIT)
		return;
	if (what == WDIG_DAY_OFF) {
		*done_day = local_day_number(now);      /* no digest on a day off */
		return;
	}
	if (warnings_digest_run(db, cfg, now, &run) != 0) {
		log_error("warnings digest: %s", db_error(db));
		return;
	}
	*done_day = run.day;
	time_to_local(now, &c);
	if (run.officers)
		log_info("warnings digest %04d-%02d-%02d: %d officers, %d e-mails, %d with nothing to report, "
		         "%d done by another run, %d failed", c.year, c.month, c.day, run.officers, run.sent,
		         run.nothing, run.already, run.failed);
}

/* ---------------------------------------------------------------- subscription */

static int exists_row(const struct db_row *r, void *arg)
{
	(void)r;
	*(int *)arg = 1;
	return 0;
}

int warnings_digest_subscribed(struct db *db, long long officer_id, int *subscribed)
{
	static const char sql[] = "SELECT 1 FROM warning_digest_optout WHERE officer_id = ?";
	struct db_param p[] = { DB_INT(officer_id) };
	int out = 0, rc = db_query(db, sql, p, 1, exists_row, &out);

	if (rc != 0)
		return rc < 0 ? rc : DB_ERR;
	*subscribed = !out;
	return 0;
}

int warnings_digest_subscribe(struct db *db, long long officer_id, int subscribed, mc_time now)
{
	static const char optout_sql[] =
		"INSERT IGNORE INTO warning_digest_optout (officer_id, since) VALUES (?, ?)";
	static const char optin_sql[] = "DELETE FROM warning_digest_optout WHERE officer_id = ?";
	char at[24];
	struct db_param p[2];

	time_format_db(now, at, sizeof at);
	p[0] = DB_INT(officer_id);
	p[1] = DB_STR(at);
	return subscribed ? db_exec(db, optin_sql, p, 1, NULL, NULL)
	                  : db_exec(db, optout_sql, p, 2, NULL, NULL);
}
