/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The service manager's side channels, without libsystemd: sd_notify(3)'s
 * datagram to $NOTIFY_SOCKET (READY=1, RELOADING=1, STOPPING=1, STATUS=,
 * WATCHDOG=1) and the watchdog period of $WATCHDOG_USEC. Outside systemd
 * (no NOTIFY_SOCKET) everything here does nothing.
 */
#ifndef ANTIGONE_LIB_SDNOTIFY_H
#define ANTIGONE_LIB_SDNOTIFY_H

#include <stdint.h>

/*
 * Reads and unsets NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID, so that
 * no child inherits them. Call once, before any other function here.
 */
void sdnotify_init(void);

/*
 * Sends @state ("READY=1\nSTATUS=...") to the service manager. 0, or a
 * negative errno (-ENOTCONN when there is none).
 */
int sdnotify(const char *state);

/*
 * The interval at which to send WATCHDOG=1, in ms (half of WatchdogSec,
 * as sd_watchdog_enabled(3) advises), or 0 when no watchdog is asked of
 * this process.
 */
uint64_t sdnotify_watchdog_ms(void);

#endif
