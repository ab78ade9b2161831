/*
 * Dossier states and channels: the code stored and sent over the API, and the labels
 * shown to people (Vietnamese first).
 */
#include <string.h>

#include "dossier_state.h"

struct label {
	const char *code, *vi, *en;
};

static const struct label states[STATE__MAX] = {
	[STATE_SUBMITTED] = { "submitted", "Chờ tiếp nhận", "Awaiting reception" },
	[STATE_PROCESSING] = { "processing", "Đang xử lý", "Processing" },
	[STATE_AWAITING_SUPPLEMENT] = { "awaiting_supplement", "Chờ bổ sung",
	    "Awaiting supplement" },
	[STATE_AWAITING_PAYMENT] = { "awaiting_payment",
	    "Chờ thực hiện nghĩa vụ tài chính", "Awaiting payment of fees and charges" },
	[STATE_SUSPENDED] = { "suspended", "Tạm dừng xử lý", "Processing suspended" },
	[STATE_RESOLVED] = { "resolved", "Đã có kết quả, chờ trả",
	    "Result ready, awaiting return" },
	[STATE_RETURNED] = { "returned", "Đã trả kết quả", "Result returned" },
	[STATE_REFUSED] = { "refused", "Từ chối giải quyết", "Refused" },
	[STATE_WITHDRAWN] = { "withdrawn", "Đã rút hồ sơ", "Withdrawn" },
	[STATE_NOT_ACCEPTED] = { "not_accepted", "Không tiếp nhận", "Not accepted" },
};

static const struct label channels[CHANNEL__MAX] = {
	[CHANNEL_DIRECT] = { "direct", "Trực tiếp", "In person" },
	[CHANNEL_ONLINE] = { "online", "Trực tuyến", "Online" },
	[CHANNEL_POSTAL] = { "postal", "Bưu chính công ích", "Public postal service" },
};

/* The entry for index i of a table of n. A value that did not come from the enum
 * gets an entry of NULLs, so every accessor answers NULL for it. */
static const struct label *
label_at(const struct label *tab, size_t n, int i)
{
	static const struct label none = { NULL, NULL, NULL };

	return i >= 0 && (size_t)i < n ? &tab[i] : &none;
}

/* The index whose code is code[0..len) (not NUL-terminated), or -1. */
static int
label_find(const struct label *tab, size_t n, const char *code, size_t len)
{
	size_t i;

	if (code == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strlen(tab[i].code) == len && memcmp(tab[i].code, code, len) == 0)
			return (int)i;
	return -1;
}

const char *
dossier_state_code(enum dossier_state s)
{
	return label_at(states, STATE__MAX, (int)s)->code;
}

const char *
dossier_state_label_vi(enum dossier_state s)
{
	return label_at(states, STATE__MAX, (int)s)->vi;
}

const char *
dossier_state_label_en(enum dossier_state s)
{
	return label_at(states, STATE__MAX, (int)s)->en;
}

int
dossier_state_from_code(const char *code, size_t len)
{
	return label_find(states, STATE__MAX, code, len);
}

int
dossier_state_is_terminal(enum dossier_state s)
{
	return s == STATE_RETURNED || s == STATE_REFUSED || s == STATE_WITHDRAWN ||
	    s == STATE_NOT_ACCEPTED;
}

int
dossier_state_is_paused(enum dossier_state s)
{
	return s == STATE_AWAITING_SUPPLEMENT || s == STATE_AWAITING_PAYMENT ||
	    s == STATE_SUSPENDED;
}

const char *
channel_code(enum channel c)
{
	return label_at(channels, CHANNEL__MAX, (int)c)->code;
}

const char *
channel_label_vi(enum channel c)
{
	return label_at(channels, CHANNEL__MAX, (int)c)->vi;
}

const char *
channel_label_en(enum channel c)
{
	return label_at(channels, CHANNEL__MAX, (int)c)->en;
}

int
channel_from_code(const char *code, size_t len)
{
	return label_find(channels, CHANNEL__MAX, code, len);
}
