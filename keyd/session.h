/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A configured group's session, leader or member: the daemon's API is
 * role/session.h (role/ holds the session, one file a role).
 */
#ifndef ANTIGONE_SESSION_H
#define ANTIGONE_SESSION_H

#include "role/session.h"

#endif
