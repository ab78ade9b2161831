/*
 * motcua-sign: sign a PDF (PAdES B-B, incremental update) or any file (detached CMS,
 * .p7s) with a key from a PKCS#12 file (or a PKCS#11 token, where OpenSSL has a
 * provider for it), or sign a dossier's result on a motcua server through its
 * remote-signing API with a key that never leaves this machine.
 *
 * The remote mode signs only what it can check: the server's "to_be_signed" must be
 * exactly the signed attributes this program would build itself for the digest the
 * server names, this certificate and that signing time (sig/pdfsign.h), so a server
 * cannot get an arbitrary message signed with the officer's key.
 *
 * Exit codes: 0 done; 1 usage; 2 a file or password problem; 3 the key, certificate or
 * document cannot be signed; 4 the server or the network said no.
 * Passwords are read from files or the environment, never from the command line,
 * and are never printed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/store.h>
#include <openssl/ui.h>
#include <openssl/x509.h>

#include "sig/pdfsign.h"
#include "tools/httpc.h"

enum { EX_OK = 0, EX_USAGE = 1, EX_INPUT = 2, EX_SIGN = 3, EX_REMOTE = 4 };

static const char usage_text[] =
    "usage:\n"
    "  motcua-sign pdf    KEY [--reason R] [--location L] [--name N] IN.pdf OUT.pdf\n"
    "  motcua-sign p7s    KEY IN OUT.p7s\n"
    "  motcua-sign remote KEY --url URL [--cafile CA.pem] --user U [--login-pass-file F]\n"
    "                     --dossier CODE\n"
    "KEY is one of\n"
    "  --p12 FILE [--pass-file F]          a PKCS#12 file; its password from F (first line)\n"
    "                                      or the environment variable MOTCUA_SIGN_PASS\n"
    "  --key pkcs11:URI --cert FILE        a key on a PKCS#11 token (needs OpenSSL's pkcs11\n"
    "                                      provider; the PIN as the password above)\n"
    "  [--chain FILE]                      more certificates (PEM) to put into the signature\n"
    "pdf     signs IN.pdf into OUT.pdf: PAdES B-B (ETSI.CAdES.detached, SHA-256) in an\n"
    "        incremental update; earlier signatures stay valid\n"
    "p7s     writes a detached CMS signature (DER) of IN, binary, to OUT.p7s\n"
    "remote  signs the current result of dossier CODE on the server at URL\n"
    "        (http://host:port or https://host; --cafile: the CAs its certificate must\n"
    "        chain to, instead of the system's): signs in as officer U (password from\n"
    "        --login-pass-file or MOTCUA_LOGIN_PASS), asks the server to prepare the\n"
    "        signature, checks that what it must sign is a document signature's signed\n"
    "        attributes, signs them here (the key never leaves this machine) and sends\n"
    "        the signature back; the server writes the reason and location; prints the\n"
    "        server's answer (JSON)\n"
    "exit codes: 0 done, 1 usage, 2 file or password, 3 signing, 4 server or network\n";

static void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("motcua-sign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

struct opts {
	const char *mode;
	const char *p12, *pass_file, *key_uri, *cert_file, *chain_file;
	const char *reason, *location, *name;
	const char *url, *cafile, *user, *login_pass_file, *dossier;
	const char *in, *out;
};

struct signer {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *chain;
};

/* ---------------------------------------------------------------- files */

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL, *nb;
	size_t cap = 0, n = 0, k;

	if (f == NULL)
		die(EX_INPUT, "cannot read %s: %s", path, strerror(errno));
	do {
		if (n == cap) {
			if (cap > (size_t)1 << 30)
				die(EX_INPUT, "%s is too large", path);
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(b, cap + 1)) == NULL)
				die(EX_INPUT, "out of memory");
			b = nb;
		}
		k = fread(b + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	if (ferror(f))
		die(EX_INPUT, "cannot read %s", path);
	fclose(f);
	b[n] = 0;
	*len = n;
	return b;
}

