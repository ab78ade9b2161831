#include <string.h>

#include "core/db.h"
#include "indicators_store.h"
#include "stats_store.h"

/* Biểu số 06's rule (domain/stats.h stats_classify), as store/dashboard_store.c spells it. */
#define COUNTED "d.received_at IS NOT NULL AND d.state NOT IN ('refused', 'not_accepted', 'submitted') "
#define FINISHED "d.state IN ('resolved', 'returned', 'withdrawn') "
#define ISSUED "d.state IN ('resolved', 'returned') "
#define LOCAL(col) "(" col " + INTERVAL 7 HOUR)"
#define IN_TIME \
	"(d.state = 'withdrawn' OR d.due_at IS NULL OR " \
	"DATE" LOCAL("d.finished_at") " <= DATE" LOCAL("d.due_at") ")"
#define SUBTREE "u.path LIKE CONCAT(?, '%') "
/* Every document of the dossier is a file (and there is one at least): the smallest of
 * "is a file" over its documents is 1 (NULL without documents). One read of the
 * documents' index (k_ddoc_digitized), not of their rows. */
#define ALL_DOCUMENTS_FILES \
	"COALESCE((SELECT MIN(dd.file_sha256 IS NOT NULL AND dd.paper_only = 0) FROM dossier_documents dd " \
	"WHERE dd.dossier_id = d.id) = 1, 0) "
/* Rows of the subtree's units: the units first, then each unit's rows through an index
 * that starts with the unit and holds the time the figure is judged by and the columns it
 * reads (sql/016_indicator_indexes.sql): the period and the figure are judged inside the
 * index (index condition), and no row is read. Measured at 300,000 dossiers, this beats
 * both a range per unit ("Range checked for each record", which reads rows) and an index
 * that starts with the time (a join per row). */
#define OF_UNIT(col) col " = u.id "
#define SCOPED_DOSSIERS(index) \
	"FROM units u STRAIGHT_JOIN dossiers d FORCE INDEX (" index ") ON " OF_UNIT("d.unit_id")
/* which index each figure reads (the optimizer would take k_dossiers_unit_received and
 * read the rows) */
#define BY_FINISH SCOPED_DOSSIERS("k_dossiers_ind_finished")
#define BY_RECEPTION SCOPED_DOSSIERS("k_dossiers_ind_received")
#define BY_SUBMISSION SCOPED_DOSSIERS("k_dossiers_ind_submitted")
#define BY_RETURN SCOPED_DOSSIERS("k_dossiers_ind_returned")
#define SIGNED_RESULT \
	"EXISTS (SELECT 1 FROM dossier_results r WHERE r.dossier_id = d.id AND r.stage IN ('signed', 'sealed')) "

static struct db_param time_param(mc_time t, char buf[24])
{
	time_format_db(t, buf, 24);
	return DB_STR(buf);
}

struct pair { long long a, b; };

static int pair_cb(const struct db_row *r, void *arg)
{
	struct pair *p = arg;

	p->a = db_row_int(r, 0, 0);
	p->b = r->ncols > 1 ? db_row_int(r, 1, 0) : 0;
	return 0;
}

/* Runs a two-count query with the parameters (path, from, to [, extra]). */
static int count2(struct db *db, const char *sql, const struct db_param *p, unsigned n,
                  long long *den, long long *num)
{
	struct pair v = { 0, 0 };
	int rc = db_query(db, sql, p, n, pair_cb, &v);

	*den = v.a;
	*num = v.b;
	return rc;
}

int indicators_results_modelled(struct db *db)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
		"AND TABLE_NAME = 'dossier_results'";
	struct pair v = { 0, 0 };
	int rc = db_query(db, sql, NULL, 0, pair_cb, &v);

	return rc != 0 ? (rc < 0 ? rc : DB_ERR) : v.a > 0;
}

/* Form 06's cells summed over the subtree: the finishes by class and the receptions. */
struct form_sums { long long before, on_time, late, online, direct_postal; };

static int form_sum_cb(long long unit_id, long long field_id, const long long cells[SC__MAX], void *arg)
{
	struct form_sums *f = arg;

	(void)unit_id;
	(void)field_id;
	f->before += cells[SC_BEFORE];
	f->on_time += cells[SC_ON_TIME];
	f->late += cells[SC_LATE];
	f->online += cells[SC_ONLINE];
	f->direct_postal += cells[SC_DIRECT_POSTAL];
	return 0;
}

