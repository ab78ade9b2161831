/*
 * The dossier generator (see generate.h).
 *
 * Three phases:
 *  A. plan: the dossier count is spread over (receiving unit, month) buckets with exact
 *     cumulative rounding, so each unit's online and postal counts follow their smooth
 *     curves; each dossier gets its unit, channel, procedure, arrival instant and a seed;
 *  B. number: the plan is sorted by arrival, which gives ids in time order and the
 *     per-unit, per-day sequence of the codes (and the counter rows); a handful of the
 *     newest dossiers are marked to end in the states that must exist in any data set;
 *  C. write: a worker thread simulates each dossier's life from its seed up to now and
 *     writes chunks of tab-separated files (dossiers, documents, events, and the
 *     workflow tables) while this thread loads the finished chunks with LOAD DATA LOCAL
 *     INFILE; the events go through a second connection at the same time (MariaDB
 *     spends one core per load). Two transactions, committed at the end: all or nothing.
 * Every random choice comes from the dossier's own splitmix64 stream, so a dossier does
 * not change when the chunking or the threads change.
 *
 * The lives follow the workflow of api/dossiers.c and domain/workflow.c: the same
 * actions by officers of the roles allowed, steps numbered by position and moved only by
 * forward and send_back, transfer/transfer_back when another unit holds the dossier, due
 * dates from dossier_due_at() and the step due times as the API computes them, against
 * the calendar of the database. A replay of the histories through workflow_check()
 * should find nothing to refuse.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/db.h"
#include "domain/calendar.h"
#include "domain/dossier_due.h"
#include "domain/dossier_code.h"
#include "domain/dossier_state.h"
#include "domain/history.h"
#include "domain/text.h"
#include "domain/timeutil.h"
#include "store/calendar_store.h"
#include "store/stats_store.h"
#include "tools/generate.h"

#define GEN_COUNT_MAX     100000000L
#define GEN_MONTHS_MAX    240
#define CHUNK_DOSSIERS    50000
#define QUEUE_DEPTH       2                 /* chunks written ahead of the loader */
#define MAX_EVENTS        96
#define MAX_STEPS         32                /* steps read per procedure; the rest ignored */
#define MAX_DOCS          48
#define NOTE_MAX          600
#define DEMO_FIRST        20
#define OFFICERS_PER_ROLE 3
#define HOUR              3600
#define WORK_DAY          CAL_WORKING_DAY_SECONDS

/* ---------------------------------------------------------------- randomness */

struct rng { uint64_t s; };

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

static double rng_unit(struct rng *r)            /* [0, 1) */
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static unsigned rng_below(struct rng *r, unsigned n)
{
	return n ? (unsigned)(rng_unit(r) * n) : 0;
}

static int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

static double rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unit(r);
}

/* Exponential with the given mean, cut at max. */
static double rng_exp(struct rng *r, double mean, double max)
{
	double x = -mean * log(1.0 - rng_unit(r));

	return x > max ? max : x;
}

#define PICK(r, arr) ((arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

/* --------------------------------------------------------------- names, words */

struct wname { const char *s; unsigned w; };

static const struct wname family_names[] = {
	{ "Nguyễn", 380 }, { "Trần", 110 }, { "Lê", 95 }, { "Phạm", 70 }, { "Hoàng", 30 },
	{ "Huỳnh", 21 }, { "Phan", 45 }, { "Vũ", 22 }, { "Võ", 17 }, { "Đặng", 21 },
	{ "Bùi", 20 }, { "Đỗ", 14 }, { "Hồ", 13 }, { "Ngô", 13 }, { "Dương", 10 },
	{ "Lý", 5 }, { "Đinh", 8 }, { "Đào", 6 }, { "Cao", 5 }, { "Lương", 4 },
	{ "Mai", 4 }, { "Trịnh", 4 }, { "Tạ", 3 }, { "Chu", 2 }, { "Hà", 4 },
	{ "Lưu", 2 }, { "Thái", 2 }, { "Tô", 2 }, { "Kiều", 1 }, { "La", 1 },
};
static const struct wname middle_male[] = {
	{ "Văn", 35 }, { "Đức", 8 }, { "Minh", 10 }, { "Quang", 7 }, { "Hữu", 7 },
	{ "Công", 6 }, { "Thanh", 5 }, { "Xuân", 4 }, { "Ngọc", 4 }, { "Duy", 4 },
	{ "Trọng", 4 }, { "Đình", 5 }, { "Quốc", 5 }, { "Anh", 3 }, { "Tiến", 3 },
	{ "Mạnh", 3 }, { "Bá", 2 }, { "Gia", 3 },
};
static const struct wname middle_female[] = {
	{ "Thị", 45 }, { "Ngọc", 8 }, { "Thu", 6 }, { "Thanh", 6 }, { "Minh", 5 },
	{ "Hồng", 5 }, { "Kim", 4 }, { "Phương", 4 }, { "Mai", 3 }, { "Thùy", 4 },
	{ "Diệu", 2 }, { "Bảo", 3 }, { "Khánh", 3 }, { "Hải", 2 },
};
static const char *const given_male[] = {
	"Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khánh", "Long",
	"Minh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Hoàng", "Trung",
	"Hiếu", "Toàn", "Lâm", "Phúc", "Thành", "Tài", "Kiên", "Khoa", "Đạt", "Hưng",
	"Quang", "Vinh", "Tùng", "Trí", "Nghĩa", "Thịnh", "Tâm", "Hậu", "Lộc", "Bảo",
};
static const char *const given_female[] = {
	"Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền",
	"Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
	"Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Hồng",
	"Thu", "Hiền", "Trâm", "Vy", "Nhi", "Hân", "Diệp", "Thơ", "Lý", "Xuân",
};
static const char *const org_kinds[] = {
	"Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV",
	"Doanh nghiệp tư nhân", "Hợp tác xã",
};
static const char *const org_trades[] = {
	"Thương mại", "Xây dựng", "Dịch vụ", "Đầu tư", "Thương mại và Dịch vụ",
	"Xây dựng và Thương mại", "Nông nghiệp", "Vận tải", "Công nghệ", "Du lịch",
};
static const char *const org_brands[] = {
	"Hoàng Phát", "Minh Long", "Tân Thành", "Thành Đạt", "Phú Gia", "An Khang",
	"Hưng Thịnh", "Đại Việt", "Sông Lam", "Hồng Lĩnh", "Bình Minh", "Trường Sơn",
	"Phúc An", "Việt Tiến", "Nam Hải", "Thiên Ân", "Hải Đăng", "Kim Ngân",
};
static const char *const villages[] = {
	"Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân Lộc", "Phú Mỹ",
	"An Lạc", "Hòa Bình", "Thanh Lương", "Đồng Tâm", "Yên Lạc", "Bình Minh", "Tân Hòa",
};
static const char *const streets[] = {
	"Lê Lợi", "Trần Phú", "Nguyễn Du", "Hàm Nghi", "Phan Đình Phùng", "Hà Huy Tập",
	"Nguyễn Huệ", "Lý Thường Kiệt", "Quang Trung", "Hai Bà Trưng", "Lê Duẩn",
	"Nguyễn Trãi", "Võ Nguyên Giáp", "Trần Hưng Đạo", "Nguyễn Văn Cừ", "Lê Hồng Phong",
	"Phan Bội Châu", "Mai Thúc Loan", "Xuân Diệu", "Nguyễn Công Trứ",
};
static const char *const phone_prefixes[] = {
	"032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097",
	"098", "070", "076", "077", "078", "079", "089", "090", "093", "081", "082",
	"083", "084", "085", "088", "091", "094", "056", "058", "059",
};
static const char *const mail_domains[] = {
	"gmail.com", "gmail.com", "gmail.com", "gmail.com", "gmail.com", "gmail.com",
	"gmail.com", "yahoo.com", "outlook.com", "icloud.com",
};
/* CCCD place-of-birth codes (Circular 59/2021/TT-BCA) of a few provinces. */
static const unsigned cccd_places[] = {
	1, 79, 42, 40, 38, 44, 45, 46, 48, 36, 37, 35, 34, 33, 31, 30, 26, 22, 19, 92,
};
static const char *const not_accept_reasons[] = {
	"Thành phần hồ sơ không đầy đủ, không đúng quy định",
	"Tệp đính kèm không đọc được, đề nghị nộp lại bản quét rõ nét",
	"Hồ sơ nộp trùng với hồ sơ đã tiếp nhận",
	"Không thuộc thẩm quyền tiếp nhận của đơn vị",
	"Thông tin người nộp hồ sơ không chính xác",
};
static const char *const refuse_reasons[] = {
	"Hồ sơ không đủ điều kiện giải quyết theo quy định",
	"Thửa đất đang có tranh chấp",
	"Không thuộc thẩm quyền giải quyết",
	"Người đề nghị không đủ điều kiện hưởng chính sách",
	"Nội dung đề nghị không phù hợp với quy hoạch được duyệt",
};
static const char *const suspend_reasons[] = {
	"Chờ kết quả xác minh của cơ quan có liên quan",
	"Có đơn khiếu nại, tranh chấp liên quan đến hồ sơ",
	"Theo đề nghị bằng văn bản của người nộp hồ sơ",
	"Chờ ý kiến của cơ quan cấp trên",
};
static const char *const send_back_reasons[] = {
	"Đề nghị thẩm định lại nội dung hồ sơ",
	"Bổ sung căn cứ pháp lý trong dự thảo kết quả",
	"Chỉnh sửa sai sót trong dự thảo kết quả",
};

static const char *pick_weighted(struct rng *r, const struct wname *t, size_t n)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += t[i].w;
	x = rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < t[i].w)
			return t[i].s;
		x -= t[i].w;
	}
	return t[0].s;
}

#define PICKW(r, t) pick_weighted((r), (t), sizeof(t) / sizeof((t)[0]))

/* A Vietnamese person's name; *female set. Family first, given name last. */
static void person_name(struct rng *r, char *buf, size_t sz, int *female)
{
	const char *family = PICKW(r, family_names);

	*female = rng_chance(r, 0.5);
	if (*female) {
		const char *mid = PICKW(r, middle_female);
		if (strcmp(mid, "Thị") == 0 && rng_chance(r, 0.2)) {
			const char *second = PICKW(r, middle_female);
			if (strcmp(second, "Thị") != 0) {
				snprintf(buf, sz, "%s Thị %s %s", family, second, PICK(r, given_female));
				return;
			}
		}
		snprintf(buf, sz, "%s %s %s", family, mid, PICK(r, given_female));
	} else {
		snprintf(buf, sz, "%s %s %s", family, PICKW(r, middle_male), PICK(r, given_male));
	}
}

/* ASCII letters of the folded name, spaces dropped: "Nguyễn Thị Lan" -> "nguyenthilan". */
static void ascii_slug(const char *s, char *out, size_t sz)
{
	char tmp[256];
	size_t i, j = 0;

	text_fold(s, strlen(s), tmp, sizeof tmp);
	for (i = 0; tmp[i] && j + 1 < sz; i++)
		if ((tmp[i] >= 'a' && tmp[i] <= 'z') || (tmp[i] >= '0' && tmp[i] <= '9'))
			out[j++] = tmp[i];
	out[j] = '\0';
}

/* The length of the longest prefix of s of at most max bytes that ends on a whole
 * UTF-8 character. */
static size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Account of an officer: given name then initials, e.g. "lannt.12" (the unit id last). */
static void officer_account(const char *name, unsigned unit_id, char *out, size_t sz)
{
	char slug[128], ini[8];
	const char *p = name, *last = name;
	size_t k = 0, len;

	for (; *p; p++)
		if (*p == ' ')
			last = p + 1;
	for (p = name; p < last && k + 1 < sizeof ini; ) {
		char w[64];
		len = strcspn(p, " ");
		if (len >= sizeof w)
			len = sizeof w - 1;
		memcpy(w, p, len);
		w[len] = '\0';
		ascii_slug(w, slug, sizeof slug);
		if (slug[0])
			ini[k++] = slug[0];
		p += strcspn(p, " ");
		while (*p == ' ')
			p++;
	}
	ini[k] = '\0';
	ascii_slug(last, slug, sizeof slug);
	snprintf(out, sz, "%.40s%.7s.%u", slug, ini, unit_id);
}

/* ------------------------------------------------------------------ the model */

enum level { LV_PROVINCE, LV_DISTRICT, LV_COMMUNE, LV_DEPARTMENT, LV_OTHER, LV__MAX };
enum role { R_DESK, R_SPECIALIST, R_LEADER, R_CLERK, R__MAX };
enum { STEP_RECEIVING = -1 };               /* a step's level: the receiving unit */

static const char *const level_codes[LV__MAX] = {
	"province", "district", "commune", "department", "other",
};
static const char *const role_codes[R__MAX] = { "desk", "specialist", "leader", "clerk" };

struct officer { char name[80]; char account[64]; unsigned id; /* 0: not in officers */ };

struct gunit {
	unsigned id, parent_id;
	int parent;                         /* index, -1 for none */
	int level;
	int active, code_ok;
	char *code, *name, *label, *short_name;
	int anc[LV__MAX];                   /* ancestor-or-self at each level, -1 */
	int *communes;                      /* communes of the subtree (self for a commune) */
	size_t ncommunes, capcommunes;
	char *area;                         /* ", Xã A, Huyện B, Tỉnh C" */
	int ward;                           /* urban: streets rather than villages */
	unsigned cccd_place;
	double weight, online0, online1, postal;
	struct officer off[R__MAX][OFFICERS_PER_ROLE];
	int ndb[R__MAX];                    /* of off[role], how many come from the officers table */
	/* numbering (phase B) */
	int64_t cur_day;
	unsigned long cur_seq;
};

struct gstep {
	char *name;
	int role;
	int level;                          /* enum level or STEP_RECEIVING */
	int permille;                       /* share_permille as stored: the step's due time */
	double share;                       /* of the total, sums to 1 over the steps: its pace */
};

struct gdoc {
	char *case_name, *name;
	int originals, copies, required;
};

struct gproc {
	unsigned id, field_id;
	int lv[3];                          /* province, district, commune */
	int online;                         /* service level full or partial */
	int full;
	int64_t amount;                     /* hundredths of the unit */
	enum cal_time_unit unit;
	int restart;
	int nosteps;                        /* no internal process: one step, not numbered */
	long long fee;
	char *search;
	struct gstep *steps;
	int nsteps, capsteps;
	struct gdoc *docs;
	int ndocs, capdocs;
	const char *cases[8];
	int ncases, has_common_docs;
	double weight;
};

struct picker {                             /* weighted choice among procedures */
	int *idx;
	double *cum;
	int n;
};

