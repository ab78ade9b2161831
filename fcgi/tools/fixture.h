/*
 * Test fixtures: data sets whose statistics are known in advance, for the tests that
 * hold the reports to exact figures. Loaded by `motcua-admin load-fixture NAME` into a
 * test stack (never into the demo of `make run`).
 *
 * form06-seed: the district and communes that DOMAIN.md quotes, as new units under the
 * province (Huyện Hải Lăng 000.00.29.H45 and its four communes 000.2N.29.H45), their
 * officers (the demo password), and dossiers with hash-chained histories over the first
 * six months of 2025 such that Biểu số 06 for 2025-01-01..2025-06-30 gives exactly:
 *   the district's own dossiers: 826 to resolve; 764 resolved before or on time, 7 late;
 *     54 in process within the deadline, 1 overdue;
 *   its communes together:      4,231; 3,831 before or on time, 29 late; 370 within, 1 overdue.
 * Inside those numbers every classification rule is exercised: dossiers carried over
 * from December 2024, finishes the day before, the day of and days after the due date,
 * withdrawn ones (on time), pauses moving the due date, dossiers paused at the period's
 * end (within; and one paused after its due date: overdue), online, direct and postal
 * receptions. Left out of them and present: refused and not accepted dossiers, online
 * submissions still waiting at the period's end, dossiers received and finished before
 * the period and dossiers received after it. Every fixture dossier is finished by now
 * except the paused overdue one of the district.
 */
#ifndef MOTCUA_TOOLS_FIXTURE_H
#define MOTCUA_TOOLS_FIXTURE_H

struct db;

#define FIXTURE_FORM06_DISTRICT "000.00.29.H45"

/*
 * Loads the fixture `name` in one transaction. Returns 0 loaded, 1 already loaded
 * (nothing done), 2 unknown name, -1 error (message on stderr, nothing left behind).
 */
int fixture_load(struct db *db, const char *name);

#endif
