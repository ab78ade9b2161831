/*
 * sigbench: the signature-verification benchmark of bench/sig.sh.
 *
 *   sigbench sign BASE.pdf DIR NAME OUT.pdf
 *       signs BASE (a fixture of tests/sig/make-fixtures.sh: objects 1..6) with DIR/NAME.key
 *       and DIR/NAME.pem (chain DIR/inter.pem) as an incremental update, adbe.pkcs7.detached
 *       with a signing time, the way tests/unit/test_sigverify.c does; writes OUT.
 *   sigbench verify CA.pem CRL FILE.pdf SECONDS
 *       in-process: one verifier (the CA, the CRL: DER or PEM, "-" for none), then
 *       sig_verify_pdf on FILE in one thread for SECONDS of CPU time; every report
 *       must be "valid". Prints "inprocess <verifications per CPU second> <runs>".
 *   sigbench fcgi SOCKET FILE.pdf SECONDS CONNECTIONS
 *       the service itself: POST /api/v1/signatures/verify (multipart, FILE as `file`)
 *       straight to motcua-fcgi's FastCGI socket from CONNECTIONS threads, one
 *       connection per request as nginx makes them, for SECONDS. Not through nginx: its
 *       per-address limit on this endpoint (120 a minute) would be measured instead.
 *       Prints "fcgi <requests per second> <requests> <non-200 or not valid> <p50 ms> <p99 ms>".
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sig/sigverify.h"
#include "../tests/sig/pdfbuild.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (b = malloc((size_t)n + 1)) == NULL || fread(b, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "sigbench: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static X509 *read_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	if (!x) {
		fprintf(stderr, "sigbench: cannot read the certificate %s\n", path);
		exit(2);
	}
	return x;
}

static int sign(const char *base, const char *dir, const char *name, const char *out)
{
	char path[1024];
	struct pdfb b;
	STACK_OF(X509) *chain = sk_X509_new_null();
	X509 *cert;
	EVP_PKEY *key;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	ASN1_TIME *t;
	BIO *bio;
	FILE *f;
	uint8_t *in, *der = NULL, *content;
	size_t n, clen;
	int dlen;
	const unsigned fl = CMS_BINARY | CMS_DETACHED | CMS_PARTIAL;

	snprintf(path, sizeof path, "%s/%s.key", dir, name);
	if ((f = fopen(path, "r")) == NULL || (key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL) {
		fprintf(stderr, "sigbench: cannot read %s\n", path);
		return 2;
	}
	fclose(f);
	snprintf(path, sizeof path, "%s/%s.pem", dir, name);
	cert = read_cert(path);
	snprintf(path, sizeof path, "%s/inter.pem", dir);
	sk_X509_push(chain, read_cert(path));
	in = slurp(base, &n);
	pb_init(&b, in, n, pb_startxref(in, n));
	b.min_size = 9;
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] /SigFlags 3 >> >>");
	pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
	    "/Resources << /Font << /F1 5 0 R >> >> /Annots [7 0 R] >>");
	pb_obj(&b, 7, "<< /FT /Sig /T (Motcua) /V 8 0 R /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R >>");
	pb_sig(&b, 8, "adbe.pkcs7.detached", "D:20250101000000+07'00'", 8192);
	pb_xref(&b, "/Root 1 0 R /Info 6 0 R");
	pb_fix_byterange(&b);
	clen = b.contents_off + (b.n - b.contents_end);
	content = malloc(clen);
	memcpy(content, b.s, b.contents_off);
	memcpy(content + b.contents_off, b.s + b.contents_end, b.n - b.contents_end);
	bio = BIO_new_mem_buf(content, (int)clen);
	if ((cms = CMS_sign(NULL, NULL, chain, NULL, fl)) == NULL ||
	    (si = CMS_add1_signer(cms, cert, key, EVP_sha256(), fl)) == NULL) {
		fprintf(stderr, "sigbench: CMS_sign failed\n");
		return 1;
	}
	t = ASN1_TIME_set(NULL, time(NULL) - 60);
	CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type, t, -1);
	ASN1_TIME_free(t);
	if (!CMS_final(cms, bio, NULL, CMS_BINARY | CMS_DETACHED) ||
	    (dlen = i2d_CMS_ContentInfo(cms, &der)) <= 0 || pb_put_contents(&b, der, (size_t)dlen) != 0) {
		fprintf(stderr, "sigbench: the signature does not fit\n");
		return 1;
	}
	if ((f = fopen(out, "wb")) == NULL || fwrite(b.s, 1, b.n, f) != b.n || fclose(f) != 0) {
		fprintf(stderr, "sigbench: cannot write %s\n", out);
		return 2;
	}
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(bio);
	free(content);
	free(in);
	free(b.s);
	return 0;
}

static double seconds(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int in_process(const char *ca, const char *crl, const char *file, double secs)
{
	struct sig_blob cas[1], crls[1];
	struct sig_verifier *v;
	struct sig_report *r;
	size_t n;
	unsigned char *pdf = slurp(file, &n);
	double c0, cpu;
	long runs = 0;

	cas[0].data = slurp(ca, &cas[0].len);
	if (strcmp(crl, "-") != 0)
		crls[0].data = slurp(crl, &crls[0].len);
	if (sig_verifier_new(cas, 1, crls, strcmp(crl, "-") != 0, &v) != 0) {
		fprintf(stderr, "sigbench: the verifier cannot be built\n");
		return 1;
	}
	c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
	do {
		if (sig_verify_pdf(v, pdf, n, (mc_time)time(NULL), &r) != 0 || r->verdict != SIG_VALID) {
			fprintf(stderr, "sigbench: %s is not judged valid (%s)\n", file,
			        r ? sig_verdict_name(r->verdict) : "out of memory");
			return 1;
		}
		sig_report_free(r);
		runs++;
		cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
	} while (cpu < secs);
	printf("inprocess %.0f %ld\n", runs / cpu, runs);
	sig_verifier_free(v);
	return 0;
}

/* ---------------------------------------------------------------- FastCGI load */

