// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"

static enum log_level threshold = LOG_INFO_;

/*
 * Whether stderr is the journal's stream: systemd then sets JOURNAL_STREAM
 * to its device and inode (systemd.exec(5)). The journal stamps each line
 * itself and reads its priority from a "<N>" prefix (sd-daemon(3)).
 */
static bool to_journal(void)
{
	static int known = -1;
	unsigned long long dev, ino;
	const char *env;
	struct stat st;

	if (known < 0) {
		env = getenv("JOURNAL_STREAM");
		known = env && sscanf(env, "%llu:%llu", &dev, &ino) == 2 &&
			!fstat(2, &st) && st.st_dev == dev && st.st_ino == ino;
	}
	return known;
}

void log_set_level(enum log_level level)
{
	threshold = level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info",
					     "debug" };
	/* syslog(3)'s LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG */
	static const char priority[] = { '3', '4', '6', '7' };
	char stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (level > threshold)
		return;
	if (to_journal()) {
		fprintf(stderr, "<%c>%s: ", priority[level], names[level]);
		goto message;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ antigoned %s: ", stamp, ts.tv_nsec / 1000000,
		names[level]);
message:
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
