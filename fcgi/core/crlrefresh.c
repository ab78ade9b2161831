/* CRL refresh: core/crlrefresh.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/crlrefresh.h"
#include "core/db.h"
#include "core/httpget.h"
#include "core/log.h"
#include "domain/timeutil.h"
#include "sig/sigverify.h"
#include "store/trust_store.h"

struct blobs {
	struct sig_blob *b[2];
	size_t n[2], cap[2];
	int failed;
};

static int collect(int kind, const unsigned char *der, size_t len, void *arg)
{
	struct blobs *bl = arg;
	unsigned char *copy;

	if (bl->n[kind] == bl->cap[kind]) {
		size_t cap = bl->cap[kind] ? 2 * bl->cap[kind] : 8;
		struct sig_blob *nb = realloc(bl->b[kind], cap * sizeof *nb);
		if (!nb) {
			bl->failed = 1;
			return 1;
		}
		bl->b[kind] = nb;
		bl->cap[kind] = cap;
	}
	if ((copy = malloc(len ? len : 1)) == NULL) {
		bl->failed = 1;
		return 1;
	}
	memcpy(copy, der, len);
	bl->b[kind][bl->n[kind]++] = (struct sig_blob){ copy, len };
	return 0;
}

static void blobs_free(struct blobs *bl)
{
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < bl->n[k]; i++)
			free((void *)bl->b[k][i].data);
		free(bl->b[k]);
	}
}

int trust_verifier_build(struct db *db, struct sig_verifier **out, size_t *ncas, size_t *ncrls)
{
	struct blobs bl;
	int rc = 0;

	*out = NULL;
	memset(&bl, 0, sizeof bl);
	if (trust_load(db, collect, &bl) != 0 || bl.failed)
		rc = -1;
	else if (sig_verifier_new(bl.b[0], bl.n[0], bl.b[1], bl.n[1], out) != 0)
		rc = -2;
	*ncas = bl.n[0];
	*ncrls = bl.n[1];
	blobs_free(&bl);
	return rc;
}

/* The CRL is stored as DER, as POST /api/v1/trust/crls stores it. 0, or -1. */
static int pem_to_der(unsigned char **body, size_t *len)
{
	BIO *b;
	X509_CRL *crl = NULL;
	unsigned char *der = NULL, *copy;
	int n = -1;

	ERR_set_mark();
	if ((b = BIO_new_mem_buf(*body, (int)*len)) != NULL)
		crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
	if (crl)
		n = i2d_X509_CRL(crl, &der);
	BIO_free(b);
	X509_CRL_free(crl);
	ERR_pop_to_mark();
	if (n <= 0 || (copy = malloc((size_t)n)) == NULL) {
		OPENSSL_free(der);
		return -1;
	}
	memcpy(copy, der, (size_t)n);
	OPENSSL_free(der);
	free(*body);
	*body = copy;
	*len = (size_t)n;
	return 0;
}

struct source {
	long long id, ca_id;
	char url[1025];
	unsigned char *issuer;
	size_t issuer_len;
};

static int source_row(const struct trust_crl_source_row *s, void *arg)
{
	struct source *o = arg;

	o->id = s->id;
	o->ca_id = s->ca_id;
	snprintf(o->url, sizeof o->url, "%s", s->url);
	if (s->active && s->issuer_len && (o->issuer = malloc(s->issuer_len)) != NULL) {
		memcpy(o->issuer, s->issuer_der, s->issuer_len);
		o->issuer_len = s->issuer_len;
	}
	if (!s->active)
		o->id = 0;
	return 0;
}

int crl_refresh_source(struct db *db, long long id, struct crl_refresh_outcome *out)
{
	struct source src;
	struct sig_verifier *v = NULL;
	size_t ncas = 0, ncrls = 0;
	struct sig_crl_info info;
	unsigned char *body = NULL;
	size_t len = 0;
	char this_up[20] = "", next_up[20] = "";
	int rc;

	memset(out, 0, sizeof *out);
	memset(&src, 0, sizeof src);
	if ((rc = trust_crl_source_get(db, id, source_row, &src)) != 0)
		return rc;
	if (src.id == 0)
		return 1;
	if (httpget(src.url, CRL_FETCH_MAX, CRL_FETCH_TIMEOUT, &body, &len, out->error, sizeof out->error) != 0)
		goto record;
	if ((rc = trust_verifier_build(db, &v, &ncas, &ncrls)) == -1)
		goto done;
	if (rc != 0 || sig_check_crl(v, body, len, src.issuer, src.issuer_len, (mc_time)time(NULL), &info) != 0) {
		snprintf(out->error, sizeof out->error, "out of memory checking the CRL");
		goto record;
	}
	if (info.result == SIG_CRL_MALFORMED) {
		snprintf(out->error, sizeof out->error, "not a CRL: %.160s", info.detail);
		goto record;
	}
	if (info.result != SIG_CRL_OK) {
		snprintf(out->error, sizeof out->error, "%.150s (issuer %.90s)", info.detail, info.issuer);
		goto record;
	}
	if (len > 10 && memcmp(body, "-----BEGIN", 10) == 0 && pem_to_der(&body, &len) != 0) {
		snprintf(out->error, sizeof out->error, "the PEM CRL cannot be converted to DER");
		goto record;
	}
	time_format_db(info.this_update, this_up, sizeof this_up);
	next_up[0] = '\0';
	if (info.has_next_update)
		time_format_db(info.next_update, next_up, sizeof next_up);
	if ((rc = trust_crl_replace(db, src.ca_id, body, len, this_up, next_up, info.issuer_hash_hex,
	                            &out->crl_id, &out->changed)) != 0)
		goto done;
	out->ok = 1;
	log_info("crl source %lld: %s from %s (%d revoked, thisUpdate %s)", id,
	         out->changed ? "new CRL stored" : "no newer CRL", src.url, info.revoked_count, this_up);
record:
	if (!out->ok)
		log_error("crl source %lld (%s): %s", id, src.url, out->error);
	rc = trust_crl_source_result(db, id, out->ok ? NULL : out->error, out->crl_id,
	                             out->ok ? info.issuer : NULL, this_up, next_up,
	                             out->ok ? info.revoked_count : 0);
done:
	sig_verifier_free(v);
	free(body);
	free(src.issuer);
	return rc;
}

struct ids {
	long long v[256];
	size_t n;
};

static int id_row(const struct trust_crl_source_row *s, void *arg)
{
	struct ids *ids = arg;
	if (ids->n < sizeof ids->v / sizeof ids->v[0])
		ids->v[ids->n++] = s->id;
	return 0;
}

int crl_refresh_due(struct db *db, int minutes, unsigned *ok, unsigned *failed)
{
	struct ids ids;
	int rc;

	*ok = *failed = 0;
	ids.n = 0;
	if ((rc = trust_crl_source_due(db, minutes, id_row, &ids)) != 0)
		return rc;
	for (size_t i = 0; i < ids.n; i++) {
		struct crl_refresh_outcome out;
		if ((rc = crl_refresh_source(db, ids.v[i], &out)) < 0)
			return rc;
		if (rc == 0 && out.ok)
			(*ok)++;
		else if (rc == 0)
			(*failed)++;
	}
	return 0;
}