int indicators_count(struct db *db, const char *scope_path, mc_time from, mc_time to, mc_time now,
                     struct indicator_counts *c)
{
	/* procedures offered fully online (level full, an online way of submitting) at a level
	 * that has a unit in the subtree; those used: the procedures of the subtree's online
	 * submissions of the period (one range of k_dossiers_ind_submitted per unit) */
	static const char procedures_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(p.id IN (SELECT d.procedure_id " BY_SUBMISSION
		"WHERE " SUBTREE "AND d.submitted_at >= ? AND d.submitted_at < ? AND d.channel = 'online')), 0) "
		"FROM procedures p WHERE p.published = 1 AND p.service_level = 'full' "
		"AND EXISTS (SELECT 1 FROM procedure_channels pc WHERE pc.procedure_id = p.id AND pc.channel = 'online') "
		"AND EXISTS (SELECT 1 FROM units u WHERE " SUBTREE "AND ((u.level = 'province' AND p.level_province = 1) "
		"OR (u.level = 'district' AND p.level_district = 1) OR (u.level = 'commune' AND p.level_commune = 1)))";
	/* the payments of the period (k_events_action_at), then their dossiers */
	static const char payment_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(EXISTS (SELECT 1 FROM payment_receipts pr WHERE pr.dossier_id = d.id)), 0) "
		"FROM dossier_events e STRAIGHT_JOIN dossiers d ON d.id = e.dossier_id JOIN units u ON u.id = d.unit_id "
		"WHERE " SUBTREE "AND e.action = 'pay' AND e.at >= ? AND e.at < ?";
	static const char digitized_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(EXISTS (SELECT 1 FROM dossier_results r WHERE r.dossier_id = d.id) "
		"AND " ALL_DOCUMENTS_FILES "), 0) " BY_FINISH
		"WHERE " SUBTREE "AND " ISSUED "AND " COUNTED "AND d.finished_at >= ? AND d.finished_at < ?";
	static const char digitized_docs_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(" ALL_DOCUMENTS_FILES "), 0) " BY_FINISH
		"WHERE " SUBTREE "AND " ISSUED "AND " COUNTED "AND d.finished_at >= ? AND d.finished_at < ?";
	static const char satisfaction_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(r.overall IN ('very_satisfied', 'satisfied')), 0) "
		"FROM units u STRAIGHT_JOIN dossier_ratings r ON " OF_UNIT("r.unit_id")
		"WHERE " SUBTREE "AND r.rated_at >= ? AND r.rated_at < ?";
	static const char feedback_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(f.answered_on_time = 1), 0) "
		"FROM units u STRAIGHT_JOIN feedback f ON " OF_UNIT("f.unit_id")
		"WHERE " SUBTREE "AND f.due_at >= ? AND f.due_at < ? AND (f.due_at <= ? OR f.answered_at IS NOT NULL)";
	char tf[24], tt[24], tn[24];
	struct db_param p[] = { DB_STR(scope_path), time_param(from, tf), time_param(to, tt),
	                        time_param(now, tn) };
	struct db_param pp[] = { p[0], p[1], p[2], p[0] };
	/* the period as local days [from, to]: from and to are local midnights */
	struct stats_query sq = { scope_path, 0, 0, (int32_t)local_day_number(from),
	                          (int32_t)local_day_number(to) - 1, (int32_t)local_day_number(now) };
	struct form_sums fs = { 0, 0, 0, 0, 0 };
	int rc, modelled, frozen = 0;

	memset(c, 0, sizeof *c);
	if ((modelled = indicators_results_modelled(db)) < 0)
		return modelled;
	c->results_modelled = modelled;
	/* the on-time rate and the online share are Form 06's own figures */
	if ((rc = stats_form06(db, &sq, &frozen, form_sum_cb, &fs)) != 0)
		return rc < 0 ? rc : DB_ERR;
	c->num[IND_ON_TIME] = fs.before + fs.on_time;
	c->den[IND_ON_TIME] = fs.before + fs.on_time + fs.late;
	c->num[IND_ONLINE_SUBMISSION] = fs.online;
	c->den[IND_ONLINE_SUBMISSION] = fs.online + fs.direct_postal;
	if ((rc = count2(db, procedures_sql, pp, 4, &c->den[IND_ONLINE_PROCEDURES],
	                 &c->num[IND_ONLINE_PROCEDURES])) != 0 ||
	    (rc = count2(db, payment_sql, p, 3, &c->den[IND_ONLINE_PAYMENT], &c->num[IND_ONLINE_PAYMENT])) != 0 ||
	    (rc = count2(db, modelled ? digitized_sql : digitized_docs_sql, p, 3, &c->den[IND_DIGITIZATION],
	                 &c->num[IND_DIGITIZATION])) != 0 ||
	    (rc = count2(db, satisfaction_sql, p, 3, &c->den[IND_SATISFACTION], &c->num[IND_SATISFACTION])) != 0 ||
	    (rc = count2(db, feedback_sql, p, 4, &c->den[IND_FEEDBACK_ON_TIME], &c->num[IND_FEEDBACK_ON_TIME])) != 0)
		return rc < 0 ? rc : DB_ERR;
	return 0;
}

