/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the control plane needs from a datapath: groups, keys, heartbeats,
 * counters and events. Two backends: the kernel module over generic
 * netlink, and a null one that only remembers (hosts without the module,
 * and native tests of the control plane).
 */
#ifndef ANTIGONE_DP_DATAPATH_H
#define ANTIGONE_DP_DATAPATH_H

#include <stddef.h>
#include <stdint.h>

#include "kernel_nl.h"

struct dp;

struct dp_ops {
	const char *name;
	int (*group_create)(struct dp *dp, const struct kernel_group *cfg);
	int (*group_delete)(struct dp *dp, const char *group);
	int (*key_install)(struct dp *dp, const char *group, uint32_t epoch,
			   uint32_t sender, const uint8_t *key, size_t len,
			   int64_t lifetime_ms);
	int (*key_erase)(struct dp *dp, const char *group, uint32_t epoch);
	/* The current key of @epoch sends under a new own sender index. */
	int (*key_sender_set)(struct dp *dp, const char *group, uint32_t epoch,
			      uint32_t sender);
	int (*heartbeat)(struct dp *dp, const char *group, uint64_t seq,
			 uint32_t epoch);
	/* Relaying: the group's datagrams go to loopback @port (0: none). */
	int (*relay_set)(struct dp *dp, const char *group, uint16_t port);
	/* The relay in the datapath itself (RELAY_MODE): -EOPNOTSUPP where
	 * there is none, and the relay inlet carries the datagrams.
	 */
	int (*relay_mode_set)(struct dp *dp, const char *group,
			      const struct kernel_relay *r);
	/* The leader heartbeat timeout, once the member knows it. */
	int (*hb_timeout_set)(struct dp *dp, const char *group, uint32_t ms);
	/* Socket @fd sends the group's protected datagrams as they are. */
	int (*forward_attach)(struct dp *dp, const char *group, int fd);
	/* The group as the datapath sees it: epoch, state, counters. */
	int (*group_get)(struct dp *dp, const char *group,
			 struct kernel_group *out);
	/* Events: a pollable fd (-1: none) and a reader. */
	int (*events_fd)(struct dp *dp);
	int (*events_read)(struct dp *dp,
			   void (*fn)(const struct kernel_event *ev, void *arg),
			   void *arg);
	void (*close)(struct dp *dp);
};

struct dp {
	const struct dp_ops *ops;
	void *priv;
};

/* "kernel" or "null". 0 or a negative errno (-ENOENT: module absent). */
int dp_open(struct dp *dp, const char *backend);
/* The backends: kernel.c (antigone.ko over netlink) and null.c. */
int dp_kernel_open(struct dp *dp);
int dp_null_open(struct dp *dp);
void dp_close(struct dp *dp);
/* Makes a group's current key receive only (own sender index 0). */
int dp_mute_keys(struct dp *dp, const char *group);
/*
 * Deletes the group and creates it again as it was, keyless: the only way
 * to install epochs again that it had before (a leader starting over).
 * Sockets tagged to the old one stay with it, and drop.
 */
int dp_group_recreate(struct dp *dp, const char *group);

#endif
