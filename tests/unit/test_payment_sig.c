/*
 * Tests for domain/payment_sig: the canonical text of a gateway message and its
 * HMAC-SHA256. The expected signatures were computed independently with
 *   printf '%s' 'TEXT' | openssl dgst -sha256 -hmac 'SECRET'
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/payment_sig.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define SECRET "motcua-test-secret"

/* given out of order, with the signature itself and an empty value to leave out */
static const struct pay_param order_msg[] = {
	{ "vnp_TxnRef", "PAY-1" },
	{ "vnp_SecureHash", "ignored" },
	{ "vnp_OrderInfo", "Thanh toan ho so" },
	{ "vnp_BankCode", "" },
	{ "vnp_Amount", "5000000" },
};
#define ORDER_TEXT "vnp_Amount=5000000&vnp_OrderInfo=Thanh toan ho so&vnp_TxnRef=PAY-1"
#define ORDER_SIG "2a54050dc5230c35bad9bf9d11a208ea66e663dad3a2bfa38e1d25537c969cd8"

static void canonical_sorts_skips_and_joins(void **state)
{
	char out[256];
	(void)state;
	assert_int_equal(payment_sig_canonical(order_msg, NELEMS(order_msg), "vnp_SecureHash",
	                                       out, sizeof out), strlen(ORDER_TEXT));
	assert_string_equal(out, ORDER_TEXT);
}

static void canonical_refuses_bad_input(void **state)
{
	char out[256];
	const struct pay_param dup[] = { { "a", "1" }, { "b", "2" }, { "a", "3" } };
	const struct pay_param amp[] = { { "a&b", "1" } };
	const struct pay_param eq[] = { { "a=b", "1" } };
	const struct pay_param empty[] = { { "", "1" } };
	(void)state;
	assert_int_equal(payment_sig_canonical(dup, 3, NULL, out, sizeof out), -1);
	assert_int_equal(payment_sig_canonical(amp, 1, NULL, out, sizeof out), -1);
	assert_int_equal(payment_sig_canonical(eq, 1, NULL, out, sizeof out), -1);
	assert_int_equal(payment_sig_canonical(empty, 1, NULL, out, sizeof out), -1);
	/* one byte short of the text and its NUL */
	assert_int_equal(payment_sig_canonical(order_msg, NELEMS(order_msg), "vnp_SecureHash",
	                                       out, strlen(ORDER_TEXT)), -1);
	assert_int_equal(payment_sig_canonical(order_msg, NELEMS(order_msg), "vnp_SecureHash",
	                                       out, strlen(ORDER_TEXT) + 1), strlen(ORDER_TEXT));
}

static void sign_known_answers(void **state)
{
	char hex[PAY_SIG_HEX_LEN + 1];
	const struct pay_param utf8[] = { { "c", "Đăng ký" }, { "b", "2" }, { "a", "1" } };
	const struct pay_param none[] = { { "x", "" } };
	(void)state;
	assert_int_equal(payment_sig_sign(SECRET, strlen(SECRET), order_msg, NELEMS(order_msg),
	                                  "vnp_SecureHash", hex), 0);
	assert_string_equal(hex, ORDER_SIG);
	/* 'a=1&b=2&c=Đăng ký' keyed with 'k': values are signed as UTF-8 bytes, not escaped */
	assert_int_equal(payment_sig_sign("k", 1, utf8, 3, NULL, hex), 0);
	assert_string_equal(hex, "ed6f062cc4ff0ca9d5d04694c98c0cafa2fa12631b469efcf0ead9a008866432");
	/* nothing left to sign: the HMAC of the empty text */
	assert_int_equal(payment_sig_sign("k", 1, none, 1, NULL, hex), 0);
	assert_string_equal(hex, "8bb990c40a7d61cb97597a942125025be50ac8beb74436e3735b98893a7f6620");
}

static void verify_accepts_only_the_right_signature(void **state)
{
	char upper[] = ORDER_SIG, wrong[] = ORDER_SIG;
	struct pay_param changed[NELEMS(order_msg)];
	(void)state;
	for (char *s = upper; *s; s++)
		if (*s >= 'a' && *s <= 'f')
			*s = (char)(*s - 'a' + 'A');
	wrong[0] = wrong[0] == '0' ? '1' : '0';
	assert_true(payment_sig_verify(SECRET, strlen(SECRET), order_msg, NELEMS(order_msg),
	                               "vnp_SecureHash", ORDER_SIG));
	assert_true(payment_sig_verify(SECRET, strlen(SECRET), order_msg, NELEMS(order_msg),
	                               "vnp_SecureHash", upper));
	assert_false(payment_sig_verify(SECRET, strlen(SECRET), order_msg, NELEMS(order_msg),
	                                "vnp_SecureHash", wrong));
	assert_false(payment_sig_verify("other", 5, order_msg, NELEMS(order_msg),
	                                "vnp_SecureHash", ORDER_SIG));
	assert_false(payment_sig_verify(SECRET, strlen(SECRET), order_msg, NELEMS(order_msg),
	                                "vnp_SecureHash", "2a54"));
	assert_false(payment_sig_verify(SECRET, strlen(SECRET), order_msg, NELEMS(order_msg),
	                                "vnp_SecureHash", NULL));
	memcpy(changed, order_msg, sizeof changed);
	changed[4].value = "5000001";       /* the amount changed in transit */
	assert_false(payment_sig_verify(SECRET, strlen(SECRET), changed, NELEMS(changed),
	                                "vnp_SecureHash", ORDER_SIG));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_sorts_skips_and_joins),
		cmocka_unit_test(canonical_refuses_bad_input),
		cmocka_unit_test(sign_known_answers),
		cmocka_unit_test(verify_accepts_only_the_right_signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
