/*
 * Tests for domain/history: the hash chain of dossier events.
 *
 * The known answers were computed outside this code, e.g. for the first event:
 *   { head -c 32 /dev/zero; printf '000.00.20.H12-250304-0001\n1\n2025-03-04 01:00:00\n'\
 *     'receive\nsubmitted\nprocessing\n000.00.20.H12\n1\nTiếp nhận hồ sơ\n'\
 *     'canbo.motcua\nĐủ hồ sơ\n2025-03-10 10:00:00'; } | openssl dgst -sha256
 * and the second (escaped note, empty fields) both with openssl and Python hashlib.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/err.h>

#include "domain/history.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned char zero[HISTORY_HASH_LEN];

static const struct history_event first = {
	.dossier_code = "000.00.20.H12-250304-0001",
	.seq = 1,
	.at = 1741050000,                   /* 2025-03-04 01:00:00 UTC */
	.action = "receive",
	.from_state = "submitted",
	.to_state = "processing",
	.unit_code = "000.00.20.H12",
	.step_seq = 1,
	.step_name = "Tiếp nhận hồ sơ",
	.actor = "canbo.motcua",
	.note = "Đủ hồ sơ",
	.due_at = 1741600800,               /* 2025-03-10 10:00:00 UTC */
};

static const unsigned char first_hash[HISTORY_HASH_LEN] = {
	0xc3, 0xd8, 0xef, 0x3b, 0x38, 0x65, 0x1c, 0x81, 0x5f, 0xac, 0xc8, 0xf1, 0xe4, 0x8b,
	0x0e, 0x8c, 0x72, 0x3d, 0x6b, 0x6f, 0xb2, 0xc8, 0xa0, 0x91, 0x26, 0x74, 0x04, 0xb3,
	0xc0, 0x65, 0x6c, 0x92,
};

/* No step, no due date, and a note with a newline and backslashes to escape. */
static const struct history_event second = {
	.dossier_code = "000.00.20.H12-250304-0001",
	.seq = 2,
	.at = 1741141815,                   /* 2025-03-05 02:30:15 UTC */
	.action = "supplement_request",
	.from_state = "processing",
	.to_state = "awaiting_supplement",
	.unit_code = "000.00.20.H12",
	.step_seq = -1,
	.step_name = "",
	.actor = "canbo.motcua",
	.note = "Thiếu bản sao CCCD\nThiếu tờ khai (C:\\mau\\to-khai.doc)",
	.due_at = 0,
};

static const unsigned char second_hash[HISTORY_HASH_LEN] = {
	0x59, 0xff, 0xbe, 0x59, 0x85, 0xb8, 0xde, 0x76, 0xaf, 0x00, 0xcf, 0xf4, 0x2d, 0xb5,
	0x76, 0xf1, 0x76, 0x8d, 0xb2, 0x89, 0x7e, 0x3a, 0x57, 0x53, 0x22, 0x64, 0x3a, 0x1a,
	0x7d, 0x7d, 0xbb, 0x4a,
};

/* OpenSSL demos' habit: a test that leaves an error on the queue has failed. */
static int
check_error_queue(void **state)
{
	(void)state;
	assert_int_equal(ERR_peek_error(), 0);
	return 0;
}

static void
hash(const unsigned char *prev, const struct history_event *ev,
     unsigned char out[HISTORY_HASH_LEN])
{
	assert_int_equal(history_event_hash(prev, ev, out), 0);
}

static void
test_known_answer_first_event(void **state)
{
	unsigned char out[HISTORY_HASH_LEN];

	(void)state;
	hash(zero, &first, out);
	assert_memory_equal(out, first_hash, HISTORY_HASH_LEN);
}

static void
test_known_answer_chained_escaped(void **state)
{
	unsigned char out[HISTORY_HASH_LEN];

	(void)state;
	hash(first_hash, &second, out);
	assert_memory_equal(out, second_hash, HISTORY_HASH_LEN);
	/* the same event on another chain hashes differently */
	hash(zero, &second, out);
	assert_memory_not_equal(out, second_hash, HISTORY_HASH_LEN);
}

enum field {
	F_DOSSIER_CODE, F_SEQ, F_AT, F_ACTION, F_FROM, F_TO, F_UNIT, F_STEP_SEQ,
	F_STEP_NAME, F_ACTOR, F_NOTE, F_DUE_AT, F__MAX
};

/* Changes one field of ev, by as little as possible. */
static void
change(struct history_event *ev, enum field f)
{
	switch (f) {
	case F_DOSSIER_CODE: ev->dossier_code = "000.00.20.H12-250304-0002"; break;
	case F_SEQ: ev->seq++; break;
	case F_AT: ev->at++; break;
	case F_ACTION: ev->action = "Receive"; break;
	case F_FROM: ev->from_state = "submitte"; break;
	case F_TO: ev->to_state = "processing "; break;
	case F_UNIT: ev->unit_code = "000.00.20.H13"; break;
	case F_STEP_SEQ: ev->step_seq = -1; break;
	case F_STEP_NAME: ev->step_name = "Tiep nhận hồ sơ"; break;
	case F_ACTOR: ev->actor = ""; break;
	case F_NOTE: ev->note = "Đủ hồ sơ."; break;
	case F_DUE_AT: ev->due_at = 0; break;
	default: fail();
	}
}