/* ------------------------------------------------------------- late attribution */

struct cb { void *fn; void *arg; };

/* The late steps (forwards noted late: dossier_events.late_step, set by a trigger from
 * the note, sql/017; resolutions after their step's due time) of the
 * period, of dossiers received in the subtree or done at a unit of it. Each branch reads
 * the events of its action in the period through k_events_action_at, then the dossier;
 * `cols` is what it selects, `extra` a further condition. The step a forward ends is the
 * one before the event's (api/dossiers.c notes it late); the last step ends with the
 * resolve, judged against the due time recorded when it began, which the API writes in
 * the event that moves the dossier into the step. The step's due time is selected as
 * fwd_due and res_due (STEP_DUE, or "NULL" when not needed). */
#define STEP_DUE(kexpr) \
	"(SELECT q.due_at FROM dossier_events q WHERE q.dossier_id = e.dossier_id AND q.step_seq = " kexpr " " \
	"AND q.seq < e.seq AND q.due_at IS NOT NULL ORDER BY q.seq DESC LIMIT 1)"
#define LATE_EVENTS(cols, extra, fwd_due, res_due) \
	"SELECT " cols ", e.step_seq - 1 AS k, " fwd_due " AS step_due " \
	"FROM dossier_events e STRAIGHT_JOIN dossiers d ON d.id = e.dossier_id " \
	"JOIN units u ON u.id = d.unit_id JOIN units eu ON eu.id = e.unit_id " \
	"WHERE e.late_step = 1 AND e.at >= ? AND e.at < ? AND e.action = 'forward' " extra \
	"AND (u.path LIKE CONCAT(?, '%') OR eu.path LIKE CONCAT(?, '%')) " \
	"UNION ALL " \
	"SELECT " cols ", e.step_seq AS k, " res_due " AS step_due " \
	"FROM dossier_events e STRAIGHT_JOIN dossiers d ON d.id = e.dossier_id " \
	"JOIN units u ON u.id = d.unit_id JOIN units eu ON eu.id = e.unit_id " \
	"WHERE e.action = 'resolve' AND e.at >= ? AND e.at < ? " extra \
	"AND (u.path LIKE CONCAT(?, '%') OR eu.path LIKE CONCAT(?, '%')) " \
	"AND e.step_seq IS NOT NULL AND " STEP_DUE("e.step_seq") " < e.at "

static int late_key_row(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	int (*fn)(const struct late_key *, void *) = c->fn;
	struct late_key k = {
		.dossier_id = db_row_int(r, 0, 0), .dossier_code = r->val[1] ? r->val[1] : "",
		.unit_code = r->val[2] ? r->val[2] : "", .unit_name = r->val[3] ? r->val[3] : "",
		.username = r->val[4] ? r->val[4] : "", .full_name = r->val[5] ? r->val[5] : "",
	};

	return fn(&k, c->arg);
}

