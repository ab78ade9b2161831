/*
 * Tests for domain/stats: the Form 06 classification of one dossier, case by case, and
 * the flow form of the same facts (what the aggregate tables sum) giving the same cells.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domain/stats.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define B(c) (1u << (c))

/* "YYYY-MM-DD HH:MM" local time (UTC+7) to UTC seconds; NULL gives 0 (none). */
static mc_time at(const char *s)
{
	struct civil c = { 0 };

	if (!s)
		return 0;
	if (sscanf(s, "%d-%d-%d %d:%d", &c.year, &c.month, &c.day, &c.hour, &c.min) != 5)
		fail_msg("bad time in test: %s", s);
	return time_from_local(&c);
}

static int32_t day(const char *s)
{
	int y, m, d;

	if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
		fail_msg("bad date in test: %s", s);
	return (int32_t)days_from_civil(y, m, d);
}

struct stats_case {
	const char *name;
	const char *state, *channel;
	const char *received, *due, *finished, *paused;   /* local times, NULL = none */
	const char *from, *to, *today;                     /* the period and the day it is seen */
	unsigned want;
};

#define MARCH "2025-03-01", "2025-03-31", "2025-06-01"

static const struct stats_case cases[] = {
	{ "finished the day before the due date", "returned", "online",
	  "2025-03-05 09:00", "2025-03-10 16:00", "2025-03-09 10:00", NULL, MARCH,
	  B(SC_ONLINE) | B(SC_BEFORE) },
	{ "finished on the due day, after the due hour", "returned", "direct",
	  "2025-03-05 09:00", "2025-03-10 08:00", "2025-03-10 16:30", NULL, MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_ON_TIME) },
	{ "finished the day after the due date", "returned", "postal",
	  "2025-03-05 09:00", "2025-03-10 16:00", "2025-03-11 07:45", NULL, MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_LATE) },
	{ "resolved, not yet handed over, counts as finished", "resolved", "direct",
	  "2025-03-05 09:00", "2025-03-10 16:00", "2025-03-10 09:00", NULL, MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_ON_TIME) },
	{ "withdrawn after the due date counts as on time", "withdrawn", "online",
	  "2025-03-05 09:00", "2025-03-10 16:00", "2025-03-20 09:00", NULL, MARCH,
	  B(SC_ONLINE) | B(SC_ON_TIME) },
	{ "refused is left out", "refused", "direct",
	  "2025-03-05 09:00", "2025-03-10 16:00", "2025-03-08 09:00", NULL, MARCH, 0 },
	{ "online submission not accepted is left out", "not_accepted", "online",
	  NULL, NULL, "2025-03-08 09:00", NULL, MARCH, 0 },
	{ "online submission waiting for the desk is left out", "submitted", "online",
	  NULL, NULL, NULL, NULL, MARCH, 0 },
	{ "carried over across the period start, finished inside", "returned", "direct",
	  "2025-02-20 09:00", "2025-03-10 16:00", "2025-03-05 09:00", NULL, MARCH,
	  B(SC_CARRIED_OVER) | B(SC_BEFORE) },
	{ "finished the day before the period is not carried over", "returned", "direct",
	  "2025-02-20 09:00", "2025-03-10 16:00", "2025-02-28 16:00", NULL, MARCH, 0 },
	{ "carried over and still open at the end, overdue", "processing", "direct",
	  "2025-02-20 09:00", "2025-03-20 16:00", NULL, NULL, MARCH,
	  B(SC_CARRIED_OVER) | B(SC_OVERDUE) },
	{ "open, due the period's last day: within", "processing", "online",
	  "2025-03-20 09:00", "2025-03-31 16:00", NULL, NULL, MARCH,
	  B(SC_ONLINE) | B(SC_WITHIN) },
	{ "open, due after the period, finished later: within at the end", "returned", "direct",
	  "2025-03-20 09:00", "2025-04-03 16:00", "2025-04-02 09:00", NULL, MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_WITHIN) },
	{ "open at the end, overdue then, finished late afterwards", "returned", "direct",
	  "2025-03-10 09:00", "2025-03-20 16:00", "2025-04-02 09:00", NULL, MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_OVERDUE) },
	{ "paused while within the deadline stays within", "awaiting_supplement", "direct",
	  "2025-03-02 09:00", "2025-03-15 16:00", NULL, "2025-03-10 10:00", MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_WITHIN) },
	{ "paused on its due day stays within", "suspended", "direct",
	  "2025-03-02 09:00", "2025-03-15 16:00", NULL, "2025-03-15 10:00", MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_WITHIN) },
	{ "paused after becoming overdue stays overdue", "awaiting_payment", "online",
	  "2025-03-02 09:00", "2025-03-05 16:00", NULL, "2025-03-08 10:00", MARCH,
	  B(SC_ONLINE) | B(SC_OVERDUE) },
	{ "received on the period's last day, late evening", "processing", "direct",
	  "2025-03-31 23:30", "2025-04-10 16:00", NULL, NULL, MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_WITHIN) },
	{ "received just after midnight local time belongs to the next day", "processing", "direct",
	  "2025-04-01 00:30", "2025-04-10 16:00", NULL, NULL, MARCH, 0 },
	{ "finished on the period's first day, early morning", "returned", "direct",
	  "2025-02-25 09:00", "2025-03-01 16:00", "2025-03-01 00:15", NULL, MARCH,
	  B(SC_CARRIED_OVER) | B(SC_ON_TIME) },
	{ "received and finished the same day", "returned", "direct",
	  "2025-03-12 08:00", "2025-03-12 16:00", "2025-03-12 15:00", NULL, MARCH,
	  B(SC_DIRECT_POSTAL) | B(SC_ON_TIME) },
	{ "period still running: overdue only from the day after the due date", "processing", "direct",
	  "2025-03-02 09:00", "2025-03-15 16:00", NULL, NULL, "2025-03-01", "2025-03-31", "2025-03-15",
	  B(SC_DIRECT_POSTAL) | B(SC_WITHIN) },
	{ "period still running: due yesterday is overdue today", "processing", "direct",
	  "2025-03-02 09:00", "2025-03-14 16:00", NULL, NULL, "2025-03-01", "2025-03-31", "2025-03-15",
	  B(SC_DIRECT_POSTAL) | B(SC_OVERDUE) },
	{ "received before the period and finished after it: carried over, in process", "returned", "online",
	  "2025-02-10 09:00", "2025-05-10 16:00", "2025-04-20 09:00", NULL, MARCH,
	  B(SC_CARRIED_OVER) | B(SC_WITHIN) },
	{ "received after the period counts nowhere", "processing", "online",
	  "2025-04-10 09:00", "2025-04-20 16:00", NULL, NULL, MARCH, 0 },
};