/* Every field counts: changing any one changes the hash, and no two changes collide. */
static void
test_every_field_changes_the_hash(void **state)
{
	unsigned char base[HISTORY_HASH_LEN], out[F__MAX][HISTORY_HASH_LEN];
	struct history_event ev;
	int f, g;

	(void)state;
	hash(zero, &first, base);
	for (f = 0; f < F__MAX; f++) {
		ev = first;
		change(&ev, (enum field)f);
		hash(zero, &ev, out[f]);
		if (memcmp(out[f], base, HISTORY_HASH_LEN) == 0)
			fail_msg("changing field %d left the hash as it was", f);
		for (g = 0; g < f; g++)
			assert_memory_not_equal(out[f], out[g], HISTORY_HASH_LEN);
	}
}

static void
test_prev_hash_counts(void **state)
{
	unsigned char prev[HISTORY_HASH_LEN], a[HISTORY_HASH_LEN], b[HISTORY_HASH_LEN];

	(void)state;
	memset(prev, 0, sizeof(prev));
	hash(prev, &first, a);
	prev[HISTORY_HASH_LEN - 1] = 1;
	hash(prev, &first, b);
	assert_memory_not_equal(a, b, HISTORY_HASH_LEN);
}

/* Swapping two events breaks the chain from the first swapped one. */
static void
test_reordering_breaks_the_chain(void **state)
{
	unsigned char h1[HISTORY_HASH_LEN], h2[HISTORY_HASH_LEN];

	(void)state;
	hash(zero, &second, h1);
	hash(h1, &first, h2);
	assert_memory_not_equal(h1, first_hash, HISTORY_HASH_LEN);
	assert_memory_not_equal(h2, second_hash, HISTORY_HASH_LEN);
}

/* Text cannot move across a field boundary without the hash seeing it. */
static void
test_field_boundaries(void **state)
{
	static const struct {
		const char *actor_a, *note_a, *actor_b, *note_b;
	} pairs[] = {
		{ "a", "b\nc", "a\nb", "c" },
		{ "a\\", "nb", "a", "\\nb" },
		{ "a", "\\n", "a", "\n" },
		{ "a", "\\\\", "a", "\\" },
		{ "", "x", "x", "" },
	};
	unsigned char a[HISTORY_HASH_LEN], b[HISTORY_HASH_LEN];
	struct history_event ea = first, eb = first;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(pairs); i++) {
		ea.actor = pairs[i].actor_a;
		ea.note = pairs[i].note_a;
		eb.actor = pairs[i].actor_b;
		eb.note = pairs[i].note_b;
		hash(zero, &ea, a);
		hash(zero, &eb, b);
		if (memcmp(a, b, HISTORY_HASH_LEN) == 0)
			fail_msg("pair %zu hashes alike", i);
	}
	/* a step name that looks like the step number field does not pass for one */
	ea = first;
	ea.step_seq = -1;
	ea.step_name = "1\nTiếp nhận hồ sơ";
	hash(zero, &ea, a);
	assert_memory_not_equal(a, first_hash, HISTORY_HASH_LEN);
}

/* The documented edges: NULL is empty text; -1 and 0 are different steps; 0 is no due
 * date while 1 is a date; the hash does not depend on anything but its inputs. */
static void
test_edges(void **state)
{
	unsigned char a[HISTORY_HASH_LEN], b[HISTORY_HASH_LEN];
	struct history_event ev = second;

	(void)state;
	ev.step_name = NULL;
	hash(first_hash, &ev, a);
	assert_memory_equal(a, second_hash, HISTORY_HASH_LEN);

	ev = second;
	ev.step_seq = 0;
	hash(first_hash, &ev, a);
	assert_memory_not_equal(a, second_hash, HISTORY_HASH_LEN);

	ev = second;
	ev.due_at = 1;
	hash(first_hash, &ev, a);
	assert_memory_not_equal(a, second_hash, HISTORY_HASH_LEN);

	hash(zero, &first, a);
	hash(zero, &first, b);
	assert_memory_equal(a, b, HISTORY_HASH_LEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_known_answer_first_event, check_error_queue),
		cmocka_unit_test_teardown(test_known_answer_chained_escaped, check_error_queue),
		cmocka_unit_test_teardown(test_every_field_changes_the_hash, check_error_queue),
		cmocka_unit_test_teardown(test_prev_hash_counts, check_error_queue),
		cmocka_unit_test_teardown(test_reordering_breaks_the_chain, check_error_queue),
		cmocka_unit_test_teardown(test_field_boundaries, check_error_queue),
		cmocka_unit_test_teardown(test_edges, check_error_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