static void
write_file(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		die(EX_INPUT, "cannot write %s: %s", path, strerror(errno));
	if (fwrite(b, 1, n, f) != n || fclose(f) != 0)
		die(EX_INPUT, "cannot write %s", path);
}

/* A password: the first line of file, or the environment variable, or "". malloc'd. */
static char *
password(const char *file, const char *env)
{
	char *p;
	size_t n;

	if (file != NULL) {
		p = (char *)read_file(file, &n);
		p[strcspn(p, "\r\n")] = '\0';
		return p;
	}
	if (getenv(env) != NULL)
		return strdup(getenv(env));
	return strdup("");
}

static void
wipe(char *p)
{
	if (p != NULL) {
		OPENSSL_cleanse(p, strlen(p));
		free(p);
	}
}

/* ---------------------------------------------------------------- keys */

static void
add_chain_file(struct signer *s, const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	X509 *x;
	int n = 0;

	if (b == NULL)
		die(EX_INPUT, "cannot read %s", path);
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (sk_X509_push(s->chain, x) <= 0)
			die(EX_INPUT, "out of memory");
		n++;
	}
	ERR_clear_error();
	BIO_free(b);
	if (n == 0)
		die(EX_INPUT, "%s holds no PEM certificate", path);
}

static void
load_p12(struct signer *s, const char *path, const char *pass)
{
	unsigned char *der;
	const unsigned char *p;
	size_t n;
	PKCS12 *p12;
	STACK_OF(X509) *ca = NULL;
	int ok;

	der = read_file(path, &n);
	p = der;
	if ((p12 = d2i_PKCS12(NULL, &p, (long)n)) == NULL)
		die(EX_INPUT, "%s is not a PKCS#12 file", path);
	free(der);
	if (!PKCS12_verify_mac(p12, pass, -1))
		die(EX_INPUT, "wrong password for %s", path);
	ok = PKCS12_parse(p12, pass, &s->key, &s->cert, &ca);
	if (!ok) {
		/* older files (RC2, 3DES) need OpenSSL's legacy provider */
		ERR_clear_error();
		if (OSSL_PROVIDER_load(NULL, "legacy") != NULL && OSSL_PROVIDER_load(NULL, "default") != NULL)
			ok = PKCS12_parse(p12, pass, &s->key, &s->cert, &ca);
	}
	PKCS12_free(p12);
	if (!ok || s->key == NULL || s->cert == NULL)
		die(EX_INPUT, "cannot read the key and certificate in %s", path);
	for (int i = 0; ca != NULL && i < sk_X509_num(ca); i++)
		if (sk_X509_push(s->chain, sk_X509_value(ca, i)) <= 0)
			die(EX_INPUT, "out of memory");
	sk_X509_free(ca);
	ERR_clear_error();
}

static int
pin_reader(UI *ui, UI_STRING *uis)
{
	const char *pin = UI_get0_user_data(ui);

	if (UI_get_string_type(uis) == UIT_PROMPT || UI_get_string_type(uis) == UIT_VERIFY)
		return UI_set_result(ui, uis, pin) == 0 ? 1 : 0;
	return 1;
}

