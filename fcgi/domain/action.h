/*
 * The actions recorded in a dossier's history, with the labels the public timeline shows.
 */
#ifndef MOTCUA_DOMAIN_ACTION_H
#define MOTCUA_DOMAIN_ACTION_H

enum dossier_action {
	ACT_SUBMIT = 0, ACT_RECEIVE, ACT_ACCEPT, ACT_NOT_ACCEPT, ACT_ASSIGN, ACT_FORWARD,
	ACT_SEND_BACK, ACT_TRANSFER, ACT_TRANSFER_BACK, ACT_REQUEST_SUPPLEMENT, ACT_SUPPLEMENT,
	ACT_REQUEST_PAYMENT, ACT_PAY, ACT_SUSPEND, ACT_RESUME, ACT_REFUSE, ACT_WITHDRAW,
	ACT_RESOLVE, ACT_RETURN, ACT_APOLOGY, ACT_RECALCULATE,
	/* events of the result file (api/results.c), recorded but never transitions */
	ACT_RESULT_UPLOAD, ACT_RESULT_SIGN, ACT_RESULT_SEAL,
	ACT__MAX
};

const char *action_code(enum dossier_action a);
int action_from_code(const char *code);          /* -1 if unknown */
/* Labels by code; an unknown code gets a neutral label rather than NULL. */
const char *action_label_vi(const char *code);
const char *action_label_en(const char *code);

#endif
