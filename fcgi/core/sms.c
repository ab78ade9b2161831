#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "sms.h"

struct file_sink { char path[512]; };

/* One write(2) of the whole line with O_APPEND: lines from concurrent writers never mix. */
static enum sms_outcome file_send(struct sms_sender *s, const char *to, const char *body,
                                  long long id, const char *ref, char *err, size_t errsz)
{
	struct file_sink *f = s->state;
	struct json_object *o = json_object_new_object();
	const char *line;
	size_t len;
	char *buf;
	ssize_t w;
	int fd;
	enum sms_outcome out = SMS_TEMPORARY;

	if (!o) {
		snprintf(err, errsz, "out of memory");
		return SMS_TEMPORARY;
	}
	json_object_object_add(o, "at", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "ref", json_object_new_string(ref ? ref : ""));
	json_object_object_add(o, "to", json_object_new_string(to));
	json_object_object_add(o, "body", json_object_new_string(body));
	line = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(line);
	if ((buf = malloc(len + 1)) == NULL) {
		json_object_put(o);
		snprintf(err, errsz, "out of memory");
		return SMS_TEMPORARY;
	}
	memcpy(buf, line, len);
	buf[len] = '\n';
	json_object_put(o);
	if ((fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0) {
		snprintf(err, errsz, "cannot open SMS sink %s: %s", f->path, strerror(errno));
	} else {
		w = write(fd, buf, len + 1);
		if (w == (ssize_t)(len + 1) && fsync(fd) == 0)
			out = SMS_SENT;
		else
			snprintf(err, errsz, "cannot write SMS sink %s: %s", f->path,
			         w < 0 ? strerror(errno) : "short write");
		close(fd);
	}
	free(buf);
	return out;
}

static void file_close(struct sms_sender *s)
{
	free(s->state);
	s->state = NULL;
}

int sms_sender_file(struct sms_sender *s, const char *path)
{
	struct file_sink *f;

	if (!path || !*path || strlen(path) >= sizeof f->path || (f = calloc(1, sizeof *f)) == NULL)
		return -1;
	memcpy(f->path, path, strlen(path) + 1);
	s->send = file_send;
	s->close = file_close;
	s->state = f;
	return 0;
}
