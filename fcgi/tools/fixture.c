/*
 * Test fixtures (see fixture.h). The form06-seed fixture plans each dossier from the
 * class it must fall in at the period's end (resolved before / on / after its due date,
 * withdrawn, in process within or overdue, or one of the dossiers the report leaves out),
 * draws its reception and procedure until the working calendar of the database gives
 * dates that fit the class, and writes it with its documents, pauses and a history that
 * follows the workflow action by action. The due dates come from dossier_due_at(), the
 * step due times from the rule of api/dossiers.c, and the history goes through
 * history_append(), so the hash chain is the service's own.
 *
 * The draws are seeded: the same database gives the same dossiers (receipt secrets
 * apart, which are random and never shown).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/db.h"
#include "domain/action.h"
#include "domain/calendar.h"
#include "domain/dossier_code.h"
#include "domain/dossier_due.h"
#include "domain/dossier_state.h"
#include "domain/timeutil.h"
#include "store/calendar_store.h"
#include "store/catalog_write.h"
#include "store/history_store.h"
#include "store/officer_store.h"
#include "tools/fixture.h"

#define FX_PROCS      64
#define FX_STEPS      12
#define FX_EVENTS     40
#define FX_TRIES      400
#define FX_UNITS      5
#define HOUR          3600
#define WORK_DAY      CAL_WORKING_DAY_SECONDS
#define PIN_ALPHABET  "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#define FX_PIN_LEN    10

/* What a dossier is at the end of the period 2025-01-01..2025-06-30. */
enum fx_class {
	FX_BEFORE = 0,      /* resolved in the period, the day before its due date or earlier */
	FX_ON_TIME,         /* resolved on its due date */
	FX_LATE,            /* resolved after its due date */
	FX_WITHDRAWN,       /* withdrawn in the period: counts as on time */
	FX_WITHIN,          /* in process at the end, due after it; resolved in July-September */
	FX_WITHIN_PAUSED,   /* the same, waiting for a supplement across the period's end */
	FX_OVERDUE,         /* in process at the end, due before it; resolved late in August */
	FX_OVERDUE_PAUSED,  /* suspended after its due date had passed, and still suspended */
	FX_REFUSED,         /* refused in the period: left out */
	FX_NOT_ACCEPTED,    /* online, not accepted in the period: left out */
	FX_WAITING,         /* online, submitted on the last day, not accepted in July: left out */
	FX_EARLIER,         /* received and resolved before the period: left out */
	FX_LATER,           /* received after the period: left out */
	FX__MAX
};

/* How many of each class a unit gets, and how many of the first three came over from
 * December 2024. */
struct fx_quota { int n[FX__MAX]; int carried[3]; };

/* The district's own dossiers: 826 = 771 resolved (758 + 6 withdrawn before or on
 * time, 7 late) + 54 within + 1 overdue. */
static const struct fx_quota district_quota = {
	.n = { [FX_BEFORE] = 600, [FX_ON_TIME] = 158, [FX_LATE] = 7, [FX_WITHDRAWN] = 6,
	       [FX_WITHIN] = 44, [FX_WITHIN_PAUSED] = 10, [FX_OVERDUE_PAUSED] = 1,
	       [FX_REFUSED] = 8, [FX_NOT_ACCEPTED] = 6, [FX_WAITING] = 1, [FX_EARLIER] = 10,
	       [FX_LATER] = 10 },
	.carried = { 18, 5, 1 },
};

/* The communes together: 4,231 = 3,860 resolved (3,806 + 25 withdrawn, 29 late) + 370
 * within + 1 overdue; shared among the four communes by commune_weight. */
static const struct fx_quota communes_quota = {
	.n = { [FX_BEFORE] = 3100, [FX_ON_TIME] = 706, [FX_LATE] = 29, [FX_WITHDRAWN] = 25,
	       [FX_WITHIN] = 300, [FX_WITHIN_PAUSED] = 70, [FX_OVERDUE] = 1,
	       [FX_REFUSED] = 40, [FX_NOT_ACCEPTED] = 32, [FX_WAITING] = 4, [FX_EARLIER] = 48,
	       [FX_LATER] = 48 },
	.carried = { 80, 20, 3 },
};
static const int commune_weight[FX_UNITS - 1] = { 30, 27, 23, 20 };   /* per cent */

struct fx_unit_def { const char *code, *name, *short_name, *level, *label, *slug; };

static const struct fx_unit_def unit_defs[FX_UNITS] = {
	{ FIXTURE_FORM06_DISTRICT, "Ủy ban nhân dân huyện Hải Lăng", "Huyện Hải Lăng", "district",
	  "Huyện", "hailang" },
	{ "000.21.29.H45", "Ủy ban nhân dân thị trấn Diên Sanh", "Thị trấn Diên Sanh", "commune",
	  "Thị trấn", "diensanh" },
	{ "000.22.29.H45", "Ủy ban nhân dân xã Hải An", "Xã Hải An", "commune", "Xã", "haian" },
	{ "000.23.29.H45", "Ủy ban nhân dân xã Hải Ba", "Xã Hải Ba", "commune", "Xã", "haiba" },
	{ "000.24.29.H45", "Ủy ban nhân dân xã Hải Quế", "Xã Hải Quế", "commune", "Xã", "haique" },
};
#define FX_PROVINCE "000.00.00.H45"

enum fx_role { FR_DESK = 0, FR_SPECIALIST, FR_LEADER, FR_CLERK, FR_MONITOR, FR__MAX };
static const struct { const char *suffix, *roles; } role_defs[FR__MAX] = {
	[FR_DESK] = { "motcua", "desk" }, [FR_SPECIALIST] = { "chuyenvien", "specialist" },
	[FR_LEADER] = { "lanhdao", "leader" }, [FR_CLERK] = { "vanthu", "clerk" },
	[FR_MONITOR] = { "giamsat", "monitor" },
};
static const char *const officer_names[FX_UNITS][FR__MAX] = {
	{ "Lê Thị Hồng Nhung", "Nguyễn Văn Hải", "Trần Quang Minh", "Phan Thị Mai", "Hoàng Đức Long" },
	{ "Võ Thị Thu Trang", "Lê Văn Tâm", "Nguyễn Hữu Thắng", "Đặng Thị Hoa", "Bùi Văn Sơn" },
	{ "Trương Thị Lan", "Hồ Văn Phúc", "Lê Quang Vinh", "Nguyễn Thị Yến", "Phạm Văn Đạt" },
	{ "Ngô Thị Hạnh", "Trần Văn Toàn", "Đỗ Minh Hiếu", "Lê Thị Oanh", "Nguyễn Văn Kiên" },
	{ "Phan Thị Diệu", "Hoàng Văn Nam", "Lê Đình Trung", "Võ Thị Ngân", "Trần Hữu Lộc" },
};

