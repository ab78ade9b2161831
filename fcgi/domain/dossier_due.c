#include <stdlib.h>

#include "dossier_due.h"

enum cal_err dossier_due_at(const struct calendar *cal, mc_time received, int64_t amount,
    enum cal_time_unit unit, int restart_on_supplement, const struct dossier_pause *pauses,
    size_t npauses, mc_time *due)
{
	struct cal_pause *p = NULL;
	mc_time base = received, prev;
	size_t i, n = 0;
	enum cal_err err;

	if (npauses > 0 && pauses == NULL)
		return CAL_ERR_INVALID;
	if (restart_on_supplement)
		for (i = 0; i < npauses; i++)
			if (pauses[i].supplement && pauses[i].to != 0 && pauses[i].to > base)
				base = pauses[i].to;
	if (npauses > 0 && (p = calloc(npauses, sizeof *p)) == NULL)
		return CAL_ERR_NOMEM;
	prev = base;
	for (i = 0; i < npauses; i++) {
		mc_time from = pauses[i].from, to = pauses[i].to;

		if (to == 0)
			continue;
		if (from < prev)
			from = prev;
		if (to <= from)
			continue;
		p[n].from = from;
		p[n].to = to;
		prev = to;
		n++;
	}
	err = calendar_recompute_due(cal, base, amount, unit, p, n, due, NULL);
	free(p);
	return err;
}