static const char *sock_path;
static unsigned char *req;          /* the whole FastCGI request, built once */
static size_t req_len;
static double deadline;

struct worker {
	pthread_t t;
	long ok, bad;
	double *lat;
	size_t nlat, caplat;
};

static void put_rec(unsigned char **p, int type, const unsigned char *data, size_t len)
{
	unsigned char *h = *p;
	h[0] = 1;
	h[1] = (unsigned char)type;
	h[2] = 0;
	h[3] = 1;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = 0;
	h[7] = 0;
	memcpy(h + 8, data, len);
	*p = h + 8 + len;
}

static size_t put_pair(unsigned char *o, const char *k, const char *v)
{
	size_t kl = strlen(k), vl = strlen(v), n = 0;
	o[n++] = (unsigned char)kl;         /* names and values here are < 128 bytes */
	o[n++] = (unsigned char)vl;
	memcpy(o + n, k, kl);
	memcpy(o + n + kl, v, vl);
	return n + kl + vl;
}

static void build_request(const unsigned char *pdf, size_t n)
{
	static const char boundary[] = "----motcua-sigbench-7d1e";
	char head[256], tail[64], clen[32], ctype[128];
	unsigned char params[2048], begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 }, *p;
	size_t hl, tl, body_len, pl = 0, off;
	unsigned char *body;

	hl = (size_t)snprintf(head, sizeof head, "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
	                      "filename=\"bench.pdf\"\r\nContent-Type: application/pdf\r\n\r\n", boundary);
	tl = (size_t)snprintf(tail, sizeof tail, "\r\n--%s--\r\n", boundary);
	body_len = hl + n + tl;
	body = malloc(body_len);
	memcpy(body, head, hl);
	memcpy(body + hl, pdf, n);
	memcpy(body + hl + n, tail, tl);
	snprintf(clen, sizeof clen, "%zu", body_len);
	snprintf(ctype, sizeof ctype, "multipart/form-data; boundary=%s", boundary);
	pl += put_pair(params + pl, "REQUEST_METHOD", "POST");
	pl += put_pair(params + pl, "REQUEST_URI", "/api/v1/signatures/verify");
	pl += put_pair(params + pl, "DOCUMENT_URI", "/api/v1/signatures/verify");
	pl += put_pair(params + pl, "SCRIPT_NAME", "/api/v1/signatures/verify");
	pl += put_pair(params + pl, "QUERY_STRING", "");
	pl += put_pair(params + pl, "CONTENT_TYPE", ctype);
	pl += put_pair(params + pl, "CONTENT_LENGTH", clen);
	pl += put_pair(params + pl, "REMOTE_ADDR", "127.0.0.1");
	pl += put_pair(params + pl, "SERVER_PROTOCOL", "HTTP/1.1");
	pl += put_pair(params + pl, "REQUEST_ID", "sigbench");
	req = malloc(64 + pl + body_len + (body_len / 65535 + 2) * 8 + 64);
	p = req;
	put_rec(&p, 1, begin, 8);
	put_rec(&p, 4, params, pl);
	put_rec(&p, 4, NULL, 0);
	for (off = 0; off < body_len; off += 65535) {
		size_t c = body_len - off < 65535 ? body_len - off : 65535;
		put_rec(&p, 5, body + off, c);
	}
	put_rec(&p, 5, NULL, 0);
	req_len = (size_t)(p - req);
	free(body);
}