static const char *const family[] = { "Nguyễn", "Lê", "Trần", "Phan", "Hoàng", "Võ", "Đặng", "Hồ" };
static const char *const middle[] = { "Văn", "Thị", "Hữu", "Quang", "Thị Thu", "Đức", "Minh" };
static const char *const given[] = { "An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hương", "Khánh",
	"Lan", "Long", "Mai", "Nam", "Phúc", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trung", "Vy", "Yến" };
static const char *const villages[] = { "Thôn Trường Thọ", "Thôn Câu Nhi", "Thôn Hội Kỳ",
	"Thôn Phước Điền", "Khóm 3", "Thôn Mỹ Thủy", "Thôn Diên Khánh" };

struct fx_step { char name[256]; int role; int permille; };

struct fx_proc {
	long long id, field_id;
	int64_t amount;                 /* hundredths of working days */
	int online_ok, full, restart;
	int nsteps;
	struct fx_step steps[FX_STEPS];
};

struct fx_unit {
	long long id;
	long long officer_id[FR__MAX];
	char account[FR__MAX][64];
	int nprocs;
	int procs[FX_PROCS];            /* indexes into fx.procs */
	int64_t last_day;               /* code numbering: local day and number of the last code */
	unsigned long last_seq;
};

struct fx_item {
	int unit, cls, carried, proc, channel, result_channel, pause_state, returned;
	mc_time submitted, received, due, due0, finished, returned_at, pause_from, pause_to;
	char code[DOSSIER_CODE_MAX + 8];
};

struct fx {
	struct db *db;
	struct calendar cal;
	unsigned short rng[3];
	struct fx_proc procs[FX_PROCS];
	int nprocs;
	struct fx_unit units[FX_UNITS];
	struct fx_item *items;
	size_t nitems, cap;
};

/* ------------------------------------------------------------------ helpers */

static double unit_rand(struct fx *f) { return erand48(f->rng); }
static int below(struct fx *f, int n) { return n > 0 ? (int)(unit_rand(f) * n) : 0; }
#define PICK(f, a) ((a)[below((f), (int)(sizeof(a) / sizeof((a)[0])))])

static mc_time local_time(int y, int m, int d, int h, int min)
{
	struct civil c = { .year = y, .month = m, .day = d, .hour = h, .min = min };

	return time_from_local(&c);
}

/* A working instant drawn between lo and hi (hi exclusive); 0 if the calendar fails. */
static mc_time draw_instant(struct fx *f, mc_time lo, mc_time hi)
{
	mc_time t = lo + (mc_time)(unit_rand(f) * (double)(hi - lo)), w;

	if (calendar_next_working_instant(&f->cal, t, &w) != CAL_OK || w >= hi)
		return 0;
	return w;
}

static mc_time add_working(struct fx *f, mc_time t, int64_t secs)
{
	mc_time out;

	return calendar_add_working_seconds(&f->cal, t, secs, &out) == CAL_OK ? out : 0;
}

static int64_t day_of(mc_time t) { return local_day_number(t); }

/* api/dossiers.c: a step's due time is its share of the procedure's working time after
 * the next working instant from its start. */
static mc_time step_due(struct fx *f, const struct fx_proc *p, int k, mc_time start)
{
	mc_time s;

	if (k < 0 || k >= p->nsteps || calendar_next_working_instant(&f->cal, start, &s) != CAL_OK)
		return 0;
	return add_working(f, s, p->amount * WORK_DAY / 100 * p->steps[k].permille / 1000);
}

static int role_index(const char *s)
{
	for (int r = 0; r < FR__MAX; r++)
		if (strcmp(s, role_defs[r].roles) == 0)
			return r;
	return FR_SPECIALIST;
}

/* ------------------------------------------------------------------ loading */

static int id_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

static int proc_cb(const struct db_row *r, void *arg)
{
	struct fx *f = arg;
	struct fx_proc *p;

	if (f->nprocs == FX_PROCS)
		return 0;
	p = &f->procs[f->nprocs++];
	memset(p, 0, sizeof *p);
	p->id = db_row_int(r, 0, 0);
	p->field_id = db_row_int(r, 1, 0);
	p->amount = db_row_int(r, 2, 0);
	p->online_ok = r->val[3] && strcmp(r->val[3], "info") != 0;
	p->full = r->val[3] && strcmp(r->val[3], "full") == 0;
	p->restart = (int)db_row_int(r, 4, 0);
	return 0;
}

static int step_cb(const struct db_row *r, void *arg)
{
	struct fx_proc *p = arg;
	struct fx_step *s;

	if (p->nsteps == FX_STEPS)
		return 0;
	s = &p->steps[p->nsteps++];
	snprintf(s->name, sizeof s->name, "%s", r->val[0] ? r->val[0] : "");
	s->role = role_index(r->val[1] ? r->val[1] : "");
	s->permille = (int)db_row_int(r, 2, 0);
	return 0;
}

/* The published procedures of a level whose internal process stays in the receiving unit
 * (no inter-agency step), in working days from 3 to 15: long enough for a dossier to be
 * finished the day before its due date. */
static int load_procedures(struct fx *f, const char *level, int unit_from, int unit_to)
{
	static const char district_sql[] =
		"SELECT p.id, p.field_id, ROUND(p.processing_time * 100), p.service_level, "
		"p.restart_on_supplement FROM procedures p WHERE p.published = 1 AND p.level_district = 1 "
		"AND p.time_unit = 'working_days' AND p.processing_time BETWEEN 3 AND 15 "
		"AND EXISTS (SELECT 1 FROM procedure_process_steps s WHERE s.procedure_id = p.id) "
		"AND NOT EXISTS (SELECT 1 FROM procedure_process_steps s WHERE s.procedure_id = p.id "
		"AND s.unit_level NOT IN ('receiving', 'district')) ORDER BY p.code";
	static const char commune_sql[] =
		"SELECT p.id, p.field_id, ROUND(p.processing_time * 100), p.service_level, "
		"p.restart_on_supplement FROM procedures p WHERE p.published = 1 AND p.level_commune = 1 "
		"AND p.time_unit = 'working_days' AND p.processing_time BETWEEN 3 AND 15 "
		"AND EXISTS (SELECT 1 FROM procedure_process_steps s WHERE s.procedure_id = p.id) "
		"AND NOT EXISTS (SELECT 1 FROM procedure_process_steps s WHERE s.procedure_id = p.id "
		"AND s.unit_level NOT IN ('receiving', 'commune')) ORDER BY p.code";
	static const char steps_sql[] =
		"SELECT name, role, share_permille FROM procedure_process_steps WHERE procedure_id = ? "
		"ORDER BY seq";
	int first = f->nprocs, rc;

	if ((rc = db_query(f->db, strcmp(level, "district") == 0 ? district_sql : commune_sql,
	                   NULL, 0, proc_cb, f)) != 0)
		return rc;
	for (int i = first; i < f->nprocs; i++) {
		struct db_param p[] = { DB_INT(f->procs[i].id) };
		if ((rc = db_query(f->db, steps_sql, p, 1, step_cb, &f->procs[i])) != 0)
			return rc;
	}
	if (f->nprocs == first) {
		fprintf(stderr, "load-fixture: no %s procedure fits (import the demo catalog first)\n", level);
		return DB_ERR;
	}
	for (int u = unit_from; u < unit_to; u++)
		for (int i = first; i < f->nprocs; i++)
			f->units[u].procs[f->units[u].nprocs++] = i;
	return 0;
}

static int make_units_and_officers(struct fx *f)
{
	static const char officer_id_sql[] = "SELECT id FROM officers WHERE username = ?";
	char hash[PASSWORD_HASH_MAX];
	static const char pw[] = "motcua-demo-2025";  /* the demo accounts' (README) */
	int rc;

	/* one hash for every fixture account: they are test accounts of a test stack */
	if (password_hash(pw, sizeof pw - 1, hash) != 0)
		return DB_ERR;
	for (int u = 0; u < FX_UNITS; u++) {
		const struct fx_unit_def *d = &unit_defs[u];
		if ((rc = catalog_upsert_unit(f->db, d->code, d->name, d->short_name, d->level, d->label,
		                              u == 0 ? FX_PROVINCE : unit_defs[0].code, &f->units[u].id)) != 0) {
			if (rc == 1)
				fprintf(stderr, "load-fixture: no unit %s (load the demo units first)\n", FX_PROVINCE);
			return rc == 1 ? DB_ERR : rc;
		}
		for (int r = 0; r < FR__MAX; r++) {
			struct officer_write w = {
				.username = f->units[u].account[r], .full_name = officer_names[u][r],
				.roles = role_defs[r].roles, .unit_code = d->code, .email = "", .phone = "",
				.password_hash = hash, .active = 1,
			};
			struct db_param p[1];
			if (r == FR_MONITOR && u != 0)
				continue;   /* the district's monitor watches its communes too */
			snprintf(f->units[u].account[r], sizeof f->units[u].account[r], "%s.%s", d->slug,
			         role_defs[r].suffix);
			if ((rc = officer_create(f->db, &w)) != 0)
				return rc < 0 ? rc : DB_ERR;
			p[0] = DB_STR(f->units[u].account[r]);
			if ((rc = db_query(f->db, officer_id_sql, p, 1, id_cb, &f->units[u].officer_id[r])) != 0)
				return rc;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ planning */

/*
 * A finish time for a dossier of class cls (FX_BEFORE, FX_ON_TIME, FX_LATE, or
 * FX_WITHDRAWN for "any time before its due") no earlier than `earliest` + 10 minutes,
 * within [lo, hi). 0 when the draw does not fit.
 */
static mc_time pick_finish(struct fx *f, int cls, mc_time earliest, mc_time due, mc_time lo, mc_time hi)
{
	mc_time t = 0, floor = earliest + 600;

	if (cls == FX_BEFORE) {
		int64_t dlo = day_of(floor > lo ? floor : lo), dhi = day_of(due) - 1, d;
		int y, m, dd;
		if (day_of(hi - 1) < dhi)
			dhi = day_of(hi - 1);
		if (dlo > dhi)
			return 0;
		d = dlo + below(f, (int)(dhi - dlo + 1));
		if (!calendar_is_working_day(&f->cal, d))
			return 0;
		civil_from_days(d, &y, &m, &dd);
		t = draw_instant(f, local_time(y, m, dd, 7, 30), local_time(y, m, dd, 16, 50));
		if (t && t < floor)
			t = floor;
		if (!t || day_of(t) != d)
			return 0;
	} else if (cls == FX_ON_TIME) {
		t = due - 600 - below(f, 1800);
		if (t < floor || day_of(t) != day_of(due))
			return 0;
	} else if (cls == FX_LATE) {
		t = add_working(f, due, (int64_t)(1 + below(f, 3)) * WORK_DAY + below(f, 4 * HOUR));
		if (!t || day_of(t) <= day_of(due) || t < floor)
			return 0;
	} else {
		int64_t w = calendar_working_seconds_between(&f->cal, floor, due);
		t = add_working(f, floor, w > 0 ? (int64_t)(unit_rand(f) * 0.9 * (double)w) : 0);
	}
	return t && t >= lo && t < hi ? t : 0;
}

/* The due date of the item from its reception and pause (the one rule of dossier_due_at). */
static int item_due(struct fx *f, struct fx_item *it)
{
	const struct fx_proc *p = &f->procs[it->proc];
	struct dossier_pause pause = { it->pause_from, it->pause_to, it->pause_state == STATE_AWAITING_SUPPLEMENT };

	if (dossier_due_at(&f->cal, it->received, p->amount, CAL_WORKING_DAYS, p->restart, NULL, 0,
	                   &it->due0) != CAL_OK)
		return -1;
	if (!it->pause_state) {
		it->due = it->due0;
		return 0;
	}
	return dossier_due_at(&f->cal, it->received, p->amount, CAL_WORKING_DAYS, p->restart, &pause, 1,
	                      &it->due) == CAL_OK ? 0 : -1;
}

/* Opens a pause of `state` a few working hours after reception (and before `before`),
 * ending `days` calendar days later at the next working instant (days 0: still open). */
static int add_pause(struct fx *f, struct fx_item *it, int state, mc_time before, int days)
{
	it->pause_state = state;
	it->pause_from = add_working(f, it->received, 2 * HOUR + below(f, 4 * HOUR));
	if (!it->pause_from || it->pause_from >= before)
		return -1;
	it->pause_to = 0;
	if (days > 0 && calendar_next_working_instant(&f->cal, it->pause_from + (mc_time)days * 86400,
	                                              &it->pause_to) != CAL_OK)
		return -1;
	return 0;
}

/* The reception (and online submission) drawn in [lo, hi). */
static int draw_reception(struct fx *f, struct fx_item *it, mc_time lo, mc_time hi)
{
	it->submitted = 0;
	if (it->channel == CHANNEL_ONLINE) {
		if ((it->submitted = draw_instant(f, lo, hi)) == 0)
			return -1;
		it->received = add_working(f, it->submitted, HOUR + below(f, 5 * HOUR));
	} else {
		it->received = draw_instant(f, lo, hi);
	}
	return it->received && it->received < hi ? 0 : -1;
}

/* One draw of the item's dates for its class; 0 if it fits, -1 to draw again. */
static int draw_life(struct fx *f, struct fx_item *it)
{
	const mc_time P0 = local_time(2025, 1, 1, 0, 0), P1 = local_time(2025, 7, 1, 0, 0);
	const mc_time END = local_time(2025, 10, 1, 0, 0);
	int finish_cls = it->cls;
	mc_time lo, hi, earliest;

	it->pause_state = 0;
	it->pause_from = it->pause_to = 0;
	switch (it->cls) {
	case FX_BEFORE: case FX_ON_TIME: case FX_LATE:
		if (it->carried) {
			if (draw_reception(f, it, local_time(2024, 12, 2, 0, 0), local_time(2024, 12, 31, 16, 0)) != 0)
				return -1;
		} else if (draw_reception(f, it, local_time(2025, 1, 2, 0, 0), local_time(2025, 6, 20, 0, 0)) != 0) {
			return -1;
		}
		if (below(f, 100) < 12 && add_pause(f, it, STATE_AWAITING_SUPPLEMENT, P1, 2 + below(f, 4)) != 0)
			return -1;
		lo = P0;
		hi = P1;
		break;
	case FX_WITHDRAWN:
		if (draw_reception(f, it, local_time(2025, 1, 2, 0, 0), local_time(2025, 6, 20, 0, 0)) != 0)
			return -1;
		lo = P0;
		hi = P1;
		break;
	case FX_WITHIN:
		if (draw_reception(f, it, local_time(2025, 6, 9, 0, 0), local_time(2025, 6, 30, 16, 0)) != 0)
			return -1;
		finish_cls = below(f, 100) < 80 ? FX_BEFORE : FX_ON_TIME;
		lo = P1;
		hi = END;
		break;
	case FX_WITHIN_PAUSED:
		if (draw_reception(f, it, local_time(2025, 6, 2, 0, 0), local_time(2025, 6, 24, 0, 0)) != 0 ||
		    add_pause(f, it, STATE_AWAITING_SUPPLEMENT, local_time(2025, 6, 30, 15, 0), 0) != 0 ||
		    calendar_next_working_instant(&f->cal, local_time(2025, 7, 2 + below(f, 12), 8, 0),
		                                  &it->pause_to) != CAL_OK)
			return -1;
		finish_cls = below(f, 100) < 80 ? FX_BEFORE : FX_ON_TIME;
		lo = P1;
		hi = END;
		break;
	case FX_OVERDUE:
		if (draw_reception(f, it, local_time(2025, 5, 5, 0, 0), local_time(2025, 5, 30, 0, 0)) != 0)
			return -1;
		finish_cls = FX_LATE;
		lo = local_time(2025, 8, 1, 0, 0);
		hi = local_time(2025, 8, 30, 0, 0);
		if (item_due(f, it) != 0 || it->due >= local_time(2025, 6, 27, 0, 0))
			return -1;
		if ((it->finished = draw_instant(f, lo, hi)) == 0)
			return -1;
		return 0;
	case FX_OVERDUE_PAUSED:
		if (draw_reception(f, it, local_time(2025, 5, 5, 0, 0), local_time(2025, 5, 20, 0, 0)) != 0 ||
		    item_due(f, it) != 0 || it->due >= local_time(2025, 6, 5, 0, 0))
			return -1;
		it->pause_state = STATE_SUSPENDED;
		it->pause_from = draw_instant(f, local_time(2025, 6, 10, 0, 0), local_time(2025, 6, 14, 0, 0));
		it->finished = 0;
		return it->pause_from && item_due(f, it) == 0 ? 0 : -1;
	case FX_REFUSED:
		if (draw_reception(f, it, local_time(2025, 1, 2, 0, 0), local_time(2025, 6, 10, 0, 0)) != 0 ||
		    item_due(f, it) != 0)
			return -1;
		it->finished = add_working(f, it->received, WORK_DAY + below(f, 2 * WORK_DAY));
		return it->finished && it->finished < P1 ? 0 : -1;
	case FX_NOT_ACCEPTED: case FX_WAITING:
		it->channel = CHANNEL_ONLINE;
		it->received = it->due = it->due0 = 0;
		it->submitted = it->cls == FX_WAITING
		                ? draw_instant(f, local_time(2025, 6, 30, 14, 0), local_time(2025, 6, 30, 16, 30))
		                : draw_instant(f, local_time(2025, 1, 2, 0, 0), local_time(2025, 6, 20, 0, 0));
		if (!it->submitted)
			return -1;
		it->finished = add_working(f, it->submitted, 2 * HOUR + below(f, 4 * HOUR));
		if (it->cls == FX_WAITING && it->finished < P1)
			it->finished = add_working(f, P1, HOUR + below(f, 2 * HOUR));
		return it->finished ? 0 : -1;
	case FX_EARLIER:
		if (draw_reception(f, it, local_time(2024, 11, 4, 0, 0), local_time(2024, 12, 5, 0, 0)) != 0)
			return -1;
		finish_cls = below(f, 100) < 80 ? FX_BEFORE : FX_ON_TIME;
		lo = local_time(2024, 11, 4, 0, 0);
		hi = P0;
		break;
	default: /* FX_LATER */
		if (draw_reception(f, it, local_time(2025, 7, 2, 0, 0), local_time(2025, 7, 25, 0, 0)) != 0)
			return -1;
		finish_cls = below(f, 100) < 80 ? FX_BEFORE : FX_ON_TIME;
		lo = P1;
		hi = local_time(2025, 11, 1, 0, 0);
		break;
	}
	if (item_due(f, it) != 0)
		return -1;
	/* within the deadline at the period's end: due on 1 July or later, before and after
	 * any pause, so that no reading of the pause rule makes it overdue */
	if ((it->cls == FX_WITHIN || it->cls == FX_WITHIN_PAUSED) && (it->due0 < P1 || it->due < P1))
		return -1;
	earliest = it->pause_to ? it->pause_to : it->received;
	it->finished = pick_finish(f, finish_cls, earliest, it->due, lo, hi);
	return it->finished ? 0 : -1;
}

static int plan_item(struct fx *f, int unit, int cls, int carried)
{
	struct fx_unit *u = &f->units[unit];
	struct fx_item *it;

	if (f->nitems == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 1024;
		struct fx_item *n = realloc(f->items, cap * sizeof *n);
		if (!n)
			return -1;
		f->items = n;
		f->cap = cap;
	}
	it = &f->items[f->nitems];
	memset(it, 0, sizeof *it);
	it->unit = unit;
	it->cls = cls;
	it->carried = carried;
	for (int tries = 0; tries < FX_TRIES; tries++) {
		int r = below(f, 100);
		it->proc = u->procs[below(f, u->nprocs)];
		it->channel = f->procs[it->proc].online_ok && r < 27 ? CHANNEL_ONLINE
		              : r >= 94 ? CHANNEL_POSTAL : CHANNEL_DIRECT;
		if (draw_life(f, it) == 0) {
			const struct fx_proc *p = &f->procs[it->proc];
			it->result_channel = it->channel == CHANNEL_ONLINE && p->full && below(f, 10) < 7 ? CHANNEL_ONLINE
			                     : it->channel == CHANNEL_POSTAL && below(f, 10) < 8 ? CHANNEL_POSTAL
			                     : CHANNEL_DIRECT;
			f->nitems++;
			return 0;
		}
	}
	fprintf(stderr, "load-fixture: no dates fit class %d in unit %s\n", cls, unit_defs[unit].code);
	return -1;
}

static int plan_unit(struct fx *f, int unit, const int n[FX__MAX], const int carried[3])
{
	for (int c = 0; c < FX__MAX; c++)
		for (int i = 0; i < n[c]; i++)
			if (plan_item(f, unit, c, c < 3 && i < carried[c]) != 0)
				return -1;
	return 0;
}

/* Shares `total` among the communes by commune_weight with exact cumulative rounding. */
static int share(int total, int commune)
{
	int cum0 = 0, cum1;

	for (int c = 0; c < commune; c++)
		cum0 += commune_weight[c];
	cum1 = cum0 + commune_weight[commune];
	return (total * cum1 + 50) / 100 - (total * cum0 + 50) / 100;
}

static int plan_all(struct fx *f)
{
	if (plan_unit(f, 0, district_quota.n, district_quota.carried) != 0)
		return -1;
	for (int c = 0; c < FX_UNITS - 1; c++) {
		int n[FX__MAX], carried[3];
		for (int k = 0; k < FX__MAX; k++)
			n[k] = share(communes_quota.n[k], c);
		for (int k = 0; k < 3; k++)
			carried[k] = share(communes_quota.carried[k], c);
		if (plan_unit(f, c + 1, n, carried) != 0)
			return -1;
	}
	return 0;
}

static mc_time arrival(const struct fx_item *it)
{
	return it->submitted ? it->submitted : it->received;
}

static int by_arrival(const void *a, const void *b)
{
	mc_time x = arrival(a), y = arrival(b);

	return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------------ history */

struct fx_ev {
	mc_time at;
	int action, to;                 /* enum dossier_action, enum dossier_state */
	int role;                       /* enum fx_role, or -1 for the applicant */
	int ord;                        /* order of making: ties keep it */
	char note[400];
};

struct fx_story {
	struct fx_ev ev[FX_EVENTS];
	int n;
};

static struct fx_ev *story_add(struct fx_story *s, mc_time at, int action, int to, int role)
{
	struct fx_ev *e;

	if (s->n == FX_EVENTS)
		return NULL;
	e = &s->ev[s->n++];
	e->at = at;
	e->action = action;
	e->to = to;
	e->role = role;
	e->ord = s->n;
	e->note[0] = '\0';
	return e;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct fx_ev *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* The time at which `offset` working seconds of work have been done since start,
 * the pause [pa, pb) not counting. */
static mc_time work_point(struct fx *f, mc_time start, int64_t offset, mc_time pa, mc_time pb)
{
	int64_t before = pa ? calendar_working_seconds_between(&f->cal, start, pa) : 0;

	if (!pa || !pb || offset <= before)
		return add_working(f, start, offset);
	return add_working(f, pb, offset - before);
}

static void waybill(struct fx *f, char *out, size_t sz)
{
	snprintf(out, sz, "EL%09dVN", below(f, 1000000000));
}

/* The story of an item as unsorted events; `stop` ends the processing (resolve, refuse,
 * withdraw or the open pause). */
static void make_story(struct fx *f, const struct fx_item *it, const char *waybill_in,
                       const char *waybill_out, struct fx_story *s)
{
	const struct fx_proc *p = &f->procs[it->proc];
	char date[16];
	struct fx_ev *e;
	mc_time start, stop, pa = 0, pb = 0;
	int64_t active, sum = 0;

	s->n = 0;
	time_format_vn_date(it->due0, date, sizeof date);
	if (it->submitted) {
		e = story_add(s, it->submitted, ACT_SUBMIT, STATE_SUBMITTED, -1);
		snprintf(e->note, sizeof e->note, "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công");
		if (it->cls == FX_NOT_ACCEPTED || it->cls == FX_WAITING) {
			e = story_add(s, it->finished, ACT_NOT_ACCEPT, STATE_NOT_ACCEPTED, FR_DESK);
			snprintf(e->note, sizeof e->note, "Thành phần hồ sơ không đầy đủ, không đúng quy định");
			return;
		}
		e = story_add(s, it->received, ACT_ACCEPT, STATE_PROCESSING, FR_DESK);
		snprintf(e->note, sizeof e->note, "Tiếp nhận hồ sơ trực tuyến; hẹn trả kết quả ngày %s", date);
	} else {
		e = story_add(s, it->received, ACT_RECEIVE, STATE_PROCESSING, FR_DESK);
		if (it->channel == CHANNEL_POSTAL)
			snprintf(e->note, sizeof e->note, "Tiếp nhận qua dịch vụ bưu chính công ích, số hiệu bưu gửi "
			         "%s; hẹn trả kết quả ngày %s", waybill_in, date);
		else
			snprintf(e->note, sizeof e->note, "Tiếp nhận trực tiếp; hẹn trả kết quả ngày %s", date);
	}
	if (it->pause_state == STATE_AWAITING_SUPPLEMENT) {
		e = story_add(s, it->pause_from, ACT_REQUEST_SUPPLEMENT, STATE_AWAITING_SUPPLEMENT, FR_SPECIALIST);
		snprintf(e->note, sizeof e->note, "Yêu cầu bổ sung: [\"Bản sao giấy tờ chứng minh nhân thân còn thời hạn\"]");
		e = story_add(s, it->pause_to, ACT_SUPPLEMENT, STATE_PROCESSING, -1);
		snprintf(e->note, sizeof e->note, "Người nộp hồ sơ đã bổ sung giấy tờ");
		pa = it->pause_from;
		pb = it->pause_to;
	} else if (it->pause_state == STATE_SUSPENDED) {
		e = story_add(s, it->pause_from, ACT_SUSPEND, STATE_SUSPENDED, FR_LEADER);
		snprintf(e->note, sizeof e->note, "Chờ kết quả xác minh của cơ quan có liên quan");
	}
	/* the steps share the working time from reception to the stop in their proportions;
	 * a dossier stopped early (refused, withdrawn, suspended) goes through the steps at
	 * the pace its due date asks and stops where it is */
	stop = it->finished ? it->finished : it->pause_from;
	calendar_next_working_instant(&f->cal, it->received, &start);
	active = calendar_working_seconds_between(&f->cal, start,
	                 it->cls == FX_WITHDRAWN || it->cls == FX_REFUSED || it->cls == FX_OVERDUE_PAUSED
	                 ? it->due : stop);
	if (pa && pb)
		active -= calendar_working_seconds_between(&f->cal, pa, pb);
	for (int k = 0; k + 1 < p->nsteps; k++) {
		mc_time t;
		sum += p->steps[k].permille;
		t = work_point(f, start, active * sum / 1000, pa, pb);
		if (!t || t >= stop || (pa && t > pa && (!pb || t < pb)))
			break;
		story_add(s, t, ACT_FORWARD, STATE_PROCESSING, p->steps[k].role);
	}
	switch (it->cls) {
	case FX_WITHDRAWN:
		e = story_add(s, it->finished, ACT_WITHDRAW, STATE_WITHDRAWN, -1);
		snprintf(e->note, sizeof e->note, "Người nộp hồ sơ có đơn đề nghị rút hồ sơ");
		return;
	case FX_REFUSED:
		e = story_add(s, it->finished, ACT_REFUSE, STATE_REFUSED, FR_LEADER);
		snprintf(e->note, sizeof e->note, "Hồ sơ không đủ điều kiện giải quyết theo quy định");
		return;
	case FX_OVERDUE_PAUSED:
		return;
	default:
		break;
	}
	{
		int last = p->steps[p->nsteps - 1].role;
		e = story_add(s, it->finished, ACT_RESOLVE, STATE_RESOLVED,
		              last == FR_CLERK || last == FR_LEADER ? last : FR_LEADER);
		snprintf(e->note, sizeof e->note, "Đã có kết quả giải quyết hồ sơ");
	}
	if (it->returned) {
		e = story_add(s, it->returned_at, ACT_RETURN, STATE_RETURNED, FR_DESK);
		if (it->result_channel == CHANNEL_ONLINE)
			snprintf(e->note, sizeof e->note, "Trả kết quả điện tử qua Cổng Dịch vụ công");
		else if (it->result_channel == CHANNEL_POSTAL)
			snprintf(e->note, sizeof e->note, "Trả kết quả qua dịch vụ bưu chính công ích, số hiệu bưu "
			         "gửi %s", waybill_out);
		else
			snprintf(e->note, sizeof e->note, "Trả kết quả trực tiếp tại Bộ phận một cửa");
	}
}

/* The dossier's columns that the story decides. */
struct fx_final {
	int state, step;
	mc_time step_due, step_started;
};

/* Appends the sorted story to the history, judging each step at its forward like the
 * API does; fills fin. */
static int write_story(struct fx *f, const struct fx_item *it, long long dossier_id,
                       struct fx_story *s, struct fx_final *fin)
{
	const struct fx_proc *p = &f->procs[it->proc];
	const struct fx_unit *u = &f->units[it->unit];
	int state = -1, step = 0, rc;
	mc_time sdue = 0, sstart = 0;

	qsort(s->ev, (size_t)s->n, sizeof s->ev[0], ev_cmp);
	for (int i = 0; i < s->n; i++) {
		struct fx_ev *e = &s->ev[i];
		mc_time due = 0;
		struct history_append h;

		if (e->action == ACT_RECEIVE || e->action == ACT_ACCEPT) {
			step = 1;
			sstart = e->at;
			sdue = step_due(f, p, 0, e->at);
			due = sdue;     /* the first step's own due time, for who reads step times */
		} else if (e->action == ACT_FORWARD) {
			size_t len = strlen(e->note);
			snprintf(e->note + len, sizeof e->note - len, "Bước xử lý hoàn thành %s",
			         !sdue || e->at <= sdue ? "đúng hạn" : "quá hạn");
			step++;
			sstart = e->at;
			sdue = step_due(f, p, step - 1, e->at);
			due = sdue;
		}
		h = (struct history_append){
			.dossier_id = dossier_id, .dossier_code = it->code, .at = e->at,
			.action = action_code((enum dossier_action)e->action),
			.from_state = state >= 0 ? dossier_state_code((enum dossier_state)state) : "",
			.to_state = dossier_state_code((enum dossier_state)e->to),
			.unit_id = u->id, .unit_code = unit_defs[it->unit].code,
			.step_seq = step > 0 ? step : -1,
			.step_name = step > 0 ? p->steps[step - 1].name : "",
			.actor = e->role < 0 ? "applicant" : u->account[e->role], .note = e->note, .due_at = due,
		};
		if ((rc = history_append(f->db, &h)) != 0)
			return rc;
		state = e->to;
	}
	fin->state = state;
	fin->step = step;
	fin->step_due = sdue;
	fin->step_started = sstart;
	return 0;
}

/* ------------------------------------------------------------------ writing */

static void time_param(mc_time t, char *buf, struct db_param *p)
{
	if (!t) {
		*p = DB_NULLP;
		return;
	}
	time_format_db(t, buf, 24);
	*p = DB_STR(buf);
}

static int write_item(struct fx *f, struct fx_item *it)
{
	static const char insert_sql[] =
		"INSERT INTO dossiers (code, procedure_id, field_id, unit_id, channel, result_channel, state, "
		"applicant_name, applicant_id_number, applicant_phone, applicant_address, pin_salt, pin_hash, "
		"waybill_in, waybill_out, submitted_at, received_at, due_at, finished_at, returned_at, "
		"current_step, current_unit_id, step_due_at, step_started_at, paused_from_state, received_by, "
		"result_ready, refusal_reason) "
		"VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char state_sql[] =
		"UPDATE dossiers SET state = ?, current_step = ?, step_due_at = ?, step_started_at = ?, version = ? "
		"WHERE id = ?";
	static const char docs_sql[] =
		"INSERT INTO dossier_documents (dossier_id, seq, name, originals, copies) "
		"SELECT ?, seq, name, originals, copies FROM procedure_documents "
		"WHERE procedure_id = ? AND case_name = '' AND required = 1";
	static const char pause_sql[] =
		"INSERT INTO dossier_pauses (dossier_id, seq, state, from_at, to_at) VALUES (?, 1, ?, ?, ?)";
	static const char supp_sql[] =
		"INSERT INTO supplement_requests (dossier_id, items, note, requested_by, requested_at, fulfilled_at) "
		"VALUES (?, '[\"Bản sao giấy tờ chứng minh nhân thân còn thời hạn\"]', '', ?, ?, ?)";
	const struct fx_proc *p = &f->procs[it->proc];
	const struct fx_unit *u = &f->units[it->unit];
	static const char *const channels[] = { [CHANNEL_DIRECT] = "direct", [CHANNEL_ONLINE] = "online",
	                                        [CHANNEL_POSTAL] = "postal" };
	char name[128], idn[16], phone[16], addr[200], win[24] = "", wout[24] = "";
	char t_sub[24], t_rec[24], t_due[24], t_fin[24], t_ret[24], t_sd[24], t_ss[24], t_pa[24], t_pb[24];
	char pin[FX_PIN_LEN + 1];
	unsigned char salt[16], hash[32], buf[16 + FX_PIN_LEN], rnd[FX_PIN_LEN];
	struct fx_story story;
	struct fx_final fin;
	struct db_param tp[5];
	unsigned long long id = 0;
	int rc, refused = it->cls == FX_REFUSED, paused_open = it->cls == FX_OVERDUE_PAUSED;

	snprintf(name, sizeof name, "%s %s %s", PICK(f, family), PICK(f, middle), PICK(f, given));
	snprintf(idn, sizeof idn, "045%09d", below(f, 1000000000));
	snprintf(phone, sizeof phone, "09%08d", below(f, 100000000));
	snprintf(addr, sizeof addr, "%s, %s", PICK(f, villages), unit_defs[it->unit].short_name);
	if (it->channel == CHANNEL_POSTAL)
		waybill(f, win, sizeof win);
	if (it->result_channel == CHANNEL_POSTAL && it->returned)
		waybill(f, wout, sizeof wout);
	if (crypto_random(salt, sizeof salt) != 0 || crypto_random(rnd, sizeof rnd) != 0)
		return DB_ERR;
	for (size_t i = 0; i < FX_PIN_LEN; i++)
		pin[i] = PIN_ALPHABET[rnd[i] % (sizeof PIN_ALPHABET - 1)];
	pin[FX_PIN_LEN] = '\0';
	memcpy(buf, salt, 16);
	memcpy(buf + 16, pin, FX_PIN_LEN);
	crypto_sha256(buf, sizeof buf, hash);

	make_story(f, it, win, wout, &story);
	time_param(it->submitted, t_sub, &tp[0]);
	time_param(it->received, t_rec, &tp[1]);
	time_param(it->due, t_due, &tp[2]);
	time_param(paused_open ? 0 : it->finished, t_fin, &tp[3]);
	time_param(it->returned ? it->returned_at : 0, t_ret, &tp[4]);
	{
		struct db_param q[] = {
			DB_STR(it->code), DB_INT(p->id), DB_INT(p->field_id), DB_INT(u->id),
			DB_STR(channels[it->channel]), DB_STR(channels[it->result_channel]), DB_STR(name),
			DB_STR(idn), DB_STR(phone), DB_STR(addr), DB_BLOB(salt, 16), DB_BLOB(hash, 32),
			DB_STR(win), DB_STR(wout), tp[0], tp[1], tp[2], tp[3], tp[4],
			DB_NULLP, DB_INT(u->id), DB_NULLP, DB_NULLP,
			DB_STR(paused_open ? "processing" : ""),
			it->received ? DB_INT(u->officer_id[FR_DESK]) : DB_NULLP,
			DB_INT(it->cls != FX_REFUSED && it->cls != FX_WITHDRAWN && it->finished && it->received && !paused_open),
			refused ? DB_STR("Hồ sơ không đủ điều kiện giải quyết theo quy định") : DB_NULLP,
		};
		if ((rc = db_exec(f->db, insert_sql, q, sizeof q / sizeof q[0], NULL, &id)) != 0)
			return rc;
	}
	if ((rc = write_story(f, it, (long long)id, &story, &fin)) != 0)
		return rc;
	time_param(fin.step_due, t_sd, &tp[0]);
	time_param(fin.step_started, t_ss, &tp[1]);
	{
		/* every change is one event and one version (api/dossiers.c history_complete) */
		struct db_param q[] = { DB_STR(dossier_state_code((enum dossier_state)fin.state)),
		                        fin.step ? DB_INT(fin.step) : DB_NULLP, tp[0], tp[1], DB_INT(story.n),
		                        DB_INT(id) };
		if ((rc = db_exec(f->db, state_sql, q, 6, NULL, NULL)) != 0)
			return rc;
	}
	{
		struct db_param q[] = { DB_INT(id), DB_INT(p->id) };
		if ((rc = db_exec(f->db, docs_sql, q, 2, NULL, NULL)) != 0)
			return rc;
	}
	if (it->pause_state) {
		struct db_param q[4];
		time_param(it->pause_from, t_pa, &q[2]);
		time_param(it->pause_to, t_pb, &q[3]);
		q[0] = DB_INT(id);
		q[1] = DB_STR(dossier_state_code((enum dossier_state)it->pause_state));
		if ((rc = db_exec(f->db, pause_sql, q, 4, NULL, NULL)) != 0)
			return rc;
		if (it->pause_state == STATE_AWAITING_SUPPLEMENT) {
			struct db_param r[] = { DB_INT(id), DB_INT(u->officer_id[FR_SPECIALIST]), q[2], q[3] };
			if ((rc = db_exec(f->db, supp_sql, r, 4, NULL, NULL)) != 0)
				return rc;
		}
	}
	return 0;
}

/* Codes numbered per unit and local day in order of arrival, and the counters. */
static int number_items(struct fx *f)
{
	static const char counter_sql[] =
		"INSERT INTO dossier_code_counters (unit_id, day, last_seq) VALUES (?, ?, ?) "
		"ON DUPLICATE KEY UPDATE last_seq = GREATEST(last_seq, VALUES(last_seq))";

	qsort(f->items, f->nitems, sizeof f->items[0], by_arrival);
	for (size_t i = 0; i < f->nitems; i++) {
		struct fx_item *it = &f->items[i];
		struct fx_unit *u = &f->units[it->unit];
		int64_t d = day_of(arrival(it));
		int y, m, dd, rc;
		char day[16];

		if (d != u->last_day) {
			u->last_day = d;
			u->last_seq = 0;
		}
		u->last_seq++;
		civil_from_days(d, &y, &m, &dd);
		if (dossier_code_format(unit_defs[it->unit].code, y, m, dd, u->last_seq, it->code, sizeof it->code) < 0)
			return DB_ERR;
		snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, dd);
		{
			struct db_param q[] = { DB_INT(u->id), DB_STR(day), DB_INT(u->last_seq) };
			if ((rc = db_exec(f->db, counter_sql, q, 3, NULL, NULL)) != 0)
				return rc;
		}
	}
	return 0;
}

/* Who got a result: returned a few working hours to days after it (online: at once),
 * except one in thirty left resolved and not handed over, as happens. */
static void plan_returns(struct fx *f)
{
	for (size_t i = 0; i < f->nitems; i++) {
		struct fx_item *it = &f->items[i];
		int resolved = it->finished && it->received && it->cls != FX_WITHDRAWN &&
		               it->cls != FX_REFUSED && it->cls != FX_OVERDUE_PAUSED;

		if (!resolved || below(f, 30) == 0)
			continue;
		it->returned = 1;
		it->returned_at = it->result_channel == CHANNEL_ONLINE
		                  ? it->finished + 300 + below(f, 3600)
		                  : add_working(f, it->finished, HOUR + below(f, 3 * WORK_DAY));
		if (!it->returned_at)
			it->returned = 0;
	}
}

static int form06_seed(struct fx *f)
{
	static const char exists_sql[] = "SELECT COUNT(*) FROM units WHERE code = ?";
	struct db_param p[] = { DB_STR(FIXTURE_FORM06_DISTRICT) };
	long long n = 0;
	int rc;

	if ((rc = db_query(f->db, exists_sql, p, 1, id_cb, &n)) != 0)
		return rc;
	if (n > 0) {
		printf("load-fixture: form06-seed is already loaded (unit %s exists)\n", FIXTURE_FORM06_DISTRICT);
		return 1;
	}
	if ((rc = calendar_load(f->db, &f->cal)) != 0)
		return rc;
	if ((rc = db_begin(f->db)) != 0) {
		calendar_free(&f->cal);
		return rc;
	}
	if ((rc = make_units_and_officers(f)) != 0 || (rc = load_procedures(f, "district", 0, 1)) != 0 ||
	    (rc = load_procedures(f, "commune", 1, FX_UNITS)) != 0)
		goto fail;
	if (plan_all(f) != 0) {
		rc = DB_ERR;
		goto fail;
	}
	plan_returns(f);
	if ((rc = number_items(f)) != 0)
		goto fail;
	for (size_t i = 0; i < f->nitems; i++)
		if ((rc = write_item(f, &f->items[i])) != 0)
			goto fail;
	if ((rc = db_commit(f->db)) != 0)
		goto fail;
	printf("load-fixture: form06-seed: %zu dossiers in %s and its communes\n", f->nitems,
	       FIXTURE_FORM06_DISTRICT);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "load-fixture: failed (%d) %s\n", rc, db_error(f->db));
	db_rollback(f->db);
out:
	calendar_free(&f->cal);
	return rc;
}

int fixture_load(struct db *db, const char *name)
{
	struct fx *f;
	int rc;

	if (strcmp(name, "form06-seed") != 0)
		return 2;
	if ((f = calloc(1, sizeof *f)) == NULL)
		return -1;
	f->db = db;
	f->rng[0] = 0x0606;
	f->rng[1] = 0x2025;
	f->rng[2] = 0x0766;
	rc = form06_seed(f);
	free(f->items);
	free(f);
	return rc == 0 || rc == 1 ? rc : -1;
}
