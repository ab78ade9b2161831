/*
 * The dossier generator: realistic demo and benchmark data (dossiers, their documents,
 * their hash-chained history and the code counters) made from the units and the
 * published procedures already in the database.
 *
 * What it makes, over the `months` months before time(NULL):
 * - volume per receiving unit (communes, districts, and the province for province-level
 *   procedures) per month, with the online share of each unit growing steadily month by
 *   month (exact cumulative counts, so a month never spikes), postal a few per cent;
 * - receptions inside working sessions of the working calendar (the database's, else
 *   Vietnam's holidays seeded), due dates computed by the calendar from the procedure's time, pauses
 *   (supplement, payment, suspension) moving them; most finished early or on time, a few
 *   late with an apology, some still open, overdue, paused, withdrawn, refused; online
 *   submissions not yet accepted or not accepted;
 * - codes {unit code}-{YYMMDD}-{NNNN} numbered from 1 per unit and local day in the order
 *   of arrival (online: submission; otherwise reception), and dossier_code_counters rows
 *   equal to the highest number of each day;
 * - events chained with history_event_hash() from 32 zero bytes, following the workflow
 *   of the service (domain/workflow.c) action by action;
 * - with the workflow tables (sql/003): pauses, supplement requests, apology letters and
 *   the dossier columns that go with them; officers of the officers table as actors.
 * The output depends only on the seed, the database's units, procedures, officers and
 * calendar, and the current time. It is loaded with LOAD DATA LOCAL INFILE (the db must
 * be opened with db_config.local_infile = 1; a second connection with the same settings
 * loads the events), committed at the end: all or nothing. Then the statistics are
 * rebuilt in one pass (store/stats_store.h), as row-by-row recounting of a bulk load
 * would take the worker minutes.
 */
#ifndef MOTCUA_TOOLS_GENERATE_H
#define MOTCUA_TOOLS_GENERATE_H

struct db;

struct gen_options {
	long count;                 /* dossiers to make, 0..100,000,000 (0: nothing to do) */
	int months;                 /* history length, 1..240 */
	unsigned seed;
	const char *demo_out_path;  /* may be NULL: TSV "code pin state channel" of demo dossiers */
	int quiet;                  /* no progress on stderr */
	int append;                 /* 1: add to existing dossiers (benchmarks); 0: refuse if any */
};

/*
 * Makes o->count dossiers. Returns 0, or -1 with a message on stderr (nothing is left in
 * the database then). Temporary files go to $TMPDIR (default /tmp) and are removed.
 * The plain PINs exist only in memory and in demo_out_path.
 */
int generate_dossiers(struct db *db, const struct gen_options *o);

#endif