static struct stats_facts facts_of(const struct stats_case *c)
{
	struct stats_dossier d = {
		.state = c->state, .channel = c->channel, .received_at = at(c->received),
		.due_at = at(c->due), .finished_at = at(c->finished), .pause_from = at(c->paused),
	};
	struct stats_facts f;

	stats_classify(&d, &f);
	return f;
}

static void cell_names(unsigned m, char *buf, size_t sz)
{
	buf[0] = '\0';
	for (int k = 0; k < SC__MAX; k++)
		if (m & B(k)) {
			strncat(buf, stats_cell_names[k], sz - strlen(buf) - 1);
			strncat(buf, " ", sz - strlen(buf) - 1);
		}
}

static void test_cells(void **state)
{
	char got_s[160], want_s[160];

	(void)state;
	for (size_t i = 0; i < NELEMS(cases); i++) {
		const struct stats_case *c = &cases[i];
		struct stats_facts f = facts_of(c);
		unsigned got = stats_cells(&f, day(c->from), day(c->to), day(c->today));

		if (got != c->want) {
			cell_names(got, got_s, sizeof got_s);
			cell_names(c->want, want_s, sizeof want_s);
			fail_msg("%s: got {%s}, want {%s}", c->name, got_s, want_s);
		}
	}
}

/* Sums the dossier's flows the way the report sums the aggregate tables. */
static void cells_from_flows(const struct stats_facts *f, int32_t from, int32_t to, int32_t today,
                             long long out[SC__MAX])
{
	struct stats_flow fl[STATS_FLOWS_MAX];
	long long in_period[SF__MAX] = { 0 }, open_before = 0, open_end = 0, overdue_end = 0;
	int32_t asof = to < today ? to : today;
	int n = stats_flows(f, fl);

	for (int k = 0; k < n; k++) {
		if (fl[k].day >= from && fl[k].day <= to)
			in_period[fl[k].col] += fl[k].delta;
		if (fl[k].col == SF_OPEN && fl[k].day < from)
			open_before += fl[k].delta;
		if (fl[k].col == SF_OPEN && fl[k].day <= asof)
			open_end += fl[k].delta;
		if (fl[k].col == SF_OVERDUE && fl[k].day <= asof)
			overdue_end += fl[k].delta;
	}
	stats_cells_from_sums(in_period, open_before, open_end, overdue_end, out);
}