enum force {
	F_NONE = 0, F_SUBMITTED, F_NOT_ACCEPTED, F_PROCESSING, F_SUPPLEMENT, F_PAYMENT,
	F_SUSPENDED, F_RESOLVED, F_RETURNED, F_REFUSED, F_WITHDRAWN, F__MAX
};

struct plan {                               /* one dossier before it is simulated */
	mc_time t;                          /* arrival: submission (online) or reception */
	uint64_t seed;
	uint32_t unit, proc;
	uint32_t seq;                       /* number of the day */
	uint16_t month;
	uint8_t channel, force;
};

struct counter { unsigned unit_id; int64_t day; unsigned long seq; };

struct demo_row { char code[DOSSIER_CODE_MAX + 8]; char pin[16]; int state, channel; long long id; };

struct arena_block { struct arena_block *next; char data[]; };

struct gen {
	const struct gen_options *o;
	struct db *db;
	struct db *db2;                     /* the events' connection, or NULL */
	struct calendar cal;
	mc_time now, start;
	unsigned schema;                    /* SC_* of what the database has */
	struct arena_block *arena;
	size_t arena_used, arena_cap;

	struct gunit *units;
	int nunits;
	struct gproc *procs;
	int nprocs;
	struct picker pick_all[3], pick_online[3];
	int department;                     /* a department unit for 'department' steps, or -1 */

	struct plan *plans;
	long nplans;
	int nbuckets;                       /* calendar months planned, partial ones included */
	long long first_id;

	struct counter *old;                /* counters already in the database */
	size_t nold;
	struct counter *counters;           /* rows to write */
	size_t ncounters, capcounters;

	/* phase C */
	char tmpdir[256];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long queue[QUEUE_DEPTH + 1];
	int qhead, qlen;
	int worker_done, worker_failed, loader_failed;
	long long nevents, ndocuments;
	double load_seconds[7];             /* per table, in CHUNK_KINDS order */
	double wait_seconds;                /* the loader waiting for the worker */
	long nstate[STATE__MAX], nchannel[CHANNEL__MAX];
	struct demo_row demo_first[DEMO_FIRST];
	struct demo_row demo_state[STATE__MAX];
	int ndemo_first;
};

static void *arena_alloc(struct gen *g, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (!g->arena || g->arena_used + n > g->arena_cap) {
		size_t cap = n > 65536 ? n : 65536;
		struct arena_block *b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->next = g->arena;
		g->arena = b;
		g->arena_used = 0;
		g->arena_cap = cap;
	}
	g->arena_used += n;
	return g->arena->data + g->arena_used - n;
}

static char *arena_strdup(struct gen *g, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(g, n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static int level_from_code(const char *s)
{
	for (int i = 0; i < LV__MAX; i++)
		if (strcmp(s, level_codes[i]) == 0)
			return i;
	return LV_OTHER;
}

/* ------------------------------------------------------------- reading the DB */

/*
 * What the schema holds beyond 001 and 002: the workflow tables of 003 (pauses,
 * supplement requests, apology letters and the dossier columns that go with them), the
 * officers, and the working calendar. The generator fills what is there, so it works
 * against any migration level from 002 on.
 */
enum {
	SC_OFFICERS = 1 << 0, SC_CALENDAR = 1 << 1, SC_SESSIONS = 1 << 2, SC_PAUSES = 1 << 3,
	SC_SUPPLEMENT = 1 << 4, SC_APOLOGY = 1 << 5,
	SC_D_ASSIGNEE = 1 << 6, SC_D_STEP_DUE = 1 << 7, SC_D_STEP_STARTED = 1 << 8,
	SC_D_PAUSED_FROM = 1 << 9, SC_D_RECEIVED_BY = 1 << 10, SC_D_REFUSAL = 1 << 11,
	SC_PAYMENT_REQUESTS = 1 << 12,
};
#define SC_WORKFLOW (SC_PAUSES | SC_SUPPLEMENT | SC_APOLOGY | SC_D_ASSIGNEE | SC_D_STEP_DUE | \
                     SC_D_STEP_STARTED | SC_D_PAUSED_FROM | SC_D_RECEIVED_BY | SC_D_REFUSAL)

static const char sql_schema[] =
	"SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS "
	"WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('dossiers', 'dossier_pauses', "
	"'supplement_requests', 'apology_letters', 'officers', 'calendar_days', 'work_sessions', "
	"'payment_requests')";

static int schema_cb(const struct db_row *row, void *arg)
{
	static const struct { const char *table, *column; unsigned flag; } known[] = {
		{ "officers", "username", SC_OFFICERS }, { "calendar_days", "day", SC_CALENDAR },
		{ "work_sessions", "start_min", SC_SESSIONS }, { "dossier_pauses", "to_at", SC_PAUSES },
		{ "supplement_requests", "items", SC_SUPPLEMENT },
		{ "apology_letters", "proposed_date", SC_APOLOGY },
		{ "dossiers", "assignee_id", SC_D_ASSIGNEE }, { "dossiers", "step_due_at", SC_D_STEP_DUE },
		{ "dossiers", "step_started_at", SC_D_STEP_STARTED },
		{ "dossiers", "paused_from_state", SC_D_PAUSED_FROM },
		{ "dossiers", "received_by", SC_D_RECEIVED_BY },
		{ "dossiers", "refusal_reason", SC_D_REFUSAL },
		{ "payment_requests", "requested_at", SC_PAYMENT_REQUESTS },
	};
	unsigned *schema = arg;

	if (!row->val[0] || !row->val[1])
		return 0;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(row->val[0], known[i].table) == 0 && strcmp(row->val[1], known[i].column) == 0)
			*schema |= known[i].flag;
	return 0;
}

static const char sql_officers[] =
	"SELECT id, username, full_name, unit_id, roles FROM officers WHERE active = 1 "
	"ORDER BY unit_id, id";

static const char sql_count_dossiers[] = "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM dossiers";
static const char sql_units[] =
	"SELECT id, COALESCE(parent_id, 0), code, name, level, level_label, active, "
	"IF(short_name = '', name, short_name) FROM units ORDER BY id";
static const char sql_procs[] =
	"SELECT id, field_id, level_province, level_district, level_commune, service_level, "
	"processing_time, time_unit, restart_on_supplement, search_text "
	"FROM procedures WHERE published = 1 ORDER BY id";
static const char sql_steps[] =
	"SELECT procedure_id, seq, name, role, unit_level, share_permille "
	"FROM procedure_process_steps ORDER BY procedure_id, seq";
static const char sql_docs[] =
	"SELECT procedure_id, seq, case_name, name, originals, copies, required "
	"FROM procedure_documents ORDER BY procedure_id, seq";
static const char sql_fees[] =
	"SELECT procedure_id, MAX(amount_vnd) FROM procedure_fees GROUP BY procedure_id";
static const char sql_counters[] =
	"SELECT unit_id, TO_DAYS(day) - TO_DAYS('1970-01-01'), last_seq "
	"FROM dossier_code_counters WHERE day >= ? ORDER BY unit_id, day";

struct count_arg { long long n, max_id; };

static int count_cb(const struct db_row *row, void *arg)
{
	struct count_arg *c = arg;

	c->n = db_row_int(row, 0, 0);
	c->max_id = db_row_int(row, 1, 0);
	return 0;
}

static int unit_cb(const struct db_row *row, void *arg)
{
	struct gen *g = arg;
	struct gunit *u, *nu;

	if (g->nunits % 64 == 0) {
		nu = realloc(g->units, (size_t)(g->nunits + 64) * sizeof *nu);
		if (!nu)
			return -1;
		g->units = nu;
	}
	u = &g->units[g->nunits];
	memset(u, 0, sizeof *u);
	u->id = (unsigned)db_row_int(row, 0, 0);
	u->parent_id = (unsigned)db_row_int(row, 1, 0);
	u->code = arena_strdup(g, row->val[2] ? row->val[2] : "");
	u->name = arena_strdup(g, row->val[3] ? row->val[3] : "");
	u->level = level_from_code(row->val[4] ? row->val[4] : "");
	u->label = arena_strdup(g, row->val[5] ? row->val[5] : "");
	u->active = (int)db_row_int(row, 6, 1);
	u->short_name = arena_strdup(g, row->val[7] ? row->val[7] : u->name);
	if (!u->code || !u->name || !u->label || !u->short_name)
		return -1;
	u->code_ok = unit_code_valid(u->code, strlen(u->code));
	g->nunits++;
	return 0;
}