int indicators_late_keys(struct db *db, const char *scope_path, mc_time from, mc_time to,
                         int (*fn)(const struct late_key *k, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT x.did, x.code, ue.code, ue.name, x.actor, o.full_name FROM ("
		LATE_EVENTS("d.id AS did, d.code, e.unit_id AS eunit, e.actor", "", "NULL", "NULL")
		") x JOIN units ue ON ue.id = x.eunit LEFT JOIN officers o ON o.username = x.actor";
	char tf[24], tt[24];
	struct db_param a = DB_STR(scope_path), f = time_param(from, tf), t = time_param(to, tt);
	struct db_param p[] = { f, t, a, a, f, t, a, a };
	struct cb c = { (void *)fn, arg };

	return db_query(db, sql, p, 8, late_key_row, &c);
}

static int late_step_row(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	int (*fn)(const struct late_step *, void *) = c->fn;
	struct late_step s = {
		.dossier_code = r->val[0], .procedure_code = r->val[1], .procedure_name = r->val[2],
		.dossier_due = r->val[3], .dossier_finished = r->val[4], .step_seq = (int)db_row_int(r, 5, 0),
		.step_name = r->val[6] ? r->val[6] : "", .unit_code = r->val[7], .unit_name = r->val[8],
		.username = r->val[9] ? r->val[9] : "", .full_name = r->val[10] ? r->val[10] : "",
		.step_due = r->val[11], .done_at = r->val[12],
	};

	return fn(&s, c->arg);
}

int indicators_late_steps_of(struct db *db, const char *scope_path, mc_time from, mc_time to,
                             long long dossier_id, int (*fn)(const struct late_step *s, void *arg),
                             void *arg)
{
	static const char sql[] =
		"SELECT x.code, p.code, p.name, x.ddue, x.dfin, x.k, ps.name, ue.code, ue.name, x.actor, "
		"o.full_name, x.step_due, x.done_at FROM ("
		LATE_EVENTS("d.code, d.procedure_id, d.due_at AS ddue, d.finished_at AS dfin, e.unit_id AS eunit, "
		            "e.actor, e.at AS done_at, e.seq", "AND e.dossier_id = ? ",
		            STEP_DUE("e.step_seq - 1"), STEP_DUE("e.step_seq"))
		") x JOIN units ue ON ue.id = x.eunit JOIN procedures p ON p.id = x.procedure_id "
		"LEFT JOIN procedure_process_steps ps ON ps.procedure_id = x.procedure_id AND ps.seq = x.k "
		"LEFT JOIN officers o ON o.username = x.actor "
		"ORDER BY x.done_at, x.seq";
	char tf[24], tt[24];
	struct db_param a = DB_STR(scope_path), f = time_param(from, tf), t = time_param(to, tt);
	struct db_param id = DB_INT(dossier_id);
	struct db_param p[] = { f, t, id, a, a, f, t, id, a, a };
	struct cb c = { (void *)fn, arg };

	return db_query(db, sql, p, 10, late_step_row, &c);
}

static int late_dossier_row(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	int (*fn)(long long, const char *, void *) = c->fn;

	return fn(db_row_int(r, 0, 0), r->val[1] ? r->val[1] : "", c->arg);
}

int indicators_late_dossiers(struct db *db, const char *scope_path, mc_time from, mc_time to,
                             int (*fn)(long long id, const char *code, void *arg), void *arg)
{
	/* the index (unit, state, finish, reception, due) judges each; only late ones are read */
	static const char sql[] =
		"SELECT d.id, d.code " BY_FINISH
		"WHERE " SUBTREE "AND " FINISHED "AND " COUNTED "AND d.finished_at >= ? AND d.finished_at < ? "
		"AND NOT " IN_TIME;
	char tf[24], tt[24];
	struct db_param p[] = { DB_STR(scope_path), time_param(from, tf), time_param(to, tt) };
	struct cb c = { (void *)fn, arg };

	return db_query(db, sql, p, 3, late_dossier_row, &c);
}

struct head_cb { struct cb c; int found; };

static int late_head_row(const struct db_row *r, void *arg)
{
	struct head_cb *h = arg;
	int (*fn)(const char *, const char *, const char *, const char *, const char *, void *) = h->c.fn;

	h->found = 1;
	return fn(r->val[0] ? r->val[0] : "", r->val[1] ? r->val[1] : "", r->val[2] ? r->val[2] : "", r->val[3],
	          r->val[4], h->c.arg);
}

int indicators_late_head(struct db *db, long long dossier_id,
                         int (*fn)(const char *code, const char *procedure_code, const char *procedure_name,
                                   const char *due_at, const char *finished_at, void *arg),
                         void *arg)
{
	static const char sql[] =
		"SELECT d.code, p.code, p.name, d.due_at, d.finished_at FROM dossiers d "
		"JOIN procedures p ON p.id = d.procedure_id WHERE d.id = ?";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct head_cb h = { { (void *)fn, arg }, 0 };
	int rc = db_query(db, sql, p, 1, late_head_row, &h);

	return rc != 0 ? rc : !h.found;
}

/* ------------------------------------------------------------- modernisation */

static int received_cb(const struct db_row *r, void *arg)
{
	struct modernisation *m = arg;

	m->received = db_row_int(r, 0, 0);
	m->digitized = db_row_int(r, 1, 0);
	m->postal_received = db_row_int(r, 2, 0);
	return 0;
}

int indicators_modernisation(struct db *db, const char *scope_path, mc_time from, mc_time to,
                             struct modernisation *m)
{
	static const char signatures_sql[] =
		"SELECT COUNT(*) FROM dossier_results r JOIN dossiers d ON d.id = r.dossier_id "
		"JOIN units u ON u.id = d.unit_id "
		"WHERE " SUBTREE "AND r.stage IN ('signed', 'sealed') AND r.created_at >= ? AND r.created_at < ?";
	static const char results_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(" SIGNED_RESULT "), 0) " BY_FINISH
		"WHERE " SUBTREE "AND " ISSUED "AND " COUNTED "AND d.finished_at >= ? AND d.finished_at < ?";
	static const char results_plain_sql[] =
		"SELECT COUNT(*), 0 " BY_FINISH
		"WHERE " SUBTREE "AND " ISSUED "AND " COUNTED "AND d.finished_at >= ? AND d.finished_at < ?";
	static const char received_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(" ALL_DOCUMENTS_FILES "), 0), COALESCE(SUM(d.channel = 'postal'), 0) "
		BY_RECEPTION
		"WHERE " SUBTREE "AND " COUNTED "AND d.received_at >= ? AND d.received_at < ?";
	static const char returned_sql[] =
		"SELECT COUNT(*) " BY_RETURN
		"WHERE " SUBTREE "AND d.result_channel = 'postal' AND d.state = 'returned' "
		"AND d.returned_at >= ? AND d.returned_at < ?";
	char tf[24], tt[24];
	struct db_param p[] = { DB_STR(scope_path), time_param(from, tf), time_param(to, tt) };
	long long postal_unused = 0;
	int rc, modelled;

	memset(m, 0, sizeof *m);
	if ((modelled = indicators_results_modelled(db)) < 0)
		return modelled;
	m->results_modelled = modelled;
	if ((modelled && (rc = count2(db, signatures_sql, p, 3, &m->signatures_made, &postal_unused)) != 0) ||
	    (rc = count2(db, modelled ? results_sql : results_plain_sql, p, 3, &m->results, &m->results_signed)) != 0 ||
	    (rc = count2(db, returned_sql, p, 3, &m->postal_returned, &postal_unused)) != 0)
		return rc < 0 ? rc : DB_ERR;
	if ((rc = db_query(db, received_sql, p, 3, received_cb, m)) != 0)
		return rc < 0 ? rc : DB_ERR;
	return 0;
}