/* Every case, and every period around it, gives the same cells through the flows, and
 * the Form 06 identity holds: carried over + new = resolved + in process. */
static void test_flows_agree(void **state)
{
	static const char *const periods[][3] = {
		{ MARCH }, { "2025-02-01", "2025-02-28", "2025-06-01" },
		{ "2025-03-10", "2025-03-12", "2025-06-01" }, { "2025-03-01", "2025-03-31", "2025-03-15" },
		{ "2025-01-01", "2025-12-31", "2025-03-20" }, { "2025-04-01", "2025-04-30", "2025-06-01" },
		{ "2025-03-15", "2025-03-15", "2025-03-16" },
	};

	(void)state;
	for (size_t i = 0; i < NELEMS(cases); i++) {
		struct stats_facts f = facts_of(&cases[i]);
		for (size_t p = 0; p < NELEMS(periods); p++) {
			int32_t from = day(periods[p][0]), to = day(periods[p][1]), today = day(periods[p][2]);
			unsigned m;
			long long sums[SC__MAX];

			/* the facts of a real dossier never lie after the day it is seen */
			if (from > today || (f.counted && f.recv_day > today) ||
			    (f.fin_day != STATS_NEVER && f.fin_day > today))
				continue;
			m = stats_cells(&f, from, to, today);
			cells_from_flows(&f, from, to, today, sums);
			for (int k = 0; k < SC__MAX; k++)
				if (sums[k] != ((m & B(k)) ? 1 : 0))
					fail_msg("%s, %s..%s seen %s: cell %s is %lld by flows, %d by cells",
					         cases[i].name, periods[p][0], periods[p][1], periods[p][2],
					         stats_cell_names[k], sums[k], (m & B(k)) ? 1 : 0);
			assert_int_equal(sums[SC_CARRIED_OVER] + sums[SC_ONLINE] + sums[SC_DIRECT_POSTAL],
			                 sums[SC_BEFORE] + sums[SC_ON_TIME] + sums[SC_LATE] + sums[SC_WITHIN] +
			                 sums[SC_OVERDUE]);
		}
	}
}

static void test_not_counted_has_no_flows(void **state)
{
	struct stats_dossier d = { .state = "refused", .channel = "direct", .received_at = at("2025-03-01 09:00"),
	                           .due_at = at("2025-03-05 09:00"), .finished_at = at("2025-03-02 09:00") };
	struct stats_facts f;
	struct stats_flow fl[STATS_FLOWS_MAX];

	(void)state;
	stats_classify(&d, &f);
	assert_int_equal(f.counted, 0);
	assert_int_equal(stats_flows(&f, fl), 0);
}

/* The postal part of "direct or postal" is its own flow, on the day of reception, for a
 * postal dossier only (the dashboard reads it; Form 06 keeps the two together). */
static void test_postal_flow(void **state)
{
	static const char *const channels[] = { "direct", "online", "postal" };

	(void)state;
	for (int c = 0; c < 3; c++) {
		struct stats_dossier d = { .state = "processing", .channel = channels[c],
		                           .received_at = at("2025-03-03 09:00"), .due_at = at("2025-03-10 09:00") };
		struct stats_facts f;
		struct stats_flow fl[STATS_FLOWS_MAX];
		long long postal = 0, direct_postal = 0, online = 0;
		int n;

		stats_classify(&d, &f);
		assert_int_equal(f.postal, c == 2);
		n = stats_flows(&f, fl);
		for (int k = 0; k < n; k++) {
			if (fl[k].col == SF_REC_POSTAL) {
				assert_int_equal(fl[k].day, f.recv_day);
				postal += fl[k].delta;
			}
			direct_postal += fl[k].col == SF_REC_DIRECT_POSTAL ? fl[k].delta : 0;
			online += fl[k].col == SF_REC_ONLINE ? fl[k].delta : 0;
		}
		assert_int_equal(postal, c == 2);
		assert_int_equal(direct_postal, c != 1);
		assert_int_equal(online, c == 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_flows_agree),
		cmocka_unit_test(test_not_counted_has_no_flows),
		cmocka_unit_test(test_postal_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