static void
load_pkcs11(struct signer *s, const char *uri, const char *cert_file, const char *pin)
{
	OSSL_STORE_CTX *st;
	UI_METHOD *um;
	BIO *b;

	if (OSSL_PROVIDER_try_load(NULL, "pkcs11", 1) == NULL) {
		ERR_clear_error();
		die(EX_SIGN, "PKCS#11 is not available in this build: OpenSSL has no pkcs11 "
		    "provider here (Debian 12 ships none); export the key and certificate to a "
		    "PKCS#12 file and use --p12, or use the server's remote signing");
	}
	if (cert_file == NULL)
		die(EX_USAGE, "--key needs --cert FILE (the signer's certificate, PEM)");
	if ((um = UI_create_method("motcua-sign")) == NULL || UI_method_set_reader(um, pin_reader) != 0)
		die(EX_SIGN, "out of memory");
	st = OSSL_STORE_open(uri, um, (void *)pin, NULL, NULL);
	if (st == NULL)
		die(EX_SIGN, "cannot open %s", uri);
	OSSL_STORE_expect(st, OSSL_STORE_INFO_PKEY);
	while (s->key == NULL && !OSSL_STORE_eof(st)) {
		OSSL_STORE_INFO *info = OSSL_STORE_load(st);

		if (info != NULL && OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
			s->key = OSSL_STORE_INFO_get1_PKEY(info);
		OSSL_STORE_INFO_free(info);
		if (info == NULL)
			break;
	}
	OSSL_STORE_close(st);
	UI_destroy_method(um);
	if (s->key == NULL)
		die(EX_SIGN, "no private key at %s (wrong PIN?)", uri);
	if ((b = BIO_new_file(cert_file, "r")) == NULL ||
	    (s->cert = PEM_read_bio_X509(b, NULL, NULL, NULL)) == NULL)
		die(EX_INPUT, "cannot read the certificate %s", cert_file);
	BIO_free(b);
	ERR_clear_error();
}

static void
load_signer(const struct opts *o, struct signer *s)
{
	char *pass = password(o->pass_file, "MOTCUA_SIGN_PASS");

	memset(s, 0, sizeof(*s));
	if ((s->chain = sk_X509_new_null()) == NULL)
		die(EX_INPUT, "out of memory");
	if (o->p12 != NULL && o->key_uri != NULL)
		die(EX_USAGE, "give --p12 or --key, not both");
	if (o->p12 != NULL)
		load_p12(s, o->p12, pass);
	else if (o->key_uri != NULL)
		load_pkcs11(s, o->key_uri, o->cert_file, pass);
	else
		die(EX_USAGE, "a key is needed: --p12 FILE or --key pkcs11:URI --cert FILE");
	wipe(pass);
	if (o->chain_file != NULL)
		add_chain_file(s, o->chain_file);
	if (X509_check_private_key(s->cert, s->key) != 1) {
		ERR_clear_error();
		die(EX_SIGN, "the private key does not match the certificate");
	}
}

static void
free_signer(struct signer *s)
{
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
}

/* ---------------------------------------------------------------- offline */

static int
cmd_pdf(const struct opts *o)
{
	struct pdfsign_options po = { 0 };
	struct signer s;
	unsigned char *in, *out = NULL;
	size_t n, on = 0;
	char cn[256] = "";
	int rc;

	if (o->in == NULL || o->out == NULL)
		die(EX_USAGE, "pdf needs IN.pdf and OUT.pdf");
	load_signer(o, &s);
	in = read_file(o->in, &n);
	X509_NAME_get_text_by_NID(X509_get_subject_name(s.cert), NID_commonName, cn, sizeof(cn));
	ERR_clear_error();
	po.reason = o->reason;
	po.location = o->location;
	po.signer_name = o->name != NULL ? o->name : cn[0] != '\0' ? cn : NULL;
	po.signing_time = (int64_t)time(NULL);
	rc = pdfsign_sign_pdf(in, n, &po, s.key, s.cert, s.chain, &out, &on);
	if (rc != 0)
		die(rc == PDFSIGN_E_PDF ? EX_INPUT : EX_SIGN, "cannot sign %s: %s", o->in,
		    pdfsign_strerror(rc));
	write_file(o->out, out, on);
	fprintf(stderr, "motcua-sign: signed %s as %s into %s\n", o->in, cn, o->out);
	free(in);
	free(out);
	free_signer(&s);
	return EX_OK;
}

static int
cmd_p7s(const struct opts *o)
{
	struct signer s;
	unsigned char *in, *out = NULL;
	size_t n, on = 0;
	int rc;

	if (o->in == NULL || o->out == NULL)
		die(EX_USAGE, "p7s needs IN and OUT.p7s");
	load_signer(o, &s);
	in = read_file(o->in, &n);
	rc = pdfsign_sign_detached(s.key, s.cert, s.chain, in, n, (int64_t)time(NULL), &out, &on);
	if (rc != 0)
		die(EX_SIGN, "cannot sign %s: %s", o->in, pdfsign_strerror(rc));
	write_file(o->out, out, on);
	free(in);
	free(out);
	free_signer(&s);
	return EX_OK;
}

/* ---------------------------------------------------------------- remote */

static char *
b64(const unsigned char *d, size_t n)
{
	char *o = malloc(4 * ((n + 2) / 3) + 1);

	if (o == NULL)
		die(EX_SIGN, "out of memory");
	EVP_EncodeBlock((unsigned char *)o, d, (int)n);
	return o;
}

static unsigned char *
unb64(const char *s, size_t *n)
{
	size_t len = strlen(s);
	unsigned char *o;
	int k;

	if (len == 0 || len % 4 != 0 || (o = malloc(len / 4 * 3 + 1)) == NULL)
		return NULL;
	if ((k = EVP_DecodeBlock(o, (const unsigned char *)s, (int)len)) < 0) {
		free(o);
		return NULL;
	}
	if (len >= 1 && s[len - 1] == '=')
		k--;
	if (len >= 2 && s[len - 2] == '=')
		k--;
	*n = (size_t)k;
	return o;
}

/* "YYYY-MM-DDTHH:MM:SS" with "Z" or "+HH:MM"/"-HH:MM" to UTC seconds; -1 if not that. */
static int
parse_iso(const char *s, int64_t *out)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, se, oh = 0, om = 0, k = 0;
	char sign = 'Z';

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &k) != 6 || k != 19)
		return -1;
	s += 19;
	if (*s == '+' || *s == '-') {
		sign = *s;
		if (sscanf(s + 1, "%2d:%2d", &oh, &om) != 2)
			return -1;
	} else if (*s != 'Z') {
		return -1;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = (int64_t)timegm(&tm) - (sign == '-' ? -1 : sign == '+' ? 1 : 0) * (oh * 3600 + om * 60);
	return 0;
}

