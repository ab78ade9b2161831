#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "domain/mailfmt.h"
#include "outbox_store.h"
#include "notify_store.h"

#define SUBJECT_MAX 512
#define BODY_MAX    (64 * 1024)

/* a phone number as people write it: digits, with '+', spaces, dots and dashes between */
static int phone_ok(const char *s)
{
	int digits = 0;

	if (!s)
		return 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr("+ .-()", *s))
			return 0;
	}
	return digits >= 8 && digits <= 15;
}

static int enqueue_one(struct db *db, long long dossier_id, enum notify_kind kind,
                       enum notify_channel ch, const char *to, const struct notify_facts *f,
                       const char *event_key, char *subject, char *body)
{
	char key[192];
	int rc;

	if (notify_compose(kind, ch, f, subject, SUBJECT_MAX, body, BODY_MAX) != 0)
		return DB_ERR;          /* a text that does not fit is not sent half */
	if ((size_t)snprintf(key, sizeof key, "%s:%s:%s", event_key, notify_kind_code(kind),
	                     notify_channel_code(ch)) >= sizeof key)
		return DB_ERR;
	rc = outbox_enqueue(db, dossier_id, notify_kind_code(kind), notify_channel_code(ch), to,
	                    subject, body, key);
	return rc < 0 ? rc : rc == 0 ? 1 : 0;
}

static int enqueue_all(struct db *db, long long dossier_id, enum notify_kind kind,
                       const char *email, const char *phone, const struct notify_facts *f,
                       const char *event_key)
{
	char *subject = malloc(SUBJECT_MAX), *body = malloc(BODY_MAX);
	int added = 0, rc = 0;

	if (!subject || !body) {
		free(subject);
		free(body);
		return DB_ERR;
	}
	if (email && mailfmt_address_ok(email)) {
		if ((rc = enqueue_one(db, dossier_id, kind, NCH_EMAIL, email, f, event_key, subject, body)) < 0)
			goto out;
		added += rc;
	}
	if (phone_ok(phone)) {
		if ((rc = enqueue_one(db, dossier_id, kind, NCH_SMS, phone, f, event_key, subject, body)) < 0)
			goto out;
		added += rc;
	}
	rc = added;
out:
	free(subject);
	free(body);
	return rc;
}

static const char *public_url(const struct notify_extra *x)
{
	const char *u = x && x->public_url && *x->public_url ? x->public_url : getenv("MOTCUA_PUBLIC_URL");

	return u && *u ? u : "http://127.0.0.1:8080";
}

struct dossier_facts {
	int found;
	long long seq;
	mc_time due_at, promised_at;
	char code[49], name[256], email[256], phone[33], procedure[1001], reason[2001];
};

static int facts_row(const struct db_row *r, void *arg)
{
	struct dossier_facts *d = arg;

	d->found = 1;
	snprintf(d->code, sizeof d->code, "%s", r->val[0] ? r->val[0] : "");
	snprintf(d->name, sizeof d->name, "%s", r->val[1] ? r->val[1] : "");
	snprintf(d->email, sizeof d->email, "%s", r->val[2] ? r->val[2] : "");
	snprintf(d->phone, sizeof d->phone, "%s", r->val[3] ? r->val[3] : "");
	snprintf(d->procedure, sizeof d->procedure, "%s", r->val[4] ? r->val[4] : "");
	d->due_at = time_from_db(r->val[5]);
	d->promised_at = time_from_db(r->val[6]);
	snprintf(d->reason, sizeof d->reason, "%s", r->val[7] ? r->val[7] : "");
	d->seq = db_row_int(r, 8, 0);
	return 0;
}

int notify_dossier_event(struct db *db, long long dossier_id, enum notify_kind kind,
                         const struct notify_extra *extra)
{
	static const char sql[] =
		"SELECT d.code, d.applicant_name, d.applicant_email, d.applicant_phone, p.name, d.due_at, "
		"d.promised_at, d.refusal_reason, "
		"(SELECT MAX(e.seq) FROM dossier_events e WHERE e.dossier_id = d.id) "
		"FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE d.id = ?";
	static const struct notify_extra none = { 0 };
	const struct notify_extra *x = extra ? extra : &none;
	struct dossier_facts *d = calloc(1, sizeof *d);
	struct db_param p[] = { DB_INT(dossier_id) };
	struct notify_facts f;
	char key[160];
	int rc;

	if (!d)
		return DB_ERR;
	if ((rc = db_query(db, sql, p, 1, facts_row, d)) != 0 || !d->found) {
		free(d);
		return rc < 0 ? rc : DB_ERR;
	}
	f = (struct notify_facts){
		.dossier_code = d->code, .procedure_name = d->procedure, .applicant_name = d->name,
		.public_url = public_url(x), .at = time(NULL),
		.date = x->date ? x->date : kind == NK_LATE_NEW_DATE ? d->promised_at : d->due_at,
		.reason = x->reason ? x->reason : d->reason, .items = x->items, .nitems = x->nitems,
		.note = x->note, .amount_vnd = x->has_amount ? x->amount_vnd : -1, .link = x->link,
		.text = x->text,
	};
	if (x->event_key)
		snprintf(key, sizeof key, "%s", x->event_key);
	else
		snprintf(key, sizeof key, "%s:%lld", d->code, d->seq);
	rc = enqueue_all(db, dossier_id, kind, d->email, d->phone, &f, key);
	free(d);
	return rc;
}

int notify_recipient(struct db *db, const char *email, const char *phone, const char *name,
                     const char *code, enum notify_kind kind, const struct notify_extra *extra)
{
	struct notify_facts f;

	if (!extra || !extra->event_key || !*extra->event_key)
		return DB_ERR;
	f = (struct notify_facts){
		.dossier_code = code, .applicant_name = name, .public_url = public_url(extra),
		.at = time(NULL), .date = extra->date, .reason = extra->reason, .items = extra->items,
		.nitems = extra->nitems, .note = extra->note,
		.amount_vnd = extra->has_amount ? extra->amount_vnd : -1, .link = extra->link,
		.text = extra->text,
	};
	return enqueue_all(db, 0, kind, email, phone, &f, extra->event_key);
}
