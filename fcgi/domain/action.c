#include <string.h>

#include "action.h"

static const struct {
	const char *code, *vi, *en;
} actions[ACT__MAX] = {
	[ACT_SUBMIT]             = { "submit", "Nộp hồ sơ trực tuyến", "Submitted online" },
	[ACT_RECEIVE]            = { "receive", "Tiếp nhận hồ sơ", "Dossier received" },
	[ACT_ACCEPT]             = { "accept", "Tiếp nhận hồ sơ trực tuyến", "Online dossier accepted" },
	[ACT_NOT_ACCEPT]         = { "not_accept", "Không tiếp nhận hồ sơ", "Dossier not accepted" },
	[ACT_ASSIGN]             = { "assign", "Phân công xử lý", "Assigned for processing" },
	[ACT_FORWARD]            = { "forward", "Chuyển bước xử lý", "Moved to the next step" },
	[ACT_SEND_BACK]          = { "send_back", "Trả lại bước trước", "Sent back to the previous step" },
	[ACT_TRANSFER]           = { "transfer", "Chuyển liên thông", "Transferred to another agency" },
	[ACT_TRANSFER_BACK]      = { "transfer_back", "Nhận lại hồ sơ liên thông", "Returned from another agency" },
	[ACT_REQUEST_SUPPLEMENT] = { "request_supplement", "Yêu cầu bổ sung hồ sơ", "Supplement requested" },
	[ACT_SUPPLEMENT]         = { "supplement", "Đã bổ sung hồ sơ", "Supplement received" },
	[ACT_REQUEST_PAYMENT]    = { "request_payment", "Yêu cầu thực hiện nghĩa vụ tài chính", "Payment requested" },
	[ACT_PAY]                = { "pay", "Đã thực hiện nghĩa vụ tài chính", "Payment made" },
	[ACT_SUSPEND]            = { "suspend", "Tạm dừng xử lý", "Processing suspended" },
	[ACT_RESUME]             = { "resume", "Tiếp tục xử lý", "Processing resumed" },
	[ACT_REFUSE]             = { "refuse", "Từ chối giải quyết", "Refused" },
	[ACT_WITHDRAW]           = { "withdraw", "Rút hồ sơ", "Withdrawn by the applicant" },
	[ACT_RESOLVE]            = { "resolve", "Đã có kết quả", "Result issued" },
	[ACT_RETURN]             = { "return", "Trả kết quả", "Result handed over" },
	[ACT_APOLOGY]            = { "apology", "Xin lỗi và hẹn lại ngày trả kết quả", "Apology with a new return date" },
	[ACT_RECALCULATE]        = { "recalculate", "Tính lại hạn giải quyết", "Due date recalculated" },
	[ACT_RESULT_UPLOAD]      = { "result_upload", "Cập nhật tệp kết quả", "Result file uploaded" },
	[ACT_RESULT_SIGN]        = { "result_sign", "Kết quả đã được ký số", "Result digitally signed" },
	[ACT_RESULT_SEAL]        = { "result_seal", "Đóng dấu điện tử kết quả", "Result sealed by the agency" },
};

const char *action_code(enum dossier_action a)
{
	return (unsigned)a < ACT__MAX ? actions[a].code : NULL;
}

int action_from_code(const char *code)
{
	for (int i = 0; code && i < ACT__MAX; i++)
		if (strcmp(actions[i].code, code) == 0)
			return i;
	return -1;
}

const char *action_label_vi(const char *code)
{
	int a = action_from_code(code);
	return a >= 0 ? actions[a].vi : "Cập nhật hồ sơ";
}

const char *action_label_en(const char *code)
{
	int a = action_from_code(code);
	return a >= 0 ? actions[a].en : "Dossier updated";
}
