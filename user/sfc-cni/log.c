// SPDX-License-Identifier: GPL-2.0
/*
 * Logs: stderr by default (the runtime keeps it with its own logs), or a
 * file named by "logFile", appended line by line so that concurrent
 * invocations do not interleave within a line. Never stdout: that is the
 * protocol's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cni.h"

static int log_fd = STDERR_FILENO;
static enum cni_log_level log_level = CNI_LOG_INFO;
static char log_prefix[CNI_CID_MAX + 64];

static const char *const level_names[] = {
	[CNI_LOG_ERROR] = "error",
	[CNI_LOG_INFO] = "info",
	[CNI_LOG_DEBUG] = "debug",
};

int cni_log_level_parse(const char *s, enum cni_log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (!strcmp(s, level_names[i])) {
			*out = (enum cni_log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

int cni_log_open(const char *path, enum cni_log_level level)
{
	int fd;

	log_level = level;
	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	log_fd = fd;
	return 0;
}

void cni_log_context(const char *command, const char *container_id,
		     const char *ifname)
{
	snprintf(log_prefix, sizeof(log_prefix), "%s%s%.*s%s%s",
		 command ? command : "", container_id ? " " : "",
		 container_id ? 12 : 0, container_id ? container_id : "",
		 ifname ? "/" : "", ifname ? ifname : "");
}

void cni_log(enum cni_log_level level, const char *fmt, ...)
{
	char line[1024], when[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	if (level > log_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s.%03ld sfc-cni[%d] %s %s: ", when,
		     ts.tv_nsec / 1000000, (int)getpid(), level_names[level],
		     log_prefix);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write: a line from another process never lands inside it. */
	if (write(log_fd, line, (size_t)n) < 0)
		return;
}
