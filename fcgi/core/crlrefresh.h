/*
 * CRL refresh (sql/014_crl_sources.sql): fetch a source (core/httpget.h), check that
 * the CRL parses and is signed by a trusted CA or by the source's intermediate
 * (sig_check_crl), store it in place of the older CRL of its issuer
 * (trust_crl_replace: trust_generation is bumped when it changed), and record the
 * outcome on the source. Run by motcua-worker every MOTCUA_CRL_REFRESH_MINUTES and by
 * POST /api/v1/trust/crl-sources/{id}/refresh.
 */
#ifndef MOTCUA_CORE_CRLREFRESH_H
#define MOTCUA_CORE_CRLREFRESH_H

#include <stddef.h>

struct db;

#define CRL_FETCH_MAX (10u * 1024 * 1024)
#define CRL_FETCH_TIMEOUT 30       /* seconds, the whole fetch */

struct crl_refresh_outcome {
	int ok;                         /* stored, or the same or a newer one already was */
	int changed;                    /* a new CRL was stored */
	long long crl_id;
	char error[256];                /* English, when !ok */
};

struct sig_verifier;
/*
 * A verifier of the current trust list: every active CA and every stored CRL
 * (trust_load). 0 with *out (sig_verifier_free) and the counts; -1 on a database error
 * or out of memory; -2 when a stored certificate or CRL does not parse.
 */
int trust_verifier_build(struct db *db, struct sig_verifier **out, size_t *ncas, size_t *ncrls);

/* One source. 0 (see out->ok), 1 no such active source, <0 a database error. */
int crl_refresh_source(struct db *db, long long id, struct crl_refresh_outcome *out);

/* Every active source not attempted for `minutes`. 0, or <0 a database error. */
int crl_refresh_due(struct db *db, int minutes, unsigned *ok, unsigned *failed);

#endif
