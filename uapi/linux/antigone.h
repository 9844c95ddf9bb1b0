/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Antigone: secure group communication for IP multicast.
 *
 * The one header shared by the kernel module (kmod/) and userspace (keyd/,
 * tools/, selftests/): the generic netlink API and its version. See
 * docs/netlink.md for the semantics of each command and attribute.
 *
 * Compatibility: values are only ever appended; a removed value stays
 * reserved. ANTIGONE_GENL_VERSION changes when a command changes meaning.
 */
#ifndef _UAPI_LINUX_ANTIGONE_H
#define _UAPI_LINUX_ANTIGONE_H

#include <linux/types.h>

#define ANTIGONE_GENL_NAME		"antigone"
#define ANTIGONE_GENL_VERSION		1
#define ANTIGONE_GENL_MCGRP_EVENTS	"events"

/* Group names: 1..15 characters [A-Za-z0-9._-], as identities are. */
#define ANTIGONE_NAME_MAX		15

enum antigone_cmd {
	ANTIGONE_CMD_UNSPEC,
	ANTIGONE_CMD_GET_INFO,		/* module and API version, limits */
	ANTIGONE_CMD_GROUP_NEW,		/* admin: create; replies GROUP_GET */
	ANTIGONE_CMD_GROUP_DEL,		/* admin: by ID or NAME */
	ANTIGONE_CMD_GROUP_GET,		/* by ID or NAME; dump: all groups */

	__ANTIGONE_CMD_MAX,
	ANTIGONE_CMD_MAX = __ANTIGONE_CMD_MAX - 1
};

enum antigone_attr {
	ANTIGONE_A_UNSPEC,
	ANTIGONE_A_INFO_VERSION,	/* string: module version */
	ANTIGONE_A_INFO_API,		/* u32: ANTIGONE_GENL_VERSION */
	ANTIGONE_A_INFO_MAX_GROUPS,	/* u32: groups per network namespace */
	ANTIGONE_A_GROUP_ID,		/* u32, assigned by the kernel, != 0 */
	ANTIGONE_A_GROUP_NAME,		/* string, 1..ANTIGONE_NAME_MAX */
	ANTIGONE_A_GROUP_SUITE,		/* u8: enum antigone_suite */
	ANTIGONE_A_GROUP_GUARANTEE,	/* u8: enum antigone_guarantee (minimum) */
	ANTIGONE_A_GROUP_FAIL_POLICY,	/* u8: enum antigone_fail_policy */
	ANTIGONE_A_GROUP_HB_TIMEOUT_MS,	/* u32: leader heartbeat timeout, 0 = none */
	ANTIGONE_A_GROUP_KEY_LIFETIME_MS, /* u32: key lifetime, 0 = unlimited */
	ANTIGONE_A_GROUP_REKEY_GRACE_MS, /* u32: previous key kept this long */
	ANTIGONE_A_GROUP_ALLOW_UID,	/* u32: may attach sockets without CAP_NET_ADMIN */
	ANTIGONE_A_GROUP_ALLOW_GID,	/* u32: likewise, by group */

	__ANTIGONE_A_MAX,
	ANTIGONE_A_MAX = __ANTIGONE_A_MAX - 1
};

/* Cipher suites of the datapath (all AEADs; 7b uses their stream cipher). */
enum antigone_suite {
	ANTIGONE_SUITE_AES128_GCM = 1,	/* default */
	ANTIGONE_SUITE_AES256_GCM = 2,
	ANTIGONE_SUITE_CHACHA20_POLY1305 = 3,
};

/* Message guarantees, the paper's messages 7a-7c; also the wire's low nibble. */
enum antigone_guarantee {
	ANTIGONE_G_INTEGRITY = 1,	/* 7a: clear payload, tag over all */
	ANTIGONE_G_CONFIDENTIALITY = 2,	/* 7b: encrypted, no tag: malleable */
	ANTIGONE_G_BOTH = 3,		/* 7c: AEAD (default) */
};

/* What a group does when its key expired or the leader heartbeat is stale. */
enum antigone_fail_policy {
	ANTIGONE_FAIL_CLOSED = 0,	/* drop and count every datagram (default) */
	ANTIGONE_FAIL_EVENT_ONLY = 1,	/* keep working, only raise the event */
};

#endif /* _UAPI_LINUX_ANTIGONE_H */
