/* Statistics classification: see stats.h for the rules. */
#include <string.h>

#include "domain/stats.h"

const char *const stats_cell_names[SC__MAX] = {
	[SC_CARRIED_OVER] = "carried_over", [SC_ONLINE] = "online", [SC_DIRECT_POSTAL] = "direct_postal",
	[SC_BEFORE] = "before", [SC_ON_TIME] = "on_time", [SC_LATE] = "late",
	[SC_WITHIN] = "within", [SC_OVERDUE] = "overdue",
};

static int is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

void stats_classify(const struct stats_dossier *d, struct stats_facts *out)
{
	int32_t due_day;

	memset(out, 0, sizeof *out);
	out->fin_day = STATS_NEVER;
	out->overdue_day = STATS_NEVER;
	if (d->received_at == 0 || is(d->state, "refused") || is(d->state, "submitted") ||
	    is(d->state, "not_accepted"))
		return;
	out->counted = 1;
	out->online = is(d->channel, "online");
	out->postal = is(d->channel, "postal");
	out->recv_day = (int32_t)local_day_number(d->received_at);
	due_day = d->due_at ? (int32_t)local_day_number(d->due_at) : STATS_NEVER;
	if ((is(d->state, "resolved") || is(d->state, "returned") || is(d->state, "withdrawn")) &&
	    d->finished_at) {
		out->fin_day = (int32_t)local_day_number(d->finished_at);
		if (out->fin_day < out->recv_day)       /* a corrected reception after the finish */
			out->fin_day = out->recv_day;
		if (is(d->state, "withdrawn"))
			out->finish = STATS_FIN_ON_TIME;
		else if (out->fin_day < due_day)
			out->finish = STATS_FIN_BEFORE;
		else if (out->fin_day == due_day)
			out->finish = STATS_FIN_ON_TIME;
		else
			out->finish = STATS_FIN_LATE;
	}
	if (due_day == STATS_NEVER)
		return;
	/* Overdue from the day after the due day; a dossier paused while still within its
	 * deadline stays within until it resumes (its due date moves then). */
	if (d->pause_from && out->fin_day == STATS_NEVER && due_day >= (int32_t)local_day_number(d->pause_from))
		return;
	out->overdue_day = due_day + 1;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

unsigned stats_cells(const struct stats_facts *f, int32_t from, int32_t to, int32_t today)
{
	unsigned m = 0;
	int32_t asof = min32(to, today);

	if (!f->counted || from > to)
		return 0;
	if (f->recv_day < from && f->fin_day >= from)
		m |= 1u << SC_CARRIED_OVER;
	if (f->recv_day >= from && f->recv_day <= to)
		m |= 1u << (f->online ? SC_ONLINE : SC_DIRECT_POSTAL);
	if (f->fin_day >= from && f->fin_day <= to && f->fin_day != STATS_NEVER)
		m |= 1u << (f->finish == STATS_FIN_BEFORE ? SC_BEFORE
		            : f->finish == STATS_FIN_LATE ? SC_LATE : SC_ON_TIME);
	if (f->recv_day <= to && f->fin_day > to)
		m |= 1u << (max32(f->recv_day, f->overdue_day) <= asof && f->overdue_day != STATS_NEVER
		            ? SC_OVERDUE : SC_WITHIN);
	return m;
}

int stats_flows(const struct stats_facts *f, struct stats_flow out[STATS_FLOWS_MAX])
{
	int n = 0;
	int32_t ov;

	if (!f->counted)
		return 0;
	out[n++] = (struct stats_flow){ f->recv_day, f->online ? SF_REC_ONLINE : SF_REC_DIRECT_POSTAL, 1 };
	if (f->postal && !f->online)
		out[n++] = (struct stats_flow){ f->recv_day, SF_REC_POSTAL, 1 };
	out[n++] = (struct stats_flow){ f->recv_day, SF_OPEN, 1 };
	if (f->fin_day != STATS_NEVER) {
		out[n++] = (struct stats_flow){ f->fin_day, f->finish == STATS_FIN_BEFORE ? SF_FIN_BEFORE
		                                 : f->finish == STATS_FIN_LATE ? SF_FIN_LATE : SF_FIN_ON_TIME, 1 };
		out[n++] = (struct stats_flow){ f->fin_day, SF_OPEN, -1 };
	}
	if (f->overdue_day != STATS_NEVER) {
		ov = max32(f->recv_day, f->overdue_day);
		if (ov < f->fin_day) {
			out[n++] = (struct stats_flow){ ov, SF_OVERDUE, 1 };
			if (f->fin_day != STATS_NEVER)
				out[n++] = (struct stats_flow){ f->fin_day, SF_OVERDUE, -1 };
		}
	}
	return n;
}

void stats_cells_from_sums(const long long flow[SF__MAX], long long open_before,
                           long long open_end, long long overdue_end, long long out[SC__MAX])
{
	out[SC_CARRIED_OVER] = open_before;
	out[SC_ONLINE] = flow[SF_REC_ONLINE];
	out[SC_DIRECT_POSTAL] = flow[SF_REC_DIRECT_POSTAL];
	out[SC_BEFORE] = flow[SF_FIN_BEFORE];
	out[SC_ON_TIME] = flow[SF_FIN_ON_TIME];
	out[SC_LATE] = flow[SF_FIN_LATE];
	out[SC_OVERDUE] = overdue_end;
	out[SC_WITHIN] = open_end - overdue_end;
}