static int online_row(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	int (*fn)(const char *, const char *, long long, long long, void *) = c->fn;

	return fn(r->val[0], r->val[1], db_row_int(r, 2, 0), db_row_int(r, 3, 0), c->arg);
}

int indicators_online_by_procedure(struct db *db, const char *scope_path, mc_time from, mc_time to,
                                   int (*fn)(const char *code, const char *name, long long online,
                                             long long total, void *arg),
                                   void *arg)
{
	static const char sql[] =
		"SELECT p.code, p.name, x.online, x.total FROM ("
		"SELECT a.procedure_id, SUM(a.online) AS online, COUNT(*) AS total FROM ("
		"SELECT d.procedure_id, d.channel = 'online' AS online " BY_SUBMISSION
		"WHERE " SUBTREE "AND d.submitted_at >= ? AND d.submitted_at < ? "
		"UNION ALL SELECT d.procedure_id, d.channel = 'online' " BY_RECEPTION
		"WHERE " SUBTREE "AND d.submitted_at IS NULL AND d.received_at >= ? AND d.received_at < ?"
		") a GROUP BY a.procedure_id) x JOIN procedures p ON p.id = x.procedure_id "
		"ORDER BY x.online DESC, x.total DESC, p.code";
	char tf[24], tt[24];
	struct db_param a = DB_STR(scope_path), f = time_param(from, tf), t = time_param(to, tt);
	struct db_param p[] = { a, f, t, a, f, t };
	struct cb c = { (void *)fn, arg };

	return db_query(db, sql, p, 6, online_row, &c);
}