/* One request: 1 a 200 with a valid verdict, 0 anything else, -1 a transport error. */
static int one(void)
{
	struct sockaddr_un sa;
	unsigned char buf[65536], hdr[8];
	char out[8192];
	size_t outl = 0, off = 0;
	int fd, ended = 0;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	while (off < req_len) {
		ssize_t w = write(fd, req + off, req_len - off);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	while (!ended) {
		size_t got = 0, clen, need;
		while (got < 8) {
			ssize_t r = read(fd, hdr + got, 8 - got);
			if (r <= 0) {
				close(fd);
				return -1;
			}
			got += (size_t)r;
		}
		clen = ((size_t)hdr[4] << 8) | hdr[5];
		need = clen + hdr[6];
		got = 0;
		while (got < need) {
			ssize_t r = read(fd, buf + got, need - got);
			if (r <= 0) {
				close(fd);
				return -1;
			}
			got += (size_t)r;
		}
		if (hdr[1] == 6 && outl < sizeof out - 1) {      /* STDOUT: keep the beginning */
			size_t c = clen < sizeof out - 1 - outl ? clen : sizeof out - 1 - outl;
			memcpy(out + outl, buf, c);
			outl += c;
		} else if (hdr[1] == 3) {
			ended = 1;
		}
	}
	close(fd);
	out[outl] = '\0';
	return strncmp(out, "Status: 200", 11) == 0 && strstr(out, "\"verdict\":\"valid\"") != NULL;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	double t0;

	while ((t0 = seconds(CLOCK_MONOTONIC)) < deadline) {
		int rc = one();
		double dt = seconds(CLOCK_MONOTONIC) - t0;
		if (rc == 1)
			w->ok++;
		else
			w->bad++;
		if (w->nlat == w->caplat) {
			w->caplat = w->caplat ? 2 * w->caplat : 4096;
			w->lat = realloc(w->lat, w->caplat * sizeof *w->lat);
		}
		w->lat[w->nlat++] = dt * 1000;
		if (rc < 0)
			usleep(1000);
	}
	return NULL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int fcgi_load(const char *sock, const char *file, double secs, int conns)
{
	size_t n, nl = 0;
	unsigned char *pdf = slurp(file, &n);
	struct worker *w = calloc((size_t)conns, sizeof *w);
	double *all, t0, el;
	long ok = 0, bad = 0;

	sock_path = sock;
	build_request(pdf, n);
	if (one() != 1) {
		fprintf(stderr, "sigbench: the service did not answer a valid report on %s\n", sock);
		return 1;
	}
	t0 = seconds(CLOCK_MONOTONIC);
	deadline = t0 + secs;
	for (int i = 0; i < conns; i++)
		pthread_create(&w[i].t, NULL, run, &w[i]);
	for (int i = 0; i < conns; i++) {
		pthread_join(w[i].t, NULL);
		ok += w[i].ok;
		bad += w[i].bad;
		nl += w[i].nlat;
	}
	el = seconds(CLOCK_MONOTONIC) - t0;
	all = malloc((nl ? nl : 1) * sizeof *all);
	nl = 0;
	for (int i = 0; i < conns; i++) {
		memcpy(all + nl, w[i].lat, w[i].nlat * sizeof *all);
		nl += w[i].nlat;
	}
	qsort(all, nl, sizeof *all, cmp_d);
	printf("fcgi %.0f %ld %ld %.2f %.2f\n", ok / el, ok + bad, bad, nl ? all[nl / 2] : 0,
	       nl ? all[(size_t)(nl * 0.99)] : 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "sign") == 0)
		return sign(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 6 && strcmp(argv[1], "verify") == 0)
		return in_process(argv[2], argv[3], argv[4], atof(argv[5]));
	if (argc == 6 && strcmp(argv[1], "fcgi") == 0)
		return fcgi_load(argv[2], argv[3], atof(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: sigbench sign BASE.pdf DIR NAME OUT.pdf\n"
	                "       sigbench verify CA.pem CRL|- FILE.pdf SECONDS\n"
	                "       sigbench fcgi SOCKET FILE.pdf SECONDS CONNECTIONS\n");
	return 2;
}
