/*
 * Payments: the officer's payment requests, the orders opened with a gateway, and the
 * receipts (biên lai) of the paid ones. Writers run inside the caller's transaction.
 */
#ifndef MOTCUA_STORE_PAYMENT_H
#define MOTCUA_STORE_PAYMENT_H

#include "domain/timeutil.h"

struct db;

/* amount_vnd < 0: the procedure's fees; officer_id 0: none recorded. */
int payment_request_insert(struct db *db, long long dossier_id, long long amount_vnd,
                           long long officer_id, mc_time at);

/* What the dossier has to pay: the amount of the latest payment request if it set one,
 * else the fees of the procedure for the dossier's channel (its first way of submitting
 * on that channel, or the procedure's first way when none matches). */
int payment_amount_due(struct db *db, long long dossier_id, long long *amount_vnd);

int payment_order_insert(struct db *db, const char *order_ref, long long dossier_id,
                         const char *gateway, long long amount_vnd, mc_time at);

struct payment_order {
	long long id, dossier_id, amount_vnd;
	char order_ref[41], dossier_code[49], gateway[33], status[8], gateway_txn[65],
	     response_code[9];
	mc_time created_at, settled_at;
	/* its receipt, when paid */
	char receipt_number[33];
	mc_time receipt_issued_at;
};

/* 0 found, 1 none, <0 error. _lock takes the order row FOR UPDATE. */
int payment_order_get(struct db *db, const char *order_ref, struct payment_order *o);
int payment_order_lock(struct db *db, const char *order_ref, struct payment_order *o);

/* status "paid" or "failed". */
int payment_order_settle(struct db *db, long long order_id, const char *status,
                         const char *gateway_txn, const char *response_code, mc_time at);
/* Records the receipt of a paid order; its number is BL-YYMMDD-NNNNNNN (local date, order id, at least 7 digits). */
int payment_receipt_insert(struct db *db, const struct payment_order *o, mc_time at,
                           char number[33]);

#endif
