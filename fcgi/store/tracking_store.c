#include <string.h>

#include "core/db.h"
#include "tracking_store.h"

struct cb {
	void *fn;
	int (*ev)(const struct tracked_event *e, void *arg);
	void *arg;
	int found;
};

static int dossier_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	struct tracked_dossier d = {
		.id = db_row_int(r, 0, 0), .code = r->val[1], .state = r->val[2], .channel = r->val[3],
		.submitted_at = r->val[4], .received_at = r->val[5], .due_at = r->val[6],
		.promised_at = r->val[7], .finished_at = r->val[8], .returned_at = r->val[9],
		.applicant_name = r->val[10], .applicant_phone = r->val[11],
		.applicant_email = r->val[12], .applicant_address = r->val[13],
		.pin_salt = (const unsigned char *)r->val[14], .pin_hash = (const unsigned char *)r->val[15],
		.result_ready = (int)db_row_int(r, 16, 0),
		.procedure_code = r->val[17], .procedure_name = r->val[18],
		.unit_code = r->val[19], .unit_name = r->val[20],
	};
	struct tracked_event e = { r->val[21], r->val[22], NULL, r->val[23], r->val[24] };
	int rc;

	/* one row per event, the dossier's columns repeated: the dossier once, first */
	if (!c->found) {
		c->found = 1;
		if (!d.pin_salt || !d.pin_hash || r->len[14] != 16 || r->len[15] != 32)
			return -1;
		if ((rc = ((int (*)(const struct tracked_dossier *, void *))c->fn)(&d, c->arg)) != 0)
			return rc;
	}
	return c->ev && e.at ? c->ev(&e, c->arg) : 0;
}

int tracking_dossier(struct db *db, const char *code,
                     int (*fn)(const struct tracked_dossier *d, void *arg),
                     int (*ev)(const struct tracked_event *e, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT d.id, d.code, d.state, d.channel, d.submitted_at, d.received_at, d.due_at, "
		"d.promised_at, d.finished_at, d.returned_at, d.applicant_name, d.applicant_phone, "
		"d.applicant_email, d.applicant_address, d.pin_salt, d.pin_hash, d.result_ready, "
		"p.code, p.name, u.code, u.name, e.at, e.action, eu.code, eu.name "
		"FROM dossiers d JOIN procedures p ON p.id = d.procedure_id "
		"JOIN units u ON u.id = d.unit_id "
		"LEFT JOIN dossier_events e ON e.dossier_id = d.id "
		"LEFT JOIN units eu ON eu.id = e.unit_id "
		"WHERE d.code = ? ORDER BY e.seq";
	struct db_param p[] = { DB_STR(code) };
	struct cb c = { (void *)fn, ev, arg, 0 };
	int rc = db_query(db, sql, p, 1, dossier_cb, &c);

	if (rc != 0)
		return rc < 0 ? rc : -1;
	return c.found ? 0 : 1;
}

struct req_cb { int (*fn)(const struct tracked_requests *, void *); void *arg; };

static int requests_cb(const struct db_row *r, void *arg)
{
	struct req_cb *c = arg;
	struct tracked_requests q = { r->val[0], r->val[1], r->val[2], (int)db_row_int(r, 3, 0) };

	return c->fn(&q, c->arg);
}

int tracking_requests(struct db *db, long long dossier_id,
                      int (*fn)(const struct tracked_requests *q, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT s.items, s.note, s.requested_at, "
		"EXISTS (SELECT 1 FROM dossier_ratings r WHERE r.dossier_id = d.id) "
		"FROM dossiers d LEFT JOIN supplement_requests s ON s.id = "
		" (SELECT MAX(id) FROM supplement_requests WHERE dossier_id = d.id AND fulfilled_at IS NULL) "
		"WHERE d.id = ?";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct req_cb c = { fn, arg };

	return db_query(db, sql, p, 1, requests_cb, &c);
}