static int
unhex32(const char *s, unsigned char out[32])
{
	if (s == NULL || strlen(s) != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		unsigned int v;

		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

static char *
cert_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *o;
	long n;

	if (b == NULL || PEM_write_bio_X509(b, x) != 1)
		die(EX_SIGN, "out of memory");
	n = BIO_get_mem_data(b, &p);
	if ((o = malloc((size_t)n + 1)) == NULL)
		die(EX_SIGN, "out of memory");
	memcpy(o, p, (size_t)n);
	o[n] = '\0';
	BIO_free(b);
	return o;
}

struct session {
	const char *url;
	const char *cafile;
	char cookie[300];
	char csrf[200];
};

/* One JSON call; the parsed answer (NULL if not JSON); *status set. */
static json_object *
call(struct session *ss, const char *path, json_object *body, int *status)
{
	struct httpc_res res;
	char err[300], cookie[340], csrf[240];
	const char *hdr[4];
	const char *text = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
	json_object *j;
	int h = 0;

	hdr[h++] = "Content-Type: application/json";
	if (ss->cookie[0] != '\0') {
		snprintf(cookie, sizeof(cookie), "Cookie: %s", ss->cookie);
		snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", ss->csrf);
		hdr[h++] = cookie;
		hdr[h++] = csrf;
	}
	hdr[h] = NULL;
	if (httpc_request(ss->url, ss->cafile, "POST", path, hdr, text, strlen(text), 60, &res, err,
	    sizeof(err)) != 0)
		die(EX_REMOTE, "%s", err);
	*status = res.status;
	j = json_tokener_parse(res.body);
	if (strcmp(path, "/api/v1/auth/login") == 0 && res.status == 200 &&
	    httpc_cookie(&res, "motcua_session", ss->cookie, sizeof(ss->cookie)) != 0)
		die(EX_REMOTE, "signing in: the server sent no session cookie");
	httpc_res_free(&res);
	return j;
}

static const char *
jstr(json_object *j, const char *key)
{
	json_object *v;

	if (j == NULL || !json_object_object_get_ex(j, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* A problem+json answer as one line. */
static void
die_problem(const char *what, int status, json_object *j)
{
	const char *code = jstr(j, "code"), *detail = jstr(j, "detail"), *title = jstr(j, "title");

	die(EX_REMOTE, "%s: HTTP %d%s%s%s%s", what, status, code ? " " : "", code ? code : "",
	    detail || title ? ": " : "", detail ? detail : title ? title : "");
}

static int
cmd_remote(const struct opts *o)
{
	struct session ss = { 0 };
	struct signer s;
	json_object *body, *ans, *chain;
	char *login_pass, *pem, *sig64, path[400], code[200];
	const char *session, *tbs, *digest_hex, *stime;
	unsigned char digest[32], *attrs, *mine = NULL, *sig = NULL;
	size_t alen, mlen = 0, slen = 0;
	int64_t t;
	int status;
	EVP_MD_CTX *ctx;

	if (o->url == NULL || o->user == NULL || o->dossier == NULL)
		die(EX_USAGE, "remote needs --url, --user and --dossier");
	if (o->in != NULL)
		die(EX_USAGE, "remote takes no file arguments");
	for (const char *c = o->dossier; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && *c != '.' && *c != '-' && *c != '_')
			die(EX_USAGE, "--dossier: not a dossier code: %s", o->dossier);
	if (strlen(o->dossier) >= sizeof(code))
		die(EX_USAGE, "--dossier: too long");
	snprintf(code, sizeof(code), "%s", o->dossier);
	load_signer(o, &s);
	ss.url = o->url;
	ss.cafile = o->cafile;
	if (o->reason != NULL || o->location != NULL || o->name != NULL)
		fprintf(stderr, "motcua-sign: note: the server writes the reason, location and name "
		    "of a remote signature; --reason, --location and --name are not sent\n");

	/* sign in */
	login_pass = password(o->login_pass_file, "MOTCUA_LOGIN_PASS");
	body = json_object_new_object();
	json_object_object_add(body, "username", json_object_new_string(o->user));
	json_object_object_add(body, "password", json_object_new_string(login_pass));
	wipe(login_pass);
	ans = call(&ss, "/api/v1/auth/login", body, &status);
	json_object_put(body);
	if (status != 200 || jstr(ans, "csrf_token") == NULL)
		die_problem("signing in", status, ans);
	snprintf(ss.csrf, sizeof(ss.csrf), "%s", jstr(ans, "csrf_token"));
	json_object_put(ans);

	/* prepare */
	body = json_object_new_object();
	pem = cert_pem(s.cert);
	json_object_object_add(body, "certificate", json_object_new_string(pem));
	free(pem);
	chain = json_object_new_array();
	for (int i = 0; i < sk_X509_num(s.chain); i++) {
		if (X509_cmp(sk_X509_value(s.chain, i), s.cert) == 0)
			continue;
		pem = cert_pem(sk_X509_value(s.chain, i));
		json_object_array_add(chain, json_object_new_string(pem));
		free(pem);
	}
	json_object_object_add(body, "chain", chain);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/result/sign/prepare", code);
	ans = call(&ss, path, body, &status);
	json_object_put(body);
	if (status != 200)
		die_problem("preparing the signature", status, ans);
	session = jstr(ans, "session");
	tbs = jstr(ans, "to_be_signed");
	digest_hex = jstr(ans, "digest");
	stime = jstr(ans, "signing_time");
	if (session == NULL || tbs == NULL || digest_hex == NULL || stime == NULL)
		die(EX_REMOTE, "preparing the signature: the answer lacks session, to_be_signed, digest or signing_time");
	if ((attrs = unb64(tbs, &alen)) == NULL || unhex32(digest_hex, digest) != 0 ||
	    parse_iso(stime, &t) != 0)
		die(EX_REMOTE, "preparing the signature: unreadable to_be_signed, digest or signing_time");
	/* sign only the attributes of a PDF signature of that digest, by this certificate */
	if (pdfsign_signed_attrs(digest, s.cert, t, &mine, &mlen) != 0 || mlen != alen ||
	    memcmp(mine, attrs, alen) != 0)
		die(EX_REMOTE, "the server asked to sign something other than the signed attributes "
		    "of a document signature: refused");
	free(mine);

	/* sign here */
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, s.key) != 1 ||
	    EVP_DigestSign(ctx, NULL, &slen, attrs, alen) != 1 || (sig = malloc(slen)) == NULL ||
	    EVP_DigestSign(ctx, sig, &slen, attrs, alen) != 1) {
		ERR_clear_error();
		die(EX_SIGN, "the key did not sign");
	}
	EVP_MD_CTX_free(ctx);
	sig64 = b64(sig, slen);

	/* complete */
	body = json_object_new_object();
	json_object_object_add(body, "session", json_object_new_string(session));
	json_object_object_add(body, "signature", json_object_new_string(sig64));
	json_object_put(ans);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/result/sign/complete", code);
	ans = call(&ss, path, body, &status);
	json_object_put(body);
	if (status != 200)
		die_problem("completing the signature", status, ans);
	puts(json_object_to_json_string_ext(ans, JSON_C_TO_STRING_PLAIN));
	fprintf(stderr, "motcua-sign: signed the result of %s\n", code);
	json_object_put(ans);
	free(sig64);
	free(sig);
	free(attrs);
	free_signer(&s);
	return EX_OK;
}

/* ---------------------------------------------------------------- main */

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	static const struct { const char *name; size_t off; } flags[] = {
		{ "--p12", offsetof(struct opts, p12) },
		{ "--pass-file", offsetof(struct opts, pass_file) },
		{ "--key", offsetof(struct opts, key_uri) },
		{ "--cert", offsetof(struct opts, cert_file) },
		{ "--chain", offsetof(struct opts, chain_file) },
		{ "--reason", offsetof(struct opts, reason) },
		{ "--location", offsetof(struct opts, location) },
		{ "--name", offsetof(struct opts, name) },
		{ "--url", offsetof(struct opts, url) },
		{ "--cafile", offsetof(struct opts, cafile) },
		{ "--user", offsetof(struct opts, user) },
		{ "--login-pass-file", offsetof(struct opts, login_pass_file) },
		{ "--dossier", offsetof(struct opts, dossier) },
	};

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	o.mode = argv[1];
	for (int i = 2; i < argc; i++) {
		size_t f, nf = sizeof(flags) / sizeof(flags[0]);

		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage_text, stdout);
			return EX_OK;
		}
		if (strncmp(argv[i], "--", 2) == 0) {
			for (f = 0; f < nf && strcmp(argv[i], flags[f].name) != 0; f++)
				;
			if (f == nf)
				die(EX_USAGE, "unknown option %s (see --help)", argv[i]);
			if (i + 1 >= argc)
				die(EX_USAGE, "%s needs a value", argv[i]);
			*(const char **)((char *)&o + flags[f].off) = argv[++i];
		} else if (o.in == NULL) {
			o.in = argv[i];
		} else if (o.out == NULL) {
			o.out = argv[i];
		} else {
			die(EX_USAGE, "too many arguments (see --help)");
		}
	}
	if (strcmp(o.mode, "pdf") == 0)
		return cmd_pdf(&o);
	if (strcmp(o.mode, "p7s") == 0)
		return cmd_p7s(&o);
	if (strcmp(o.mode, "remote") == 0)
		return cmd_remote(&o);
	die(EX_USAGE, "unknown mode %s: pdf, p7s or remote (see --help)", o.mode);
}