static int proc_index(const struct gen *g, unsigned id)
{
	int lo = 0, hi = g->nprocs - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (g->procs[mid].id == id)
			return mid;
		if (g->procs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int proc_cb(const struct db_row *row, void *arg)
{
	struct gen *g = arg;
	struct gproc *p, *np;
	const char *svc = row->val[5] ? row->val[5] : "info";
	const char *tu = row->val[7] ? row->val[7] : "working_days";
	int u;

	if (g->nprocs % 64 == 0) {
		np = realloc(g->procs, (size_t)(g->nprocs + 64) * sizeof *np);
		if (!np)
			return -1;
		g->procs = np;
	}
	p = &g->procs[g->nprocs];
	memset(p, 0, sizeof *p);
	p->id = (unsigned)db_row_int(row, 0, 0);
	p->field_id = (unsigned)db_row_int(row, 1, 0);
	p->lv[LV_PROVINCE] = (int)db_row_int(row, 2, 0);
	p->lv[LV_DISTRICT] = (int)db_row_int(row, 3, 0);
	p->lv[LV_COMMUNE] = (int)db_row_int(row, 4, 0);
	p->full = strcmp(svc, "full") == 0;
	p->online = p->full || strcmp(svc, "partial") == 0;
	p->amount = row->val[6] ? (int64_t)llround(strtod(row->val[6], NULL) * 100.0) : 0;
	if (p->amount < 0 || p->amount > CAL_AMOUNT_MAX)
		p->amount = 0;
	u = cal_time_unit_from_code(tu, strlen(tu));
	p->unit = u < 0 ? CAL_WORKING_DAYS : (enum cal_time_unit)u;
	p->restart = (int)db_row_int(row, 8, 0);
	p->search = arena_strdup(g, row->val[9] ? row->val[9] : "");
	if (!p->search)
		return -1;
	g->nprocs++;
	return 0;
}

static int step_role_from_code(const char *s)
{
	for (int i = 0; i < R__MAX; i++)
		if (s && strcmp(s, role_codes[i]) == 0)
			return i;
	return R_SPECIALIST;
}

static int step_cb(const struct db_row *row, void *arg)
{
	struct gen *g = arg;
	int pi = proc_index(g, (unsigned)db_row_int(row, 0, 0));
	struct gproc *p;
	struct gstep *s;
	const char *lv = row->val[4] ? row->val[4] : "receiving";

	if (pi < 0)
		return 0;
	p = &g->procs[pi];
	if (p->nsteps == MAX_STEPS)
		return 0;
	if (p->nsteps == p->capsteps) {
		int cap = p->capsteps ? p->capsteps * 2 : 8;
		s = realloc(p->steps, (size_t)cap * sizeof *s);
		if (!s)
			return -1;
		p->steps = s;
		p->capsteps = cap;
	}
	s = &p->steps[p->nsteps];
	s->name = arena_strdup(g, row->val[2] ? row->val[2] : "");
	s->role = step_role_from_code(row->val[3]);
	s->level = strcmp(lv, "receiving") == 0 ? STEP_RECEIVING : level_from_code(lv);
	s->permille = (int)db_row_int(row, 5, 0);
	s->share = s->permille;
	if (!s->name)
		return -1;
	p->nsteps++;
	return 0;
}

static int doc_cb(const struct db_row *row, void *arg)
{
	struct gen *g = arg;
	int pi = proc_index(g, (unsigned)db_row_int(row, 0, 0));
	struct gproc *p;
	struct gdoc *d;

	if (pi < 0)
		return 0;
	p = &g->procs[pi];
	if (p->ndocs == MAX_DOCS)
		return 0;
	if (p->ndocs == p->capdocs) {
		int cap = p->capdocs ? p->capdocs * 2 : 8;
		d = realloc(p->docs, (size_t)cap * sizeof *d);
		if (!d)
			return -1;
		p->docs = d;
		p->capdocs = cap;
	}
	d = &p->docs[p->ndocs];
	d->case_name = arena_strdup(g, row->val[2] ? row->val[2] : "");
	d->name = arena_strdup(g, row->val[3] ? row->val[3] : "");
	d->originals = (int)db_row_int(row, 4, 0);
	d->copies = (int)db_row_int(row, 5, 0);
	d->required = (int)db_row_int(row, 6, 1);
	if (!d->case_name || !d->name)
		return -1;
	if (d->case_name[0] == '\0') {
		p->has_common_docs = 1;
	} else {
		int k;
		for (k = 0; k < p->ncases; k++)
			if (strcmp(p->cases[k], d->case_name) == 0)
				break;
		if (k == p->ncases && p->ncases < (int)(sizeof p->cases / sizeof p->cases[0]))
			p->cases[p->ncases++] = d->case_name;
	}
	p->ndocs++;
	return 0;
}

static int fee_cb(const struct db_row *row, void *arg)
{
	struct gen *g = arg;
	int pi = proc_index(g, (unsigned)db_row_int(row, 0, 0));

	if (pi >= 0)
		g->procs[pi].fee = db_row_int(row, 1, 0);
	return 0;
}

static int counter_cb(const struct db_row *row, void *arg)
{
	struct gen *g = arg;
	struct counter *c;

	if (g->nold % 1024 == 0) {
		c = realloc(g->old, (g->nold + 1024) * sizeof *c);
		if (!c)
			return -1;
		g->old = c;
	}
	c = &g->old[g->nold++];
	c->unit_id = (unsigned)db_row_int(row, 0, 0);
	c->day = db_row_int(row, 1, 0);
	c->seq = (unsigned long)db_row_int(row, 2, 0);
	return 0;
}

static int unit_index(const struct gen *g, unsigned id);

/* Officers of the officers table act in the history of their unit (up to three a role). */
static int officer_cb(const struct db_row *row, void *arg)
{
	struct gen *g = arg;
	int ui = unit_index(g, (unsigned)db_row_int(row, 3, 0));
	const char *roles = row->val[4] ? row->val[4] : "";

	if (ui < 0 || !row->val[1] || !row->val[2])
		return 0;
	for (int ro = 0; ro < R__MAX; ro++) {
		struct gunit *u = &g->units[ui];
		struct officer *o;
		const char *p = strstr(roles, role_codes[ro]);
		size_t n = strlen(role_codes[ro]);

		if (!p || (p != roles && p[-1] != ',') || (p[n] != '\0' && p[n] != ',') ||
		    u->ndb[ro] == OFFICERS_PER_ROLE)
			continue;
		o = &u->off[ro][u->ndb[ro]++];
		snprintf(o->account, sizeof o->account, "%s", row->val[1]);
		snprintf(o->name, sizeof o->name, "%s", row->val[2]);
		o->id = (unsigned)db_row_int(row, 0, 0);
	}
	return 0;
}

static int db_fail(const struct gen *g, const char *what)
{
	fprintf(stderr, "generate: %s: %s\n", what, db_error(g->db));
	return -1;
}

/*
 * The working calendar the workflow uses (store/calendar_store.c: calendar_days and
 * work_sessions), so that due dates agree with what the service computes. A database
 * without special days yet gets Vietnam's seeded holidays (calendar_seed_vn) on top of
 * its sessions, so that receptions still skip Tết; seed calendar_days first to avoid
 * the difference.
 */
static int load_calendar(struct gen *g)
{
	const char *from = "calendar_days of the database";

	if ((g->schema & (SC_CALENDAR | SC_SESSIONS)) == (SC_CALENDAR | SC_SESSIONS)) {
		if (calendar_load(g->db, &g->cal) != 0)
			return db_fail(g, "reading the working calendar");
	} else {
		calendar_init(&g->cal);
	}
	if (g->cal.nspecial == 0) {
		from = "Vietnam's holidays built in (calendar_days is empty)";
		if (calendar_seed_vn(&g->cal) != CAL_OK) {
			fprintf(stderr, "generate: cannot seed the calendar\n");
			return -1;
		}
	}
	if (!g->o->quiet)
		fprintf(stderr, "generate: working calendar: %s\n", from);
	return 0;
}

/* ------------------------------------------------------- preparing the model */

static int unit_index(const struct gen *g, unsigned id)
{
	int lo = 0, hi = g->nunits - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (g->units[mid].id == id)
			return mid;
		if (g->units[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int add_commune(struct gunit *u, int c)
{
	if (u->ncommunes == u->capcommunes) {
		size_t cap = u->capcommunes ? u->capcommunes * 2 : 8;
		int *n = realloc(u->communes, cap * sizeof *n);
		if (!n)
			return -1;
		u->communes = n;
		u->capcommunes = cap;
	}
	u->communes[u->ncommunes++] = c;
	return 0;
}

static int prepare_units(struct gen *g)
{
	char buf[1024];

	for (int i = 0; i < g->nunits; i++) {
		struct gunit *u = &g->units[i];
		int guard = 0;

		u->parent = u->parent_id ? unit_index(g, u->parent_id) : -1;
		for (int l = 0; l < LV__MAX; l++)
			u->anc[l] = -1;
		for (int a = i; a >= 0 && guard < 64; a = g->units[a].parent, guard++)
			if (u->anc[g->units[a].level] < 0)
				u->anc[g->units[a].level] = a;
		if (u->level == LV_DEPARTMENT && g->department < 0 && u->active)
			g->department = i;
	}
	for (int i = 0; i < g->nunits; i++) {
		struct gunit *u = &g->units[i];
		struct rng r = { mix64(g->o->seed ^ ((uint64_t)u->id << 20)) };
		size_t len = 0;
		int guard = 0;

		if (u->level == LV_COMMUNE && u->active) {
			for (int a = i; a >= 0 && guard < 64; a = g->units[a].parent, guard++)
				if (add_commune(&g->units[a], i) != 0)
					return -1;
		}
		/* ", Xã A, Huyện B, Tỉnh C": whole names only, at most 360 bytes */
		buf[0] = '\0';
		guard = 0;
		for (int a = i; a >= 0 && guard < 64; a = g->units[a].parent, guard++) {
			const char *nm = g->units[a].short_name;
			if (g->units[a].level == LV_DEPARTMENT || g->units[a].level == LV_OTHER)
				continue;
			if (len + strlen(nm) + 2 > 360)
				break;
			len += (size_t)snprintf(buf + len, sizeof buf - len, ", %s", nm);
		}
		if ((u->area = arena_strdup(g, buf)) == NULL)
			return -1;
		u->ward = strcmp(u->label, "Phường") == 0 || strcmp(u->label, "Thị trấn") == 0 ||
		          strncmp(u->short_name, "Phường", strlen("Phường")) == 0;
		u->cccd_place = cccd_places[mix64(g->o->seed + (u->anc[LV_PROVINCE] + 7)) %
		                            (sizeof cccd_places / sizeof cccd_places[0])];
		for (int ro = 0; ro < R__MAX; ro++)
			for (int k = 0; k < OFFICERS_PER_ROLE; k++) {
				int female;
				person_name(&r, u->off[ro][k].name, sizeof u->off[ro][k].name, &female);
				officer_account(u->off[ro][k].name, u->id, u->off[ro][k].account,
				                sizeof u->off[ro][k].account);
			}
		u->online0 = rng_range(&r, 0.06, 0.22);
		u->online1 = rng_range(&r, 0.42, 0.72);
		u->postal = rng_range(&r, 0.01, 0.05);
		u->weight = rng_range(&r, 0.5, 1.8);
	}
	return 0;
}

static const struct { const char *word; double boost; } popular[] = {
	{ "chung thuc", 8 }, { "khai sinh", 5 }, { "ket hon", 2.5 }, { "khai tu", 1.5 },
	{ "tinh trang hon nhan", 2 }, { "bien dong", 3 }, { "quyen su dung dat", 2 },
	{ "ho kinh doanh", 2 }, { "giay phep xay dung", 2 }, { "ly lich tu phap", 3 },
	{ "thuong tru", 2 },
};

static int prepare_procs(struct gen *g)
{
	for (int i = 0; i < g->nprocs; i++) {
		struct gproc *p = &g->procs[i];
		struct rng r = { mix64(g->o->seed * 31 + p->id) };
		double total = 0, w = rng_unit(&r);

		p->weight = 0.1 + w * w;
		for (size_t k = 0; k < sizeof popular / sizeof popular[0]; k++)
			if (strstr(p->search, popular[k].word))
				p->weight *= popular[k].boost;
		if (p->nsteps == 0) {
			/* like the workflow: one step that is both first and last, where only a
			 * leader acts; not numbered in the history */
			if ((p->steps = calloc(1, sizeof *p->steps)) == NULL)
				return -1;
			p->nsteps = p->capsteps = 1;
			p->nosteps = 1;
			p->steps[0] = (struct gstep){ .name = (char *)"", .role = R_LEADER,
			                             .level = STEP_RECEIVING, .permille = 1000 };
		}
		for (int k = 0; k < p->nsteps; k++)
			total += p->steps[k].share > 0 ? p->steps[k].share : 0;
		for (int k = 0; k < p->nsteps; k++)
			p->steps[k].share = total > 0 ? (p->steps[k].share > 0 ? p->steps[k].share : 0) / total
			                              : 1.0 / p->nsteps;
	}
	for (int lv = 0; lv < 3; lv++) {
		for (int on = 0; on < 2; on++) {
			struct picker *pk = on ? &g->pick_online[lv] : &g->pick_all[lv];
			double cum = 0;

			pk->idx = malloc((size_t)(g->nprocs ? g->nprocs : 1) * sizeof *pk->idx);
			pk->cum = malloc((size_t)(g->nprocs ? g->nprocs : 1) * sizeof *pk->cum);
			if (!pk->idx || !pk->cum)
				return -1;
			for (int i = 0; i < g->nprocs; i++) {
				const struct gproc *p = &g->procs[i];
				if (!p->lv[lv] || (on && !p->online))
					continue;
				cum += p->weight;
				pk->idx[pk->n] = i;
				pk->cum[pk->n++] = cum;
			}
		}
	}
	return 0;
}

static int pick_proc(const struct picker *pk, struct rng *r)
{
	double x = rng_unit(r) * pk->cum[pk->n - 1];
	int lo = 0, hi = pk->n - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (pk->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return pk->idx[lo];
}

/* --------------------------------------------------------- working time */

/*
 * An instant inside a working session, `secs` of working time after t (or after the
 * start of the next session). Adding one more second and stepping back one keeps the
 * result off a session's end, which the half-open sessions count as outside.
 */
static int work_after(const struct gen *g, mc_time t, int64_t secs, mc_time *out)
{
	mc_time s, e;

	if (secs < 0)
		secs = 0;
	if (calendar_next_working_instant(&g->cal, t, &s) != CAL_OK ||
	    calendar_add_working_seconds(&g->cal, s, secs + 1, &e) != CAL_OK)
		return -1;
	*out = e - 1;
	return 0;
}

/* -------------------------------------------------------------- phase A, B */

static int receiving_level(int level)
{
	return level == LV_PROVINCE || level == LV_DISTRICT || level == LV_COMMUNE;
}

static int plan_dossiers(struct gen *g)
{
	const long count = g->o->count;
	int months = g->o->months + 1;       /* buckets, at most */
	double *mw = NULL, total = 0, cum = 0;
	mc_time *bstart = NULL;
	int64_t *bwork = NULL;
	long made = 0, prev = 0;
	int ret = -1, nrecv = 0;
	struct rng r = { mix64((uint64_t)g->o->seed ^ 0x6d6f74637561ULL) };

	mw = calloc((size_t)months + 1, sizeof *mw);
	bstart = calloc((size_t)months + 2, sizeof *bstart);
	bwork = calloc((size_t)months + 1, sizeof *bwork);
	g->plans = calloc((size_t)count, sizeof *g->plans);
	if (!mw || !bstart || !bwork || !g->plans) {
		fprintf(stderr, "generate: out of memory\n");
		goto out;
	}
	/* buckets are the local calendar months (the first and the last partial), so a
	 * month of the statistics sees exactly the planned counts */
	{
		struct civil c;
		int nb = 0;

		bstart[nb++] = g->start;
		time_to_local(g->start, &c);
		for (;;) {
			struct civil first = { .year = c.year + c.month / 12, .month = c.month % 12 + 1,
			                       .day = 1 };
			mc_time t = time_from_local(&first);
			if (t >= g->now || nb >= months)
				break;
			bstart[nb++] = t;
			c = first;
		}
		bstart[nb] = g->now;
		months = nb;
		g->nbuckets = nb;
	}
	for (int m = 0; m < months; m++) {
		int64_t w = calendar_working_seconds_between(&g->cal, bstart[m], bstart[m + 1]);
		/* volume grows a fifth over the period; a month with Tết has fewer days */
		bwork[m] = w > 0 ? w : 0;
		mw[m] = (1.0 + 0.2 * (months > 1 ? (double)m / (months - 1) : 1.0)) *
		        (double)bwork[m] / (22.0 * WORK_DAY);
	}
	for (int i = 0; i < g->nunits; i++) {
		struct gunit *u = &g->units[i];
		static const double level_weight[3] = { 6.0, 3.0, 1.0 };

		if (!u->active || !u->code_ok || !receiving_level(u->level) ||
		    g->pick_all[u->level].n == 0) {
			u->weight = 0;
			continue;
		}
		u->weight *= level_weight[u->level];
		nrecv++;
		for (int m = 0; m < months; m++)
			total += u->weight * mw[m];
	}
	if (nrecv == 0 || total <= 0) {
		fprintf(stderr, "generate: no receiving unit (active commune, district or province "
		        "with a valid code and published procedures of its level)\n");
		goto out;
	}
	for (int i = 0; i < g->nunits; i++) {
		struct gunit *u = &g->units[i];
		double on_cum = 0, po_cum = 0;
		long on_prev = 0, po_prev = 0;
		int can_online = u->weight > 0 && g->pick_online[u->level].n > 0;

		if (u->weight <= 0)
			continue;
		for (int m = 0; m < months; m++) {
			double frac = months > 1 ? (double)m / (months - 1) : 1.0;
			long n, k_on, k_po;

			cum += u->weight * mw[m];
			n = (long)llround((double)count * cum / total) - prev;
			if (n <= 0 || bwork[m] <= 0)
				continue;
			prev += n;
			if (can_online)
				on_cum += n * (u->online0 + (u->online1 - u->online0) * frac);
			po_cum += n * u->postal;
			k_on = (long)llround(on_cum) - on_prev;
			k_po = (long)llround(po_cum) - po_prev;
			if (k_on > n)
				k_on = n;
			if (k_po > n - k_on)
				k_po = n - k_on;
			on_prev += k_on;
			po_prev += k_po;
			for (long j = 0; j < n && made < count; j++) {
				struct plan *pl = &g->plans[made++];
				int ch = j < k_on ? CHANNEL_ONLINE : j < k_on + k_po ? CHANNEL_POSTAL
				                                                      : CHANNEL_DIRECT;
				pl->seed = rng_next(&r);
				pl->unit = (uint32_t)i;
				pl->month = (uint16_t)m;
				pl->channel = (uint8_t)ch;
				pl->proc = (uint32_t)pick_proc(ch == CHANNEL_ONLINE ? &g->pick_online[u->level]
				                                                    : &g->pick_all[u->level], &r);
				if (ch == CHANNEL_ONLINE) {
					/* any hour, any day; most in the day and the evening */
					double day = rng_unit(&r) * (double)(bstart[m + 1] - bstart[m]);
					mc_time t = bstart[m] + (mc_time)day, mid;
					struct civil c;
					int hour;

					time_to_local(t, &c);
					mid = t - (c.hour * 3600 + c.min * 60 + c.sec);
					do
						hour = (int)rng_below(&r, 24);
					while ((hour < 6 || hour > 22) && !rng_chance(&r, 0.15));
					t = mid + hour * 3600 + (mc_time)rng_below(&r, 3600);
					if (t >= g->now)
						t = g->now - 1 - (mc_time)rng_below(&r, 3600);
					pl->t = t;
				} else {
					int64_t x = (int64_t)(rng_unit(&r) * (double)bwork[m]);
					if (work_after(g, bstart[m], x, &pl->t) != 0 || pl->t >= g->now) {
						fprintf(stderr, "generate: calendar failed\n");
						goto out;
					}
				}
			}
		}
	}
	g->nplans = made;
	ret = 0;
out:
	free(mw);
	free(bstart);
	free(bwork);
	return ret;
}

static int plan_cmp(const void *a, const void *b)
{
	const struct plan *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return x->seed < y->seed ? -1 : x->seed > y->seed;
}

static unsigned long old_counter(const struct gen *g, unsigned unit_id, int64_t day)
{
	size_t lo = 0, hi = g->nold;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct counter *c = &g->old[mid];
		if (c->unit_id == unit_id && c->day == day)
			return c->seq;
		if (c->unit_id < unit_id || (c->unit_id == unit_id && c->day < day))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int push_counter(struct gen *g, const struct gunit *u)
{
	if (u->cur_seq == 0)
		return 0;
	if (g->ncounters == g->capcounters) {
		size_t cap = g->capcounters ? g->capcounters * 2 : 4096;
		struct counter *n = realloc(g->counters, cap * sizeof *n);
		if (!n)
			return -1;
		g->counters = n;
		g->capcounters = cap;
	}
	g->counters[g->ncounters++] = (struct counter){ u->id, u->cur_day, u->cur_seq };
	return 0;
}

/* Sequence numbers of the day, in arrival order, after those already in the database. */
static int number_dossiers(struct gen *g)
{
	qsort(g->plans, (size_t)g->nplans, sizeof *g->plans, plan_cmp);
	for (int i = 0; i < g->nunits; i++) {
		g->units[i].cur_day = INT64_MIN;
		g->units[i].cur_seq = 0;
	}
	for (long i = 0; i < g->nplans; i++) {
		struct plan *pl = &g->plans[i];
		struct gunit *u = &g->units[pl->unit];
		int64_t day = local_day_number(pl->t);

		if (day != u->cur_day) {
			if (push_counter(g, u) != 0)
				return -1;
			u->cur_day = day;
			u->cur_seq = old_counter(g, u->id, day);
		}
		if (u->cur_seq >= DOSSIER_SEQ_MAX) {
			fprintf(stderr, "generate: more than %lu dossiers in a day at %s\n",
			        DOSSIER_SEQ_MAX, u->code);
			return -1;
		}
		pl->seq = (uint32_t)++u->cur_seq;
	}
	for (int i = 0; i < g->nunits; i++)
		if (push_counter(g, &g->units[i]) != 0)
			return -1;
	return 0;
}

/*
 * Marks a few of the newest dossiers to end in the states every data set must show (the
 * demo lists one of each), however small the count: the newest candidate old enough for
 * its story to have happened, else any candidate.
 */
static void force_states(struct gen *g)
{
	static const struct { enum force f; int online; long min_age; } want[] = {
		{ F_SUBMITTED, 1, 0 },
		{ F_NOT_ACCEPTED, 1, 2 * 86400 },
		{ F_PROCESSING, 0, 0 },
		{ F_SUPPLEMENT, 0, 20 * 86400 },
		{ F_PAYMENT, 0, 20 * 86400 },
		{ F_SUSPENDED, 0, 20 * 86400 },
		{ F_RESOLVED, 0, 60 * 86400 },
		{ F_RETURNED, 0, 90 * 86400 },
		{ F_REFUSED, 0, 90 * 86400 },
		{ F_WITHDRAWN, 0, 90 * 86400 },
	};

	for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
		long found = -1;

		for (int pass = 0; pass < 2 && found < 0; pass++)
			for (long i = g->nplans - 1; i >= 0; i--) {
				const struct plan *pl = &g->plans[i];
				if (pl->force != F_NONE)
					continue;
				if (want[w].online && pl->channel != CHANNEL_ONLINE)
					continue;
				if (!want[w].online && pl->channel == CHANNEL_ONLINE)
					continue;
				if (pass == 0 && pl->t > g->now - want[w].min_age)
					continue;
				found = i;
				break;
			}
		if (found >= 0)
			g->plans[found].force = (uint8_t)want[w].f;
	}
}

/* ------------------------------------------------------------------ output */

struct out {
	int fd;
	char *buf;
	size_t len, cap;
	int err;
};

static int out_open(struct out *o, const char *path)
{
	o->len = 0;
	o->cap = 1 << 20;
	o->err = 0;
	o->buf = malloc(o->cap);
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (o->fd < 0 || !o->buf) {
		if (o->fd >= 0)
			close(o->fd);
		free(o->buf);
		o->buf = NULL;
		o->fd = -1;
		return -1;
	}
	return 0;
}

static void out_flush(struct out *o)
{
	size_t off = 0;

	while (off < o->len && !o->err) {
		ssize_t n = write(o->fd, o->buf + off, o->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			o->err = 1;
		else
			off += (size_t)n;
	}
	o->len = 0;
}

static int out_close(struct out *o)
{
	int err;

	if (o->fd < 0)
		return -1;
	out_flush(o);
	err = o->err;
	if (close(o->fd) != 0)
		err = 1;
	free(o->buf);
	o->buf = NULL;
	o->fd = -1;
	return err ? -1 : 0;
}

static inline void out_need(struct out *o, size_t n)
{
	if (o->len + n > o->cap)
		out_flush(o);
}

static void out_raw(struct out *o, const char *s, size_t n)
{
	if (n > o->cap) {
		out_flush(o);
		while (n > 0) {
			size_t k = n > o->cap ? o->cap : n;
			memcpy(o->buf, s, k);
			o->len = k;
			out_flush(o);
			s += k;
			n -= k;
		}
		return;
	}
	out_need(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_ch(struct out *o, char c)
{
	out_need(o, 1);
	o->buf[o->len++] = c;
}

#define TAB(o) out_ch((o), '\t')
#define EOL(o) out_ch((o), '\n')

/* A text field, with LOAD DATA's escapes for the bytes that would end it. */
static void out_text(struct out *o, const char *s)
{
	for (;;) {
		size_t run = strcspn(s, "\\\t\n\r");
		out_raw(o, s, run);
		s += run;
		if (*s == '\0')
			return;
		out_ch(o, '\\');
		out_ch(o, *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : '\\');
		s++;
	}
}

static void out_null(struct out *o)
{
	out_raw(o, "\\N", 2);
}

static void out_u64(struct out *o, unsigned long long v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_need(o, (size_t)n);
	while (n)
		o->buf[o->len++] = tmp[--n];
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* UTC "YYYY-MM-DD HH:MM:SS", or \N for 0. */
static void out_time(struct out *o, mc_time t)
{
	int64_t days, secs;
	int y, m, d;
	char *p;

	if (t == 0) {
		out_null(o);
		return;
	}
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	out_need(o, 19);
	p = o->buf + o->len;
	put2(p, y / 100);
	put2(p + 2, y % 100);
	p[4] = '-';
	put2(p + 5, m);
	p[7] = '-';
	put2(p + 8, d);
	p[10] = ' ';
	put2(p + 11, (int)(secs / 3600));
	p[13] = ':';
	put2(p + 14, (int)(secs / 60 % 60));
	p[16] = ':';
	put2(p + 17, (int)(secs % 60));
	o->len += 19;
}

static void out_hex(struct out *o, const unsigned char *b, size_t n)
{
	static const char hx[] = "0123456789abcdef";

	out_need(o, 2 * n);
	for (size_t i = 0; i < n; i++) {
		o->buf[o->len++] = hx[b[i] >> 4];
		o->buf[o->len++] = hx[b[i] & 15];
	}
}

/* -------------------------------------------------------- one dossier's life */

enum act {
	A_SUBMIT, A_RECEIVE, A_ACCEPT, A_NOT_ACCEPT, A_ASSIGN, A_FORWARD, A_SEND_BACK,
	A_TRANSFER, A_TRANSFER_BACK, A_REQUEST_SUPPLEMENT, A_SUPPLEMENT, A_REQUEST_PAYMENT,
	A_PAY, A_SUSPEND, A_RESUME, A_REFUSE, A_WITHDRAW, A_RESOLVE, A_RETURN, A_APOLOGY,
	A__MAX
};

static const char *const act_codes[A__MAX] = {
	"submit", "receive", "accept", "not_accept", "assign", "forward", "send_back",
	"transfer", "transfer_back", "request_supplement", "supplement", "request_payment",
	"pay", "suspend", "resume", "refuse", "withdraw", "resolve", "return", "apology",
};

struct event {
	mc_time at, due;
	int action, from, to;               /* from -1: none */
	int unit;                           /* index */
	int step;                           /* index into the procedure's steps, -1 none */
	const char *actor;
	char note[NOTE_MAX];
};

struct pause_rec { int state; mc_time from, to; };  /* to 0: still paused */

/*
 * A dossier's life as the workflow (api/dossiers.c, domain/workflow.c) would have
 * recorded it: the same actions, roles, step moves, units and dates.
 */
struct life {
	int state;
	int step;                           /* current step, index; -1 before reception */
	int cur_unit;                       /* unit holding it (current_unit_id), index */
	mc_time step_started, step_due;
	const struct officer *handler;      /* who works on the current step */
	const struct officer *assignee;     /* set by `assign` at the current step */
	const struct officer *receiver;     /* the desk officer who received it */
	mc_time submitted, received, due, promised, finished, returned;
	int result_channel;
	const char *refusal_reason;
	char waybill_in[16], waybill_out[16];
	struct pause_rec pauses[4];
	int npauses;
	int supplement;                     /* a supplement request was made */
	mc_time sup_at, sup_done;
	const struct officer *sup_by;
	const char *sup_items[2];
	int nsup_items;
	int payment;                        /* a payment request was made */
	mc_time pay_at;
	const struct officer *pay_by;
	long long pay_amount;               /* -1: the procedure's fees */
	int apology;                        /* an apology letter was approved */
	mc_time ap_drafted, ap_approved;
	const struct officer *ap_drafter, *ap_leader;
	const char *ap_reason;
	int nev;
	struct event ev[MAX_EVENTS];        /* last: not cleared between dossiers */
};

struct sim {
	struct gen *g;
	const struct plan *pl;
	const struct gproc *p;
	struct gunit *u;
	int ui;
	struct rng *r;
	struct life *L;
	const struct officer *handlers[MAX_STEPS];
	int stopped;
};

static const char *const apology_reasons[] = {
	"Hồ sơ cần xác minh thêm tại thực địa",
	"Chờ ý kiến phối hợp của cơ quan có liên quan",
	"Số lượng hồ sơ tiếp nhận tăng đột biến trong kỳ",
	"Cán bộ thụ lý nghỉ ốm đột xuất",
};

static void vn_date(mc_time t, char *buf, size_t sz)
{
	time_format_vn_date(t, buf, sz);
}

/* S10 waybill (UPU): two letters, eight digits, a check digit, "VN". */
static void waybill(struct rng *r, const char *prefix, char *out, size_t sz)
{
	static const int wt[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
	int d[8], sum = 0, check;

	for (int i = 0; i < 8; i++) {
		d[i] = (int)rng_below(r, 10);
		sum += d[i] * wt[i];
	}
	check = 11 - sum % 11;
	if (check == 10)
		check = 0;
	else if (check == 11)
		check = 5;
	snprintf(out, sz, "%s%d%d%d%d%d%d%d%d%dVN", prefix, d[0], d[1], d[2], d[3], d[4], d[5],
	         d[6], d[7], check);
}

/* The unit that works on step k: the receiving unit, or its ancestor of the step's level. */
static int step_unit(const struct sim *s, int k)
{
	const struct gstep *st = &s->p->steps[k];
	int a;

	if (st->level == STEP_RECEIVING || st->level == s->u->level)
		return s->ui;
	if (st->level == LV_DEPARTMENT)
		return s->g->department >= 0 ? s->g->department : s->ui;
	if (st->level == LV_OTHER)
		return s->ui;
	a = s->u->anc[st->level];
	return a >= 0 ? a : s->ui;
}

/* An officer of that role in that unit: from the officers table when it has some. */
static const struct officer *officer(const struct sim *s, int unit, int role)
{
	const struct gunit *u = &s->g->units[unit];
	unsigned n = u->ndb[role] > 0 ? (unsigned)u->ndb[role] : OFFICERS_PER_ROLE;

	return &u->off[role][rng_below(s->r, n)];
}

/* The handler if it holds one of the roles (bits 1 << role), else someone who does. */
static const struct officer *handler_or(const struct sim *s, unsigned roles, int fallback)
{
	const struct life *L = s->L;

	if (L->handler && L->step >= 0 && (roles & (1u << s->p->steps[L->step].role)))
		return L->handler;
	return officer(s, L->cur_unit, fallback);
}

static void notef(struct event *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The event's note; nothing when the event did not happen. A cut note ends on a whole
 * character: the column is utf8mb4 and LOAD DATA would refuse half of one. */
static void notef(struct event *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e)
		return;
	va_start(ap, fmt);
	n = vsnprintf(e->note, NOTE_MAX, fmt, ap);
	va_end(ap);
	if (n >= NOTE_MAX)
		e->note[utf8_cut(e->note, NOTE_MAX - 1)] = '\0';
}

/* Appends an event at the current unit and step if it happened by now; otherwise the
 * story stops there (NULL). */
static struct event *emit(struct sim *s, mc_time at, int action, int to, const char *actor,
                          mc_time due)
{
	struct life *L = s->L;
	struct event *e;

	if (s->stopped || at > s->g->now || L->nev == MAX_EVENTS) {
		s->stopped = 1;
		return NULL;
	}
	if (L->nev > 0 && at < L->ev[L->nev - 1].at)
		at = L->ev[L->nev - 1].at;
	e = &L->ev[L->nev++];
	e->at = at;
	e->due = due;
	e->action = action;
	e->from = L->state;
	e->to = to;
	e->unit = L->cur_unit;
	e->step = L->step;
	e->actor = actor;
	e->note[0] = '\0';
	L->state = to;
	return e;
}

/* The working time a whole procedure allows, shared among the steps by their per mille;
 * calendar days count as working days (the rule of api/dossiers.c). */
static int64_t procedure_working_seconds(const struct gproc *p)
{
	return p->amount * (p->unit == CAL_HOURS ? 3600 : CAL_WORKING_DAY_SECONDS) / 100;
}

/* The due time of step k started at t (api/dossiers.c: step_due_at). */
static mc_time step_due(const struct sim *s, int k, mc_time t)
{
	mc_time st, due;

	if (s->p->nosteps || k < 0 || k >= s->p->nsteps ||
	    calendar_next_working_instant(&s->g->cal, t, &st) != CAL_OK ||
	    calendar_add_working_seconds(&s->g->cal, st, procedure_working_seconds(s->p) *
	                                 s->p->steps[k].permille / 1000, &due) != CAL_OK)
		return 0;
	return due;
}

/* The dossier sits at step k since t; its handler is kept for the whole story, so the
 * officer who hands it on is the one who held it. The assignment ends with the step. */
static void enter_step(struct sim *s, int k, mc_time t)
{
	struct life *L = s->L;

	L->step = k;
	L->step_started = t;
	L->step_due = step_due(s, k, t);
	L->assignee = NULL;
	if (!s->handlers[k])
		s->handlers[k] = officer(s, step_unit(s, k), s->p->steps[k].role);
	L->handler = s->handlers[k];
}

/*
 * Brings the dossier to the unit of its current step: `transfer` to another agency, or
 * `transfer_back` to the receiving unit (inter-agency, một cửa liên thông). *t moves
 * to the hand-over. Returns 0, or -1 when the story stopped.
 */
static int move_to_step_unit(struct sim *s, mc_time *t)
{
	struct life *L = s->L;
	int target = step_unit(s, L->step);
	const struct officer *who;
	struct event *e;

	if (target == L->cur_unit)
		return 0;
	if (work_after(s->g, *t, 300 + (int64_t)rng_below(s->r, 3 * 3600), t) != 0)
		return -1;
	if (target == s->ui) {
		who = handler_or(s, (1u << R_SPECIALIST) | (1u << R_LEADER) | (1u << R_DESK), R_LEADER);
		L->cur_unit = target;       /* recorded at the unit it comes back to, like transfer */
		e = emit(s, *t, A_TRANSFER_BACK, STATE_PROCESSING, who->account, 0);
		notef(e, "Chuyển trả hồ sơ liên thông về %.*s",
		      (int)utf8_cut(s->g->units[target].name, 200), s->g->units[target].name);
	} else {
		who = handler_or(s, (1u << R_SPECIALIST) | (1u << R_LEADER), R_LEADER);
		L->cur_unit = target;       /* the event is recorded at the unit it goes to */
		e = emit(s, *t, A_TRANSFER, STATE_PROCESSING, who->account, 0);
		notef(e, "Chuyển liên thông đến %.*s",
		      (int)utf8_cut(s->g->units[target].name, 200), s->g->units[target].name);
	}
	return e ? 0 : -1;
}

/* A leader (or the desk) gives a specialist step to its handler. */
static int assign_step(struct sim *s, mc_time *t)
{
	struct life *L = s->L;
	struct event *e;

	if (s->p->steps[L->step].role != R_SPECIALIST || !rng_chance(s->r, 0.8))
		return 0;
	if (work_after(s->g, *t, 60 + (int64_t)rng_below(s->r, 2 * 3600), t) != 0)
		return -1;
	e = emit(s, *t, A_ASSIGN, STATE_PROCESSING,
	         officer(s, L->cur_unit, rng_chance(s->r, 0.7) ? R_LEADER : R_DESK)->account, 0);
	if (!e)
		return -1;
	notef(e, "Phân công cho %s", L->handler->account);
	L->assignee = L->handler;
	return 0;
}

struct decisions {
	double speed;
	int late, apologize;
	int sup_step, sup_never;
	int pay_step, pay_never;
	int sus_step, sus_never;
	int back_step, refuse_step, withdraw_step, stuck_step;
	int return_never;
	double sup_days, pay_days, sus_days, ret_days;
};

static int last_role_step(const struct gproc *p, int role)
{
	for (int k = p->nsteps - 1; k >= 0; k--)
		if (p->steps[k].role == role)
			return k;
	return -1;
}

static void decide(struct sim *s, struct decisions *d)
{
	struct rng *r = s->r;
	const struct gproc *p = s->p;
	int n = p->nsteps;
	int spec = last_role_step(p, R_SPECIALIST);
	int lead = last_role_step(p, R_LEADER);
	int first_work = n > 1 ? 1 : 0;
	double x = rng_unit(r);

	memset(d, 0, sizeof *d);
	d->sup_step = d->pay_step = d->sus_step = d->back_step = -1;
	d->refuse_step = d->withdraw_step = d->stuck_step = -1;
	if (spec < 0)
		spec = first_work;
	/* most early, some on the day, a few late */
	if (x < 0.035) {
		d->late = 1;
		d->speed = rng_range(r, 1.15, 2.0);
	} else if (x < 0.095) {
		d->speed = rng_range(r, 0.9, 1.0);
	} else {
		d->speed = 0.2 + 0.7 * (rng_unit(r) + rng_unit(r)) / 2;
	}
	d->apologize = rng_chance(r, 0.85);
	if (rng_chance(r, 0.07)) {
		d->sup_step = first_work;
		d->sup_never = rng_chance(r, 0.01);
		d->sup_days = 0.5 + rng_exp(r, 3, 15);
	}
	if (rng_chance(r, p->fee > 0 ? 0.12 : 0.02)) {
		d->pay_step = lead >= 0 ? lead : n - 1;
		d->pay_never = rng_chance(r, 0.01);
		d->pay_days = 0.2 + rng_exp(r, 1.5, 10);
	}
	if (rng_chance(r, 0.012)) {
		d->sus_step = spec;
		d->sus_never = rng_chance(r, 0.05);
		d->sus_days = rng_range(r, 5, 40);
	}
	/* a leader sends the draft back to the step before, in the same unit */
	if (lead > 0 && step_unit(s, lead) == step_unit(s, lead - 1) && rng_chance(r, 0.04))
		d->back_step = lead;
	x = rng_unit(r);
	if (x < 0.015)
		d->refuse_step = spec;
	else if (x < 0.025)
		d->withdraw_step = (int)rng_below(r, (unsigned)n);
	else if (x < 0.0265)
		d->stuck_step = (int)rng_below(r, (unsigned)n);
	d->return_never = 0;
	d->ret_days = rng_chance(r, 0.015) ? rng_range(r, 10, 40) : rng_exp(r, 1.2, 8);

	if (s->pl->force != F_NONE) {
		d->late = 0;
		d->speed = 0.3;
		d->sup_step = d->pay_step = d->sus_step = d->back_step = -1;
		d->refuse_step = d->withdraw_step = d->stuck_step = -1;
		d->ret_days = 0.5;
	}
	switch (s->pl->force) {
	case F_PROCESSING: d->stuck_step = first_work; break;
	case F_SUPPLEMENT: d->sup_step = 0; d->sup_never = 1; break;
	case F_PAYMENT: d->pay_step = 0; d->pay_never = 1; break;
	case F_SUSPENDED: d->sus_step = 0; d->sus_never = 1; break;
	case F_RESOLVED: d->return_never = 1; break;
	case F_REFUSED: d->refuse_step = first_work; break;
	case F_WITHDRAWN: d->withdraw_step = 0; break;
	default: break;
	}
}

/* The due time again from reception with the finished pauses (domain/dossier_due.h). */
static int recompute_due(struct sim *s, mc_time *due)
{
	struct dossier_pause dp[sizeof s->L->pauses / sizeof s->L->pauses[0]];
	int n = s->L->npauses;

	for (int i = 0; i < n; i++)
		dp[i] = (struct dossier_pause){ s->L->pauses[i].from, s->L->pauses[i].to,
		                                s->L->pauses[i].state == STATE_AWAITING_SUPPLEMENT };
	return dossier_due_at(&s->g->cal, s->L->received, s->p->amount, s->p->unit, s->p->restart,
	                      dp, (size_t)n, due) == CAL_OK ? 0 : -1;
}

/* The documents a supplement request asks for, all at once; the note as the API makes
 * it: "Cần bổ sung: A. Cần bổ sung: B". */
static void supplement_items(struct sim *s, char *buf, size_t sz)
{
	struct life *L = s->L;
	const struct gproc *p = s->p;
	size_t len = 0;

	L->nsup_items = 0;
	if (p->ndocs > 0) {
		int a = (int)rng_below(s->r, (unsigned)p->ndocs);
		L->sup_items[L->nsup_items++] = p->docs[a].name;
		if (p->ndocs > 1 && rng_chance(s->r, 0.3))
			L->sup_items[L->nsup_items++] = p->docs[(a + 1) % p->ndocs].name;
	} else {
		L->sup_items[L->nsup_items++] = "Giấy tờ chứng minh thông tin kê khai";
	}
	buf[0] = '\0';
	for (int i = 0; i < L->nsup_items; i++) {
		const char *it = L->sup_items[i];
		size_t n = utf8_cut(it, 150);
		if (len + n + 20 >= sz)
			break;
		len += (size_t)snprintf(buf + len, sz - len, "%sCần bổ sung: %.*s", i ? ". " : "",
		                        (int)n, it);
	}
}

/* One pause (supplement, payment, suspension) at the current step: the request, and the
 * answer unless it never came. *cur moves on. Returns 1 when the story stopped here, 0 to
 * go on, -1 if the calendar failed. */
static int pause_once(struct sim *s, int req, int back, int paused_state, int never, double days,
                      int64_t *remaining, mc_time *cur)
{
	struct life *L = s->L;
	struct rng *r = s->r;
	int64_t part = *remaining * 2 / 5;
	const struct officer *who;
	struct pause_rec *pr = NULL;
	struct event *e;
	char items[400], date[16];
	mc_time t, t2, due;

	if (work_after(s->g, *cur, part, &t) != 0)
		return -1;
	*remaining -= part;
	if (req == A_SUSPEND) {
		who = officer(s, L->cur_unit, R_LEADER);
		e = emit(s, t, req, paused_state, who->account, 0);
		notef(e, "%s", PICK(r, suspend_reasons));
	} else {
		who = handler_or(s, (1u << R_DESK) | (1u << R_SPECIALIST), R_SPECIALIST);
		if (req == A_REQUEST_SUPPLEMENT) {
			supplement_items(s, items, sizeof items);
			e = emit(s, t, req, paused_state, who->account, 0);
			notef(e, "%s", items);
			if (e) {
				L->supplement = 1;
				L->sup_at = t;
				L->sup_by = who;
			}
		} else {
			long long amount = s->p->fee > 0 ? s->p->fee : 50000 + 10000LL * rng_below(r, 50);
			e = emit(s, t, req, paused_state, who->account, 0);
			notef(e, "Thông báo nghĩa vụ tài chính: %lld đồng", amount);
			if (e) {
				/* like payment_request_insert(): no amount means the procedure's fees */
				L->payment = 1;
				L->pay_at = t;
				L->pay_by = who;
				L->pay_amount = s->p->fee > 0 ? -1 : amount;
			}
		}
	}
	if (!e)
		return 1;
	if (L->npauses < (int)(sizeof L->pauses / sizeof L->pauses[0])) {
		pr = &L->pauses[L->npauses++];
		*pr = (struct pause_rec){ paused_state, t, 0 };
	}
	if (never)
		return 1;
	if (work_after(s->g, t, (int64_t)(days * WORK_DAY), &t2) != 0)
		return -1;
	if (t2 > s->g->now) {
		s->stopped = 1;
		return 1;
	}
	if (pr)
		pr->to = t2;
	if (req == A_REQUEST_SUPPLEMENT)
		L->sup_done = t2;
	if (recompute_due(s, &due) != 0)
		return -1;
	L->due = due;
	vn_date(due, date, sizeof date);
	e = emit(s, t2, back, STATE_PROCESSING,
	         back == A_RESUME ? officer(s, L->cur_unit, R_LEADER)->account
	         : rng_chance(r, s->pl->channel == CHANNEL_ONLINE ? 0.9 : 0.3)
	           ? "applicant" : officer(s, s->ui, R_DESK)->account, 0);
	if (back == A_SUPPLEMENT)
		notef(e, "Đã bổ sung hồ sơ; hẹn trả kết quả ngày %s", date);
	else if (back == A_PAY)
		notef(e, "Đã hoàn thành nghĩa vụ tài chính%s; hẹn trả kết quả ngày %s",
		      s->pl->channel == CHANNEL_ONLINE ? " qua Cổng thanh toán" : "", date);
	else
		notef(e, "Tiếp tục xử lý; hẹn trả kết quả ngày %s", date);
	if (!e)
		return 1;
	*cur = t2;
	return 0;
}

/* Simulates the dossier up to now. Returns 0, or -1 if the calendar fails. */
static int simulate(struct sim *s)
{
	struct gen *g = s->g;
	struct life *L = s->L;
	struct rng *r = s->r;
	const struct gproc *p = s->p;
	const int U = s->ui, n = p->nsteps;
	int k, rc;
	struct decisions d;
	mc_time cur, due, start_eff, t, t2, left_due;
	int64_t W, dur[MAX_STEPS];
	char date[16];
	struct event *e;
	const struct officer *o;

	memset(L, 0, offsetof(struct life, ev));
	memset(s->handlers, 0, sizeof s->handlers);
	L->state = -1;
	L->step = -1;
	L->cur_unit = U;
	L->result_channel = s->pl->channel;

	if (s->pl->channel == CHANNEL_ONLINE) {
		L->submitted = s->pl->t;
		e = emit(s, s->pl->t, A_SUBMIT, STATE_SUBMITTED, "applicant", 0);
		notef(e, "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công");
		if (s->pl->force == F_SUBMITTED)
			return 0;
		if (work_after(g, s->pl->t, (int64_t)rng_exp(r, 3 * HOUR, 2 * WORK_DAY), &t) != 0)
			return -1;
		if (t > g->now)
			return 0;
		o = officer(s, U, R_DESK);
		if (s->pl->force == F_NOT_ACCEPTED || (s->pl->force == F_NONE && rng_chance(r, 0.045))) {
			e = emit(s, t, A_NOT_ACCEPT, STATE_NOT_ACCEPTED, o->account, 0);
			notef(e, "%s", PICK(r, not_accept_reasons));
			L->finished = t;
			return 0;
		}
		cur = t;
	} else {
		cur = s->pl->t;
		if (s->pl->channel == CHANNEL_POSTAL)
			waybill(r, "EL", L->waybill_in, sizeof L->waybill_in);
		o = officer(s, U, R_DESK);
	}

	/* reception: the clock starts */
	L->received = cur;
	L->receiver = o;
	if (calendar_due(&g->cal, cur, p->amount, p->unit, &due, NULL) != CAL_OK ||
	    calendar_next_working_instant(&g->cal, cur, &start_eff) != CAL_OK)
		return -1;
	W = calendar_working_seconds_between(&g->cal, start_eff, due);
	if (W < 1800)
		W = 1800;
	L->due = due;
	decide(s, &d);
	for (k = 0; k < n; k++) {
		dur[k] = (int64_t)((double)W * p->steps[k].share * d.speed * rng_range(r, 0.75, 1.25));
		if (dur[k] < 120)
			dur[k] = 120 + (int64_t)rng_below(r, 600);
	}
	if (p->steps[0].role == R_DESK && step_unit(s, 0) == U)
		s->handlers[0] = o;
	enter_step(s, 0, cur);
	vn_date(due, date, sizeof date);
	if (s->pl->channel == CHANNEL_ONLINE) {
		e = emit(s, cur, A_ACCEPT, STATE_PROCESSING, o->account, 0);
		notef(e, "Tiếp nhận hồ sơ trực tuyến; hẹn trả kết quả ngày %s", date);
	} else {
		e = emit(s, cur, A_RECEIVE, STATE_PROCESSING, o->account, due);
		if (s->pl->channel == CHANNEL_POSTAL)
			notef(e, "Tiếp nhận qua dịch vụ bưu chính công ích, số hiệu bưu gửi %s; "
			      "hẹn trả kết quả ngày %s", L->waybill_in, date);
		else
			notef(e, "Tiếp nhận trực tiếp; hẹn trả kết quả ngày %s", date);
	}
	if (move_to_step_unit(s, &cur) != 0 || assign_step(s, &cur) != 0)
		return 0;

	for (k = 0; k < n && !s->stopped; k++) {
		int64_t remaining = dur[k];
		const struct gstep *st = &p->steps[k];

		if (k == d.stuck_step)
			return 0;
		if (k == d.sup_step &&
		    (rc = pause_once(s, A_REQUEST_SUPPLEMENT, A_SUPPLEMENT, STATE_AWAITING_SUPPLEMENT,
		                     d.sup_never, d.sup_days, &remaining, &cur)) != 0)
			return rc < 0 ? -1 : 0;
		if (k == d.pay_step &&
		    (rc = pause_once(s, A_REQUEST_PAYMENT, A_PAY, STATE_AWAITING_PAYMENT, d.pay_never,
		                     d.pay_days, &remaining, &cur)) != 0)
			return rc < 0 ? -1 : 0;
		if (k == d.sus_step &&
		    (rc = pause_once(s, A_SUSPEND, A_RESUME, STATE_SUSPENDED, d.sus_never, d.sus_days,
		                     &remaining, &cur)) != 0)
			return rc < 0 ? -1 : 0;
		if (k == d.refuse_step || k == d.withdraw_step) {
			int refuse = k == d.refuse_step;
			const char *why = refuse ? PICK(r, refuse_reasons) : NULL;
			if (work_after(g, cur, remaining / 2, &t) != 0)
				return -1;
			e = emit(s, t, refuse ? A_REFUSE : A_WITHDRAW,
			         refuse ? STATE_REFUSED : STATE_WITHDRAWN,
			         refuse ? officer(s, L->cur_unit, R_LEADER)->account
			                : rng_chance(r, 0.5) ? "applicant" : officer(s, U, R_DESK)->account,
			         0);
			if (!e)
				return 0;
			if (refuse)
				notef(e, "%s", why);
			else
				notef(e, "Người nộp hồ sơ có đơn đề nghị rút hồ sơ");
			L->refusal_reason = why;
			L->finished = t;
			return 0;
		}
		if (k == d.back_step && k > 0) {
			const struct officer *leader = L->handler;
			if (work_after(g, cur, remaining / 2, &t) != 0)
				return -1;
			enter_step(s, k - 1, t);
			e = emit(s, t, A_SEND_BACK, STATE_PROCESSING, leader->account, L->step_due);
			notef(e, "%s", PICK(r, send_back_reasons));
			if (!e || work_after(g, t, dur[k - 1] / 2 + 600, &t2) != 0)
				return 0;
			o = L->handler;
			left_due = L->step_due;
			enter_step(s, k, t2);
			e = emit(s, t2, A_FORWARD, STATE_PROCESSING, o->account, L->step_due);
			notef(e, "Bước xử lý hoàn thành %s",
			      left_due == 0 || t2 <= left_due ? "đúng hạn" : "quá hạn");
			if (!e)
				return 0;
			cur = t2;
			remaining -= remaining / 2;
		}
		if (work_after(g, cur, remaining, &t) != 0)
			return -1;
		if (d.late && d.apologize && !L->apology && t > due) {
			int64_t rest = 0;
			mc_time ap, promised;
			const struct officer *leader = officer(s, L->cur_unit, R_LEADER);

			for (int j = k + 1; j < n; j++)
				rest += dur[j];
			if (cur < due) {
				int64_t left = calendar_working_seconds_between(&g->cal, cur, due);
				if (work_after(g, cur, left > 3600 ? left - 3600 : left / 2, &ap) != 0)
					return -1;
			} else if (work_after(g, cur, 1800, &ap) != 0) {
				return -1;
			}
			if (work_after(g, t, rest + WORK_DAY, &promised) != 0)
				return -1;
			L->ap_reason = PICK(r, apology_reasons);
			vn_date(promised, date, sizeof date);
			e = emit(s, ap, A_APOLOGY, STATE_PROCESSING, leader->account, 0);
			if (!e)
				return 0;
			notef(e, "Hẹn lại ngày trả kết quả: %s. %s", date, L->ap_reason);
			L->promised = promised;
			L->apology = 1;
			L->ap_approved = e->at;
			L->ap_leader = leader;
			L->ap_drafter = st->role == R_SPECIALIST ? L->handler
			                                         : officer(s, L->cur_unit, R_SPECIALIST);
			if (work_after(g, cur, calendar_working_seconds_between(&g->cal, cur, e->at) / 2,
			               &L->ap_drafted) != 0)
				return -1;
			if (L->ap_drafted > L->ap_approved)
				L->ap_drafted = L->ap_approved;
		}
		if (k + 1 < n) {
			o = L->handler;
			left_due = L->step_due;
			enter_step(s, k + 1, t);
			e = emit(s, t, A_FORWARD, STATE_PROCESSING, o->account, L->step_due);
			if (!e)
				return 0;
			/* the step that ends is judged against its own due time, as the API does */
			notef(e, "Bước xử lý hoàn thành %s",
			      left_due == 0 || t <= left_due ? "đúng hạn" : "quá hạn");
			cur = t;
			if (move_to_step_unit(s, &cur) != 0 || assign_step(s, &cur) != 0)
				return 0;
			continue;
		}
		/* the last step: the result comes back to the receiving unit, then is issued */
		cur = t;
		if (L->cur_unit != U) {
			o = handler_or(s, (1u << R_SPECIALIST) | (1u << R_LEADER), R_LEADER);
			if (work_after(g, cur, 300 + (int64_t)rng_below(r, 3600), &cur) != 0)
				return -1;
			L->cur_unit = U;
			e = emit(s, cur, A_TRANSFER_BACK, STATE_PROCESSING, o->account, 0);
			notef(e, "Chuyển trả kết quả liên thông về %.*s",
			      (int)utf8_cut(g->units[U].name, 200), g->units[U].name);
			if (!e || work_after(g, cur, 600 + (int64_t)rng_below(r, 2 * 3600), &cur) != 0)
				return 0;
			/* issued where it came back to */
			o = officer(s, U, rng_chance(r, 0.6) ? R_CLERK : R_LEADER);
		} else {
			o = handler_or(s, (1u << R_LEADER) | (1u << R_CLERK), R_CLERK);
		}
		e = emit(s, cur, A_RESOLVE, STATE_RESOLVED, o->account, 0);
		if (!e)
			return 0;
		notef(e, "Đã có kết quả giải quyết hồ sơ");
		L->finished = cur;
	}
	if (s->stopped || L->state != STATE_RESOLVED)
		return 0;

	/* handing the result over */
	if (s->pl->channel == CHANNEL_ONLINE && p->full && rng_chance(r, 0.7))
		L->result_channel = CHANNEL_ONLINE;
	else if (s->pl->channel == CHANNEL_POSTAL ? rng_chance(r, 0.8) : rng_chance(r, 0.04))
		L->result_channel = CHANNEL_POSTAL;
	else
		L->result_channel = CHANNEL_DIRECT;
	if (d.return_never)
		return 0;
	if (L->result_channel == CHANNEL_ONLINE)
		t = cur + 300 + (mc_time)rng_below(r, 3600);
	else if (work_after(g, cur, (int64_t)(d.ret_days * WORK_DAY), &t) != 0)
		return -1;
	if (L->result_channel == CHANNEL_POSTAL)
		waybill(r, "EL", L->waybill_out, sizeof L->waybill_out);
	e = emit(s, t, A_RETURN, STATE_RETURNED, officer(s, U, R_DESK)->account, 0);
	if (!e) {
		L->waybill_out[0] = '\0';
		return 0;
	}
	if (L->result_channel == CHANNEL_ONLINE)
		notef(e, "Trả kết quả điện tử qua Cổng Dịch vụ công");
	else if (L->result_channel == CHANNEL_POSTAL)
		notef(e, "Trả kết quả qua dịch vụ bưu chính công ích, số hiệu bưu gửi %s",
		      L->waybill_out);
	else
		notef(e, "Trả kết quả trực tiếp tại Bộ phận một cửa");
	L->returned = t;
	return 0;
}

/* ----------------------------------------------------------- writing rows */

/* One chunk's files, by table: dossiers, documents (f), events, and when the schema has
 * them pauses, supplement requests (s), apology letters, payment requests (q). */
#define CHUNK_KINDS "dfepsaq"
#define NKINDS      (sizeof CHUNK_KINDS - 1)
_Static_assert(sizeof ((struct gen *)0)->load_seconds / sizeof(double) == NKINDS,
               "one load time per table");
struct chunk_out { struct out d, f, e, p, s, a, q; };

static int kind_wanted(const struct gen *g, size_t k)
{
	if (k < 3)
		return 1;
	if (k < 6)
		return (g->schema & SC_WORKFLOW) != 0;
	return (g->schema & SC_PAYMENT_REQUESTS) != 0;
}

/* A JSON array of strings, e.g. ["Tờ khai", "Giấy chứng sinh"], for supplement items. */
static void json_items(const char *const *items, int n, char *buf, size_t sz)
{
	size_t len = 0;

	if (sz < 3)
		return;
	buf[len++] = '[';
	for (int i = 0; i < n; i++) {
		const unsigned char *c = (const unsigned char *)items[i];
		if (len + 4 >= sz)
			break;
		if (i)
			buf[len++] = ',';
		buf[len++] = '"';
		for (; *c && len + 8 < sz; c++) {
			if (*c == '"' || *c == '\\') {
				buf[len++] = '\\';
				buf[len++] = (char)*c;
			} else if (*c < 0x20) {
				len += (size_t)snprintf(buf + len, sz - len, "\\u%04x", *c);
			} else {
				buf[len++] = (char)*c;
			}
		}
		while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80 && *c)
			len--;                  /* never half a character when cut */
		buf[len++] = '"';
	}
	buf[len++] = ']';
	buf[len] = '\0';
}

static void out_officer_id(struct out *o, const struct officer *who)
{
	if (who && who->id)
		out_u64(o, who->id);
	else
		out_null(o);
}


static void applicant(struct sim *s, char *name, size_t nsz, int *org, char *idn, size_t isz,
                      char *phone, size_t psz, char *mail, size_t msz, char *addr, size_t asz)
{
	struct rng *r = s->r;
	const struct gunit *u = s->u;
	const struct gunit *home = u;
	double porg = u->level == LV_COMMUNE ? 0.02 : u->level == LV_DISTRICT ? 0.12 : 0.22;
	int female;
	char slug[128];

	if (u->ncommunes > 0 && u->level != LV_COMMUNE)
		home = &s->g->units[u->communes[rng_below(r, (unsigned)u->ncommunes)]];
	*org = rng_chance(r, porg);
	if (*org) {
		const char *kind = PICK(r, org_kinds), *brand = PICK(r, org_brands);
		if (strcmp(kind, "Hợp tác xã") == 0)
			snprintf(name, nsz, "%s Nông nghiệp %s", kind, brand);
		else
			snprintf(name, nsz, "%s %s %s", kind, PICK(r, org_trades), brand);
		snprintf(idn, isz, "%02u%08u", 10 + rng_below(r, 90), rng_below(r, 100000000));
		ascii_slug(brand, slug, sizeof slug);
	} else {
		unsigned year = 1945 + rng_below(r, 62);
		person_name(r, name, nsz, &female);
		snprintf(idn, isz, "%03u%u%02u%06u",
		         rng_chance(r, 0.9) ? home->cccd_place : PICK(r, cccd_places),
		         (year >= 2000 ? 2 : 0) + (unsigned)female, year % 100, rng_below(r, 1000000));
		ascii_slug(name, slug, sizeof slug);
	}
	snprintf(phone, psz, "%s%07u", PICK(r, phone_prefixes), rng_below(r, 10000000));
	if (s->pl->channel == CHANNEL_ONLINE || rng_chance(r, 0.35))
		snprintf(mail, msz, "%s%u@%s", slug, rng_below(r, 1000), PICK(r, mail_domains));
	else
		mail[0] = '\0';
	if (home->ward) {
		if (rng_chance(r, 0.6))
			snprintf(addr, asz, "Số %u đường %s%s", 1 + rng_below(r, 250), PICK(r, streets),
			         home->area);
		else
			snprintf(addr, asz, "Tổ dân phố %u%s", 1 + rng_below(r, 20), home->area);
	} else if (rng_chance(r, 0.5)) {
		snprintf(addr, asz, "Thôn %u%s", 1 + rng_below(r, 15), home->area);
	} else {
		snprintf(addr, asz, "%s %s%s", rng_chance(r, 0.7) ? "Thôn" : "Xóm", PICK(r, villages),
		         home->area);
	}
}

static const char pin_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz";

static int write_dossier(struct gen *g, struct chunk_out *co, long idx, struct life *L)
{
	const struct plan *pl = &g->plans[idx];
	const long long id = g->first_id + idx;
	struct rng r = { pl->seed };
	struct sim s = { .g = g, .pl = pl, .p = &g->procs[pl->proc], .u = &g->units[pl->unit],
	                 .ui = (int)pl->unit, .r = &r, .L = L };
	const struct gproc *p = s.p;
	struct civil c;
	char code[DOSSIER_CODE_MAX + 8], name[256], idn[32], phone[32], mail[160], addr[700];
	char pin[11];
	unsigned char salt[16], hash[32], prev[HISTORY_HASH_LEN], cur[HISTORY_HASH_LEN];
	const char *case_name = "";
	unsigned int hlen = 0;
	int org, ndocs = 0;
	double digit;

	time_to_local(pl->t, &c);
	if (dossier_code_format(s.u->code, c.year, c.month, c.day, pl->seq, code, sizeof code) < 0) {
		fprintf(stderr, "generate: cannot make a code for unit %s\n", s.u->code);
		return -1;
	}
	applicant(&s, name, sizeof name, &org, idn, sizeof idn, phone, sizeof phone, mail,
	          sizeof mail, addr, sizeof addr);
	for (int i = 0; i < 10; i++)
		pin[i] = pin_alphabet[rng_below(&r, sizeof pin_alphabet - 1)];
	pin[10] = '\0';
	for (int i = 0; i < 16; i += 8) {
		uint64_t x = rng_next(&r);
		memcpy(salt + i, &x, 8);
	}
	{
		unsigned char sp[26];
		memcpy(sp, salt, 16);
		memcpy(sp + 16, pin, 10);
		if (!EVP_Digest(sp, sizeof sp, hash, &hlen, EVP_sha256(), NULL) || hlen != 32) {
			fprintf(stderr, "generate: SHA-256 failed\n");
			return -1;
		}
	}
	if (p->ncases > 0 && (!p->has_common_docs || rng_chance(&r, 0.25)))
		case_name = p->cases[rng_below(&r, (unsigned)p->ncases)];
	if (simulate(&s) != 0) {
		fprintf(stderr, "generate: calendar computation failed for %s\n", code);
		return -1;
	}

	/* dossiers */
	struct out *o = &co->d;
	out_u64(o, (unsigned long long)id); TAB(o);
	out_text(o, code); TAB(o);
	out_u64(o, p->id); TAB(o);
	out_u64(o, p->field_id); TAB(o);
	out_u64(o, s.u->id); TAB(o);
	out_text(o, channel_code((enum channel)pl->channel)); TAB(o);
	out_text(o, channel_code((enum channel)L->result_channel)); TAB(o);
	out_text(o, dossier_state_code((enum dossier_state)L->state)); TAB(o);
	out_text(o, case_name); TAB(o);
	out_text(o, name); TAB(o);
	out_text(o, org ? "organization" : "citizen"); TAB(o);
	out_text(o, idn); TAB(o);
	out_text(o, phone); TAB(o);
	out_text(o, mail); TAB(o);
	out_text(o, addr); TAB(o);
	out_hex(o, salt, 16); TAB(o);
	out_hex(o, hash, 32); TAB(o);
	out_text(o, L->waybill_in); TAB(o);
	out_text(o, L->waybill_out); TAB(o);
	out_time(o, L->submitted); TAB(o);
	out_time(o, L->received); TAB(o);
	out_time(o, L->received ? L->due : 0); TAB(o);
	out_time(o, L->promised); TAB(o);
	out_time(o, L->finished); TAB(o);
	out_time(o, L->returned); TAB(o);
	/* like dossier_save(): a finished dossier keeps the step and unit it ended at */
	if (L->step >= 0 && !p->nosteps)
		out_u64(o, (unsigned long long)L->step + 1);
	else
		out_null(o);
	TAB(o);
	out_u64(o, g->units[L->cur_unit].id); TAB(o);
	out_ch(o, L->state == STATE_RESOLVED || L->state == STATE_RETURNED ? '1' : '0'); TAB(o);
	out_u64(o, (unsigned long long)L->nev); TAB(o);
	out_time(o, L->ev[0].at); TAB(o);
	out_time(o, L->ev[L->nev - 1].at);
	if (g->schema & SC_WORKFLOW) {
		TAB(o);
		out_officer_id(o, L->assignee); TAB(o);
		out_time(o, L->step >= 0 ? L->step_due : 0); TAB(o);
		out_time(o, L->step >= 0 ? L->step_started : 0); TAB(o);
		out_text(o, dossier_state_is_paused((enum dossier_state)L->state) ? "processing" : "");
		TAB(o);
		out_officer_id(o, L->received ? L->receiver : NULL); TAB(o);
		if (L->refusal_reason)
			out_text(o, L->refusal_reason);
		else
			out_null(o);
	}
	EOL(o);

	/* documents: the case's list, digitized more and more over time */
	o = &co->f;
	digit = s.pl->channel == CHANNEL_ONLINE ? 1.0
	        : 0.35 + 0.5 * (g->nbuckets > 1 ? (double)pl->month / (g->nbuckets - 1) : 1.0);
	for (int i = 0; i < p->ndocs; i++) {
		const struct gdoc *dd = &p->docs[i];
		int digitized;
		unsigned char sha[32];

		if (dd->case_name[0] && strcmp(dd->case_name, case_name) != 0)
			continue;
		if (!dd->required && !rng_chance(&r, 0.5))
			continue;
		digitized = rng_chance(&r, digit);
		out_u64(o, (unsigned long long)id); TAB(o);
		out_u64(o, (unsigned long long)++ndocs); TAB(o);
		out_text(o, dd->name); TAB(o);
		out_u64(o, (unsigned long long)dd->originals); TAB(o);
		out_u64(o, (unsigned long long)dd->copies); TAB(o);
		if (digitized) {
			for (int k = 0; k < 32; k += 8) {
				uint64_t x = rng_next(&r);
				memcpy(sha + k, &x, 8);
			}
			out_hex(o, sha, 32);
		} else {
			out_null(o);
		}
		TAB(o);
		out_ch(o, digitized ? '0' : '1');
		EOL(o);
	}
	g->ndocuments += ndocs;

	/* events, chained */
	o = &co->e;
	memset(prev, 0, sizeof prev);
	for (int i = 0; i < L->nev; i++) {
		const struct event *e = &L->ev[i];
		const struct gstep *st = e->step >= 0 && !p->nosteps ? &p->steps[e->step] : NULL;
		struct history_event he = {
			.dossier_code = code, .seq = (unsigned)i + 1, .at = e->at,
			.action = act_codes[e->action],
			.from_state = e->from >= 0 ? dossier_state_code((enum dossier_state)e->from) : "",
			.to_state = dossier_state_code((enum dossier_state)e->to),
			.unit_code = g->units[e->unit].code,
			.step_seq = st ? e->step + 1 : -1, .step_name = st ? st->name : "",
			.actor = e->actor, .note = e->note, .due_at = e->due,
		};

		if (history_event_hash(prev, &he, cur) != 0) {
			fprintf(stderr, "generate: hashing failed\n");
			return -1;
		}
		out_u64(o, (unsigned long long)id); TAB(o);
		out_u64(o, he.seq); TAB(o);
		out_time(o, e->at); TAB(o);
		out_text(o, he.action); TAB(o);
		out_text(o, he.from_state); TAB(o);
		out_text(o, he.to_state); TAB(o);
		out_u64(o, g->units[e->unit].id); TAB(o);
		if (st)
			out_u64(o, (unsigned long long)he.step_seq);
		else
			out_null(o);
		TAB(o);
		out_text(o, he.step_name); TAB(o);
		out_text(o, he.actor); TAB(o);
		out_text(o, he.note); TAB(o);
		out_time(o, e->due); TAB(o);
		out_hex(o, prev, 32); TAB(o);
		out_hex(o, cur, 32);
		EOL(o);
		memcpy(prev, cur, sizeof prev);
	}
	g->nevents += L->nev;

	if (g->schema & SC_WORKFLOW) {
		o = &co->p;
		for (int i = 0; i < L->npauses; i++) {
			out_u64(o, (unsigned long long)id); TAB(o);
			out_u64(o, (unsigned long long)i + 1); TAB(o);
			out_text(o, dossier_state_code((enum dossier_state)L->pauses[i].state)); TAB(o);
			out_time(o, L->pauses[i].from); TAB(o);
			out_time(o, L->pauses[i].to);
			EOL(o);
		}
		if (L->supplement) {
			char json[800];
			const struct event *req = NULL;
			for (int i = 0; i < L->nev; i++)
				if (L->ev[i].action == A_REQUEST_SUPPLEMENT)
					req = &L->ev[i];
			json_items(L->sup_items, L->nsup_items, json, sizeof json);
			o = &co->s;
			out_u64(o, (unsigned long long)id); TAB(o);
			out_text(o, json); TAB(o);
			out_text(o, req ? req->note : ""); TAB(o);
			out_u64(o, L->sup_by ? L->sup_by->id : 0); TAB(o);
			out_time(o, L->sup_at); TAB(o);
			out_time(o, L->sup_done);
			EOL(o);
		}
		if (L->payment && (g->schema & SC_PAYMENT_REQUESTS)) {
			o = &co->q;
			out_u64(o, (unsigned long long)id); TAB(o);
			if (L->pay_amount >= 0)
				out_u64(o, (unsigned long long)L->pay_amount);
			else
				out_null(o);
			TAB(o);
			out_officer_id(o, L->pay_by); TAB(o);
			out_time(o, L->pay_at);
			EOL(o);
		}
		if (L->apology) {
			o = &co->a;
			out_u64(o, (unsigned long long)id); TAB(o);
			out_time(o, L->promised); TAB(o);
			out_text(o, L->ap_reason); TAB(o);
			out_officer_id(o, L->ap_drafter); TAB(o);
			out_time(o, L->ap_drafted); TAB(o);
			out_officer_id(o, L->ap_leader); TAB(o);
			out_time(o, L->ap_approved);
			EOL(o);
		}
	}
	g->nstate[L->state]++;
	g->nchannel[pl->channel]++;

	/* the demo list: the first dossiers, and the newest of each state */
	{
		struct demo_row *dr = NULL;
		if (g->ndemo_first < DEMO_FIRST)
			dr = &g->demo_first[g->ndemo_first++];
		else
			dr = &g->demo_state[L->state];
		snprintf(dr->code, sizeof dr->code, "%s", code);
		memcpy(dr->pin, pin, sizeof pin);
		dr->state = L->state;
		dr->channel = pl->channel;
		dr->id = id;
	}
	return 0;
}

/* ------------------------------------------------------------ the pipeline */

static void chunk_path(const struct gen *g, long chunk, char kind, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s/%c%ld.tsv", g->tmpdir, kind, chunk);
}

static long nchunks(const struct gen *g)
{
	return (g->nplans + CHUNK_DOSSIERS - 1) / CHUNK_DOSSIERS;
}

static void unlink_chunk(const struct gen *g, long chunk)
{
	char path[300];

	for (const char *k = CHUNK_KINDS; *k; k++) {
		chunk_path(g, chunk, *k, path, sizeof path);
		unlink(path);
	}
}

static int write_chunk(struct gen *g, long chunk, struct life *L)
{
	struct chunk_out co;
	struct out *files[NKINDS] = { &co.d, &co.f, &co.e, &co.p, &co.s, &co.a, &co.q };
	char path[300];
	long from = chunk * CHUNK_DOSSIERS, to = from + CHUNK_DOSSIERS;
	int ret = -1;

	if (to > g->nplans)
		to = g->nplans;
	for (size_t i = 0; i < NKINDS; i++) {
		files[i]->fd = -1;
		files[i]->buf = NULL;
	}
	for (size_t i = 0; i < NKINDS; i++) {
		if (!kind_wanted(g, i))
			continue;
		chunk_path(g, chunk, CHUNK_KINDS[i], path, sizeof path);
		if (out_open(files[i], path) != 0) {
			fprintf(stderr, "generate: cannot write %s: %s\n", path, strerror(errno));
			goto out;
		}
	}
	for (long i = from; i < to; i++)
		if (write_dossier(g, &co, i, L) != 0)
			goto out;
	ret = 0;
out:
	for (size_t i = 0; i < NKINDS; i++) {
		if (files[i]->fd >= 0 && out_close(files[i]) != 0 && ret == 0) {
			fprintf(stderr, "generate: writing in %s failed\n", g->tmpdir);
			ret = -1;
		}
	}
	return ret;
}

static void *worker(void *arg)
{
	struct gen *g = arg;
	struct life *L = malloc(sizeof *L);
	long n = nchunks(g);
	int failed = L == NULL;

	for (long c = 0; c < n && !failed; c++) {
		pthread_mutex_lock(&g->mu);
		while (g->qlen == QUEUE_DEPTH && !g->loader_failed)
			pthread_cond_wait(&g->cv, &g->mu);
		failed = g->loader_failed;
		pthread_mutex_unlock(&g->mu);
		if (failed)
			break;
		if (write_chunk(g, c, L) != 0) {
			unlink_chunk(g, c);
			failed = 1;
			break;
		}
		pthread_mutex_lock(&g->mu);
		g->queue[(g->qhead + g->qlen) % (QUEUE_DEPTH + 1)] = c;
		g->qlen++;
		pthread_cond_broadcast(&g->cv);
		pthread_mutex_unlock(&g->mu);
	}
	free(L);
	pthread_mutex_lock(&g->mu);
	g->worker_done = 1;
	g->worker_failed = failed;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

#define COLS_DOSSIERS \
	"(id, code, procedure_id, field_id, unit_id, channel, result_channel, state, case_name, " \
	"applicant_name, applicant_kind, applicant_id_number, applicant_phone, applicant_email, " \
	"applicant_address, @salt, @pinhash, waybill_in, waybill_out, submitted_at, received_at, " \
	"due_at, promised_at, finished_at, returned_at, current_step, current_unit_id, " \
	"result_ready, version, created_at, updated_at"
#define SET_PIN " SET pin_salt = UNHEX(@salt), pin_hash = UNHEX(@pinhash)"
static const char cols_dossiers[] = COLS_DOSSIERS ")" SET_PIN;
static const char cols_dossiers_workflow[] = COLS_DOSSIERS ", assignee_id, step_due_at, "
	"step_started_at, paused_from_state, received_by, refusal_reason)" SET_PIN;
static const char cols_pauses[] = "(dossier_id, seq, state, from_at, to_at)";
static const char cols_supplements[] =
	"(dossier_id, items, note, requested_by, requested_at, fulfilled_at)";
static const char cols_apologies[] =
	"(dossier_id, proposed_date, reason, drafted_by, drafted_at, approved_by, approved_at)";
static const char cols_payment_requests[] = "(dossier_id, amount_vnd, officer_id, requested_at)";
static const char cols_documents[] =
	"(dossier_id, seq, name, originals, copies, @sha, paper_only) "
	"SET file_sha256 = UNHEX(@sha)";
static const char cols_events[] =
	"(dossier_id, seq, at, action, from_state, to_state, unit_id, step_seq, step_name, actor, "
	"note, due_at, @prev, @hash) SET prev_hash = UNHEX(@prev), hash = UNHEX(@hash)";

struct load_job {
	struct gen *g;
	struct db *db;
	long chunk;
	size_t table;                       /* index in load_tables */
	int rc;
};

static const char *const load_tables[NKINDS] = {   /* in CHUNK_KINDS order */
	"dossiers", "dossier_documents", "dossier_events", "dossier_pauses",
	"supplement_requests", "apology_letters", "payment_requests",
};
#define LOAD_EVENTS 2

static int load_table(struct gen *g, struct db *db, long chunk, size_t i)
{
	const int wf = (g->schema & SC_WORKFLOW) != 0;
	const char *const cols[NKINDS] = {
		wf ? cols_dossiers_workflow : cols_dossiers, cols_documents, cols_events,
		cols_pauses, cols_supplements, cols_apologies, cols_payment_requests,
	};
	struct timespec t0, t1;
	char path[300];

	chunk_path(g, chunk, CHUNK_KINDS[i], path, sizeof path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (db_load_infile(db, load_tables[i], path, cols[i]) != 0) {
		fprintf(stderr, "generate: loading %s: %s\n", load_tables[i], db_error(db));
		if (strstr(db_error(db), "orbidden") || strstr(db_error(db), "not allowed"))
			fprintf(stderr, "generate: open the database with db_config.local_infile = 1\n");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	g->load_seconds[i] += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	unlink(path);
	return 0;
}

static void *load_thread(void *arg)
{
	struct load_job *j = arg;

	j->rc = load_table(j->g, j->db, j->chunk, j->table);
	return NULL;
}

/*
 * Loads one chunk. With a second connection the events (the biggest table) go through it
 * in a helper thread while this one loads the rest: MariaDB spends a core per LOAD DATA,
 * and the machine has two.
 */
static int load_chunk(struct gen *g, long chunk)
{
	struct load_job ev = { g, g->db2, chunk, LOAD_EVENTS, 0 };
	pthread_t th;
	int threaded = 0, rc = 0;

	if (g->db2 && pthread_create(&th, NULL, load_thread, &ev) == 0)
		threaded = 1;
	for (size_t i = 0; i < NKINDS && rc == 0; i++) {
		if (!kind_wanted(g, i) || (i == LOAD_EVENTS && threaded))
			continue;
		rc = load_table(g, g->db, chunk, i);
	}
	if (threaded) {
		pthread_join(th, NULL);
		if (ev.rc != 0)
			rc = -1;
	}
	return rc;
}

static int write_counters(struct gen *g)
{
	static const char head[] =
		"INSERT INTO dossier_code_counters (unit_id, day, last_seq) VALUES ";
	static const char tail[] = " ON DUPLICATE KEY UPDATE last_seq = GREATEST(last_seq, "
		"VALUES(last_seq))";
	size_t cap = sizeof head + sizeof tail + 2000 * 48, len;
	char *sql = malloc(cap);
	int ret = -1;

	if (!sql)
		return -1;
	for (size_t i = 0; i < g->ncounters;) {
		len = 0;
		len += (size_t)snprintf(sql + len, cap - len, "%s", head);
		for (size_t k = 0; k < 2000 && i < g->ncounters; k++, i++) {
			int y, m, d;
			civil_from_days(g->counters[i].day, &y, &m, &d);
			len += (size_t)snprintf(sql + len, cap - len, "%s(%u,'%04d-%02d-%02d',%lu)",
			                        k ? "," : "", g->counters[i].unit_id, y, m, d,
			                        g->counters[i].seq);
		}
		len += (size_t)snprintf(sql + len, cap - len, "%s", tail);
		if (db_exec_text(g->db, sql, len) != 0) {
			db_fail(g, "writing dossier_code_counters");
			goto out;
		}
	}
	ret = 0;
out:
	free(sql);
	return ret;
}

static const char session_fast[] = "SET SESSION foreign_key_checks = 0, unique_checks = 0";
static const char session_back[] = "SET SESSION foreign_key_checks = 1, unique_checks = 1";

/*
 * The events' own connection, in its own transaction. Without it (it could not be opened)
 * everything goes through the caller's connection, only slower.
 */
static void open_events_connection(struct gen *g)
{
	if ((g->db2 = db_open_same(g->db)) == NULL)
		return;
	if (db_exec_text(g->db2, session_fast, sizeof session_fast - 1) != 0 ||
	    db_begin(g->db2) != 0) {
		if (!g->o->quiet)
			fprintf(stderr, "generate: loading on one connection (%s)\n", db_error(g->db2));
		db_close(g->db2);
		g->db2 = NULL;
	}
}

/*
 * Commits: the events first, then the rest, so that a failure in between leaves events
 * without their dossier (deleted right away) rather than dossiers without history.
 */
static int commit_all(struct gen *g)
{
	static const char orphans[] = "DELETE FROM dossier_events WHERE dossier_id >= ?";
	struct db_param p[] = { DB_INT(g->first_id) };

	/* the dossiers' insert triggers queued each one for the statistics; the rebuild that
	 * follows counts them all at once (a worker recounting a million, one by one, would
	 * compete with it for minutes) */
	static const char unqueue[] = "DELETE FROM stats_dirty WHERE dossier_id >= ?";

	if (db_exec(g->db, unqueue, p, 1, NULL, NULL) != 0) {
		db_fail(g, "statistics queue");
		db_rollback(g->db);
		if (g->db2)
			db_rollback(g->db2);
		return -1;
	}
	if (g->db2 && db_commit(g->db2) != 0) {
		fprintf(stderr, "generate: commit of the events: %s\n", db_error(g->db2));
		db_rollback(g->db);
		return -1;
	}
	if (db_commit(g->db) != 0) {
		db_fail(g, "commit");
		if (g->db2 && db_exec(g->db2, orphans, p, 1, NULL, NULL) != 0)
			fprintf(stderr, "generate: events of dossiers from id %lld are left over: %s\n",
			        g->first_id, db_error(g->db2));
		return -1;
	}
	return 0;
}

/* Runs the worker and loads what it writes: all or nothing. */
static int produce_and_load(struct gen *g)
{
	pthread_t th;
	int ret = -1, started = 0, in_tx = 0;
	long loaded = 0, total = nchunks(g);
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (db_exec_text(g->db, session_fast, sizeof session_fast - 1) != 0 || db_begin(g->db) != 0) {
		db_fail(g, "starting the load");
		goto out;
	}
	in_tx = 1;
	open_events_connection(g);
	if (pthread_create(&th, NULL, worker, g) != 0) {
		fprintf(stderr, "generate: cannot start a thread\n");
		goto out;
	}
	started = 1;
	for (;;) {
		long c;

		struct timespec w0, w1;

		clock_gettime(CLOCK_MONOTONIC, &w0);
		pthread_mutex_lock(&g->mu);
		while (g->qlen == 0 && !g->worker_done)
			pthread_cond_wait(&g->cv, &g->mu);
		clock_gettime(CLOCK_MONOTONIC, &w1);
		g->wait_seconds += (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
		if (g->qlen == 0) {
			pthread_mutex_unlock(&g->mu);
			break;
		}
		c = g->queue[g->qhead];
		pthread_mutex_unlock(&g->mu);
		if (load_chunk(g, c) != 0) {
			pthread_mutex_lock(&g->mu);
			g->loader_failed = 1;
			pthread_cond_broadcast(&g->cv);
			pthread_mutex_unlock(&g->mu);
			goto out;
		}
		pthread_mutex_lock(&g->mu);
		g->qhead = (g->qhead + 1) % (QUEUE_DEPTH + 1);
		g->qlen--;
		pthread_cond_broadcast(&g->cv);
		pthread_mutex_unlock(&g->mu);
		loaded++;
		if (!g->o->quiet && total > 1) {
			struct timespec t1;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			fprintf(stderr, "generate: %ld/%ld dossiers loaded (%.1f s)\n",
			        loaded * CHUNK_DOSSIERS < g->nplans ? loaded * CHUNK_DOSSIERS : g->nplans,
			        g->nplans, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
	}
	pthread_join(th, NULL);
	started = 0;
	if (g->worker_failed || loaded != total)
		goto out;
	if (write_counters(g) != 0)
		goto out;
	in_tx = 0;
	if (commit_all(g) != 0)
		goto out;
	ret = 0;
out:
	if (started) {
		pthread_join(th, NULL);
	}
	/* files of chunks written but not loaded */
	while (g->qlen > 0) {
		unlink_chunk(g, g->queue[g->qhead]);
		g->qhead = (g->qhead + 1) % (QUEUE_DEPTH + 1);
		g->qlen--;
	}
	if (in_tx) {
		db_rollback(g->db);
		if (g->db2)
			db_rollback(g->db2);
	}
	db_exec_text(g->db, session_back, sizeof session_back - 1);
	db_close(g->db2);
	g->db2 = NULL;
	return ret;
}

static int write_demo(const struct gen *g, const char *path)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f) {
		fprintf(stderr, "generate: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "code\tpin\tstate\tchannel\n");
	for (int i = 0; i < g->ndemo_first; i++)
		fprintf(f, "%s\t%s\t%s\t%s\n", g->demo_first[i].code, g->demo_first[i].pin,
		        dossier_state_code((enum dossier_state)g->demo_first[i].state),
		        channel_code((enum channel)g->demo_first[i].channel));
	for (int st = 0; st < STATE__MAX; st++) {
		const struct demo_row *d = &g->demo_state[st];
		if (d->code[0] == '\0')
			continue;
		fprintf(f, "%s\t%s\t%s\t%s\n", d->code, d->pin, dossier_state_code((enum dossier_state)st),
		        channel_code((enum channel)d->channel));
	}
	ret = ferror(f) ? -1 : 0;
	if (fclose(f) != 0)
		ret = -1;
	if (ret != 0)
		fprintf(stderr, "generate: writing %s failed\n", path);
	return ret;
}

/* ------------------------------------------------------------------ entry */

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int generate_dossiers(struct db *db, const struct gen_options *o)
{
	struct gen *g = NULL;
	struct count_arg cnt = { 0, 0 };
	struct timespec t0;
	const char *tmp = getenv("TMPDIR");
	char since[16];
	int ret = -1, have_tmpdir = 0, have_sync = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o && o->count == 0 && o->months >= 1)
		return 0;                   /* nothing asked: seed-demo --dossiers 0 */
	if (!o || o->count < 1 || o->count > GEN_COUNT_MAX || o->months < 1 ||
	    o->months > GEN_MONTHS_MAX) {
		fprintf(stderr, "generate: count must be 1..%ld and months 1..%d\n", GEN_COUNT_MAX,
		        GEN_MONTHS_MAX);
		return -1;
	}
	if ((g = calloc(1, sizeof *g)) == NULL) {
		fprintf(stderr, "generate: out of memory\n");
		return -1;
	}
	g->o = o;
	g->db = db;
	g->department = -1;
	g->now = (mc_time)time(NULL);
	{
		struct civil c;
		time_to_local(g->now, &c);
		c.month -= o->months % 12;
		c.year -= o->months / 12;
		if (c.month < 1) {
			c.month += 12;
			c.year--;
		}
		if (c.day > 28)
			c.day = 28;
		g->start = time_from_local(&c);
	}
	calendar_init(&g->cal);
	if (pthread_mutex_init(&g->mu, NULL) != 0 || pthread_cond_init(&g->cv, NULL) != 0)
		goto out;
	have_sync = 1;

	if (db_query(db, sql_count_dossiers, NULL, 0, count_cb, &cnt) != 0) {
		db_fail(g, "counting dossiers");
		goto out;
	}
	if (cnt.n > 0 && !o->append) {
		fprintf(stderr, "generate: the database already holds %lld dossiers; refusing to add "
		        "more (append is for benchmarks)\n", cnt.n);
		goto out;
	}
	g->first_id = cnt.max_id + 1;
	if (db_query(db, sql_schema, NULL, 0, schema_cb, &g->schema) != 0) {
		db_fail(g, "reading the schema");
		goto out;
	}
	if ((g->schema & SC_WORKFLOW) != SC_WORKFLOW)
		g->schema &= ~(unsigned)SC_WORKFLOW;
	if (load_calendar(g) != 0)
		goto out;
	if (db_query(db, sql_units, NULL, 0, unit_cb, g) != 0) {
		db_fail(g, "reading units");
		goto out;
	}
	if (db_query(db, sql_procs, NULL, 0, proc_cb, g) != 0 ||
	    db_query(db, sql_steps, NULL, 0, step_cb, g) != 0 ||
	    db_query(db, sql_docs, NULL, 0, doc_cb, g) != 0 ||
	    db_query(db, sql_fees, NULL, 0, fee_cb, g) != 0) {
		db_fail(g, "reading procedures");
		goto out;
	}
	{
		struct civil c;
		struct db_param p[1];
		time_to_local(g->start - 86400, &c);
		snprintf(since, sizeof since, "%04d-%02d-%02d", c.year, c.month, c.day);
		p[0] = DB_STR(since);
		if (db_query(db, sql_counters, p, 1, counter_cb, g) != 0) {
			db_fail(g, "reading dossier_code_counters");
			goto out;
		}
	}
	if (g->nprocs == 0) {
		fprintf(stderr, "generate: no published procedure\n");
		goto out;
	}
	if (prepare_units(g) != 0 || prepare_procs(g) != 0) {
		fprintf(stderr, "generate: out of memory\n");
		goto out;
	}
	if ((g->schema & SC_OFFICERS) && db_query(db, sql_officers, NULL, 0, officer_cb, g) != 0) {
		db_fail(g, "reading officers");
		goto out;
	}
	if (plan_dossiers(g) != 0 || number_dossiers(g) != 0)
		goto out;
	force_states(g);
	if (!o->quiet)
		fprintf(stderr, "generate: %ld dossiers planned over %d months for %d units, %d "
		        "procedures (%.1f s)\n", g->nplans, o->months, g->nunits, g->nprocs,
		        seconds_since(&t0));

	snprintf(g->tmpdir, sizeof g->tmpdir, "%s/motcua-gen-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(g->tmpdir) == NULL) {
		fprintf(stderr, "generate: mkdtemp %s: %s\n", g->tmpdir, strerror(errno));
		goto out;
	}
	have_tmpdir = 1;
	if (produce_and_load(g) != 0)
		goto out;
	if (o->demo_out_path && write_demo(g, o->demo_out_path) != 0)
		goto out;
	if (!o->quiet) {
		double secs = seconds_since(&t0);
		fprintf(stderr, "generate: %ld dossiers, %lld documents, %lld events in %.1f s "
		        "(%.0f dossiers/s)\n", g->nplans, g->ndocuments, g->nevents, secs,
		        secs > 0 ? (double)g->nplans / secs : 0.0);
		fprintf(stderr, "generate: states");
		for (int s = 0; s < STATE__MAX; s++)
			fprintf(stderr, " %s=%ld", dossier_state_code((enum dossier_state)s), g->nstate[s]);
		fprintf(stderr, "; channels direct=%ld online=%ld postal=%ld\n",
		        g->nchannel[CHANNEL_DIRECT], g->nchannel[CHANNEL_ONLINE],
		        g->nchannel[CHANNEL_POSTAL]);
		fprintf(stderr, "generate: load seconds: dossiers %.1f, documents %.1f, events %.1f, "
		        "workflow %.1f; waiting for the writer %.1f\n", g->load_seconds[0],
		        g->load_seconds[1], g->load_seconds[2],
		        g->load_seconds[3] + g->load_seconds[4] + g->load_seconds[5] + g->load_seconds[6],
		        g->wait_seconds);
	}
	/* dossiers loaded in bulk are counted for the reports in one pass, not one by one */
	if (stats_rebuild(db, time(NULL), o->quiet ? NULL : stderr) != 0) {
		fprintf(stderr, "generate: the dossiers are loaded but the statistics are not: "
		        "run motcua-admin stats-rebuild\n");
		goto out;
	}
	ret = 0;
out:
	if (have_tmpdir)
		rmdir(g->tmpdir);
	for (int i = 0; i < g->nprocs; i++) {
		free(g->procs[i].steps);
		free(g->procs[i].docs);
	}
	for (int i = 0; i < g->nunits; i++)
		free(g->units[i].communes);
	for (int i = 0; i < 3; i++) {
		free(g->pick_all[i].idx);
		free(g->pick_all[i].cum);
		free(g->pick_online[i].idx);
		free(g->pick_online[i].cum);
	}
	while (g->arena) {
		struct arena_block *b = g->arena;
		g->arena = b->next;
		free(b);
	}
	free(g->procs);
	free(g->units);
	free(g->plans);
	free(g->old);
	free(g->counters);
	calendar_free(&g->cal);
	if (have_sync) {
		pthread_mutex_destroy(&g->mu);
		pthread_cond_destroy(&g->cv);
	}
	free(g);
	return ret;
}
