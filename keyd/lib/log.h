/* SPDX-License-Identifier: GPL-2.0 */
/* antigoned's log: one line per event on stderr, with a level and a wall
 * clock stamp; when stderr is the journal's stream, with the line's syslog
 * priority as a "<N>" prefix instead of the stamp. Never log keys.
 */
#ifndef ANTIGONE_LIB_LOG_H
#define ANTIGONE_LIB_LOG_H

enum log_level { LOG_ERR_ = 0, LOG_WARN_ = 1, LOG_INFO_ = 2, LOG_DEBUG_ = 3 };

void log_set_level(enum log_level level);
__attribute__((format(printf, 2, 3)))
void log_msg(enum log_level level, const char *fmt, ...);

#define log_err(...)	log_msg(LOG_ERR_, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN_, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO_, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG_, __VA_ARGS__)

#endif
