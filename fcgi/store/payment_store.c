#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "payment_store.h"

static struct db_param time_param(mc_time t, char buf[24])
{
	if (t == 0)
		return DB_NULLP;
	time_format_db(t, buf, 24);
	return DB_STR(buf);
}

int payment_request_insert(struct db *db, long long dossier_id, long long amount_vnd,
                           long long officer_id, mc_time at)
{
	static const char sql[] =
		"INSERT INTO payment_requests (dossier_id, amount_vnd, officer_id, requested_at) "
		"VALUES (?, ?, ?, ?)";
	char t[24];
	struct db_param p[] = {
		DB_INT(dossier_id), amount_vnd >= 0 ? DB_INT(amount_vnd) : DB_NULLP,
		officer_id > 0 ? DB_INT(officer_id) : DB_NULLP, time_param(at, t),
	};

	return db_exec(db, sql, p, 4, NULL, NULL);
}

struct due { int found; long long requested, fees; int has_requested; };

static int due_cb(const struct db_row *r, void *arg)
{
	struct due *d = arg;

	d->found = 1;
	d->has_requested = r->val[0] != NULL;
	d->requested = db_row_int(r, 0, 0);
	d->fees = db_row_int(r, 1, 0);
	return 0;
}

int payment_amount_due(struct db *db, long long dossier_id, long long *amount_vnd)
{
	static const char sql[] =
		"SELECT (SELECT amount_vnd FROM payment_requests WHERE dossier_id = d.id "
		"        ORDER BY id DESC LIMIT 1), "
		"       (SELECT COALESCE(SUM(f.amount_vnd), 0) FROM procedure_fees f "
		"        WHERE f.procedure_id = d.procedure_id AND f.channel_seq = COALESCE("
		"          (SELECT MIN(c.seq) FROM procedure_channels c "
		"           WHERE c.procedure_id = d.procedure_id AND c.channel = d.channel), "
		"          (SELECT MIN(c.seq) FROM procedure_channels c WHERE c.procedure_id = d.procedure_id))) "
		"FROM dossiers d WHERE d.id = ?";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct due d = { 0, 0, 0, 0 };
	int rc = db_query(db, sql, p, 1, due_cb, &d);

	if (rc != 0)
		return rc < 0 ? rc : DB_ERR;
	if (!d.found)
		return 1;
	*amount_vnd = d.has_requested ? d.requested : d.fees;
	return 0;
}

int payment_order_insert(struct db *db, const char *order_ref, long long dossier_id,
                         const char *gateway, long long amount_vnd, mc_time at)
{
	static const char sql[] =
		"INSERT INTO payment_orders (order_ref, dossier_id, gateway, amount_vnd, status, created_at) "
		"VALUES (?, ?, ?, ?, 'pending', ?)";
	char t[24];
	struct db_param p[] = {
		DB_STR(order_ref), DB_INT(dossier_id), DB_STR(gateway), DB_INT(amount_vnd), time_param(at, t),
	};

	return db_exec(db, sql, p, 5, NULL, NULL);
}

#define ORDER_COLUMNS \
	"SELECT o.id, o.dossier_id, o.amount_vnd, o.order_ref, d.code, o.gateway, o.status, " \
	"o.gateway_txn, o.response_code, o.created_at, o.settled_at, r.number, r.issued_at " \
	"FROM payment_orders o JOIN dossiers d ON d.id = o.dossier_id " \
	"LEFT JOIN payment_receipts r ON r.order_id = o.id WHERE o.order_ref = ?"

static void copy(char *dst, size_t sz, const char *s)
{
	snprintf(dst, sz, "%s", s ? s : "");
}

static int order_cb(const struct db_row *r, void *arg)
{
	struct payment_order *o = arg;

	o->id = db_row_int(r, 0, 0);
	o->dossier_id = db_row_int(r, 1, 0);
	o->amount_vnd = db_row_int(r, 2, 0);
	copy(o->order_ref, sizeof o->order_ref, r->val[3]);
	copy(o->dossier_code, sizeof o->dossier_code, r->val[4]);
	copy(o->gateway, sizeof o->gateway, r->val[5]);
	copy(o->status, sizeof o->status, r->val[6]);
	copy(o->gateway_txn, sizeof o->gateway_txn, r->val[7]);
	copy(o->response_code, sizeof o->response_code, r->val[8]);
	o->created_at = time_from_db(r->val[9]);
	o->settled_at = time_from_db(r->val[10]);
	copy(o->receipt_number, sizeof o->receipt_number, r->val[11]);
	o->receipt_issued_at = time_from_db(r->val[12]);
	return 2;                       /* found */
}

static int order_query(struct db *db, const char *sql, const char *ref, struct payment_order *o)
{
	struct db_param p[] = { DB_STR(ref) };
	int rc;

	memset(o, 0, sizeof *o);
	rc = db_query(db, sql, p, 1, order_cb, o);
	if (rc == 2)
		return 0;
	return rc == 0 ? 1 : rc < 0 ? rc : DB_ERR;
}

int payment_order_get(struct db *db, const char *order_ref, struct payment_order *o)
{
	static const char sql[] = ORDER_COLUMNS;

	return order_query(db, sql, order_ref, o);
}

int payment_order_lock(struct db *db, const char *order_ref, struct payment_order *o)
{
	static const char sql[] = ORDER_COLUMNS " FOR UPDATE";

	return order_query(db, sql, order_ref, o);
}

int payment_order_settle(struct db *db, long long order_id, const char *status,
                         const char *gateway_txn, const char *response_code, mc_time at)
{
	static const char sql[] =
		"UPDATE payment_orders SET status = ?, gateway_txn = ?, response_code = ?, settled_at = ? "
		"WHERE id = ? AND status = 'pending'";
	char t[24];
	unsigned long long n = 0;
	struct db_param p[] = {
		DB_STR(status), DB_STR(gateway_txn), DB_STR(response_code), time_param(at, t), DB_INT(order_id),
	};
	int rc = db_exec(db, sql, p, 5, &n, NULL);

	return rc != 0 ? rc : n == 1 ? 0 : DB_ERR;
}

int payment_receipt_insert(struct db *db, const struct payment_order *o, mc_time at,
                           char number[33])
{
	static const char sql[] =
		"INSERT INTO payment_receipts (number, order_id, dossier_id, amount_vnd, issued_at) "
		"VALUES (?, ?, ?, ?, ?)";
	struct civil lc;
	char t[24];

	time_to_local(at, &lc);
	snprintf(number, 33, "BL-%02d%02d%02d-%07lld", lc.year % 100, lc.month, lc.day, o->id);
	{
		struct db_param p[] = {
			DB_STR(number), DB_INT(o->id), DB_INT(o->dossier_id), DB_INT(o->amount_vnd),
			time_param(at, t),
		};
		return db_exec(db, sql, p, 5, NULL, NULL);
	}
}
