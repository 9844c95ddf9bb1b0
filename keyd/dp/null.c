// SPDX-License-Identifier: GPL-2.0
/*
 * The null datapath: remembers what it was told, protects nothing, with
 * the same acceptance rules as the module (see datapath.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <openssl/crypto.h>
#include <linux/antigone.h>

#include "datapath.h"

#define NULL_GROUPS 64

struct null_group {
	bool used;
	struct kernel_group g;
	uint64_t hb_seq;
	uint32_t hb_epoch;
};

struct dp_null {
	struct null_group groups[NULL_GROUPS];
};

static struct null_group *n_find(struct dp *dp, const char *name)
{
	struct dp_null *n = dp->priv;
	int i;

	for (i = 0; i < NULL_GROUPS; i++)
		if (n->groups[i].used && !strcmp(n->groups[i].g.name, name))
			return &n->groups[i];
	return NULL;
}

static int n_group_create(struct dp *dp, const struct kernel_group *cfg)
{
	struct dp_null *n = dp->priv;
	int i;

	if (n_find(dp, cfg->name))
		return -EEXIST;
	for (i = 0; i < NULL_GROUPS; i++) {
		if (!n->groups[i].used) {
			n->groups[i].used = true;
			n->groups[i].g = *cfg;
			n->groups[i].g.id = (uint32_t)i + 1;
			n->groups[i].g.state = ANTIGONE_STATE_NO_KEY;
			/* As the module: what it reports, it starts anew. */
			n->groups[i].g.epoch = 0;
			n->groups[i].g.prev_epoch = 0;
			n->groups[i].g.epoch_floor = 0;
			n->groups[i].g.relay_port = 0;
			memset(n->groups[i].g.stats, 0,
			       sizeof(n->groups[i].g.stats));
			n->groups[i].hb_seq = 0;
			n->groups[i].hb_epoch = 0;
			return 0;
		}
	}
	return -ENOSPC;
}

static int n_group_delete(struct dp *dp, const char *group)
{
	struct null_group *g = n_find(dp, group);

	if (!g)
		return -ENOENT;
	memset(g, 0, sizeof(*g));
	return 0;
}

static int n_key_install(struct dp *dp, const char *group, uint32_t epoch,
			 uint32_t sender, const uint8_t *key, size_t len,
			 int64_t lifetime_ms)
{
	struct null_group *g = n_find(dp, group);

	if (!g)
		return -ENOENT;
	if (!epoch || len < 16 || len > 32)
		return -EINVAL;
	/* Same acceptance rules as the module, an epoch never twice; the
	 * key itself is not kept.
	 */
	if (epoch <= g->g.epoch_floor)
		return epoch == g->g.epoch ? -EEXIST : -ESTALE;
	g->g.prev_epoch = g->g.epoch;
	g->g.epoch = epoch;
	g->g.epoch_floor = epoch;
	g->g.state = ANTIGONE_STATE_OK;
	return 0;
}

static int n_key_erase(struct dp *dp, const char *group, uint32_t epoch)
{
	struct null_group *g = n_find(dp, group);

	if (!g)
		return -ENOENT;
	if (g->g.epoch == epoch) {
		g->g.epoch = 0;
		g->g.state = ANTIGONE_STATE_NO_KEY;
	} else if (g->g.prev_epoch == epoch) {
		g->g.prev_epoch = 0;
	} else {
		return -ENOENT;
	}
	return 0;
}

static int n_key_sender_set(struct dp *dp, const char *group,
			    uint32_t epoch, uint32_t sender)
{
	struct null_group *g = n_find(dp, group);

	if (!g)
		return -ENOENT;
	return g->g.epoch && g->g.epoch == epoch ? 0 : -ENOENT;
}

static int n_heartbeat(struct dp *dp, const char *group, uint64_t seq,
		       uint32_t epoch)
{
	struct null_group *g = n_find(dp, group);

	if (!g)
		return -ENOENT;
	/* As the module: (epoch, seq) must grow. */
	if (epoch < g->hb_epoch || (epoch == g->hb_epoch && seq <= g->hb_seq))
		return -ESTALE;
	g->hb_seq = seq;
	g->hb_epoch = epoch;
	if (g->g.epoch && epoch > g->g.epoch)
		g->g.state = ANTIGONE_STATE_KEY_STALE;
	return 0;
}

static int n_relay_set(struct dp *dp, const char *group, uint16_t port)
{
	struct null_group *g = n_find(dp, group);

	if (!g)
		return -ENOENT;
	g->g.relay_port = port;
	return 0;
}

/* No datapath to relay in: keyd's relay does it all. */
static int n_relay_mode_set(struct dp *dp, const char *group,
			    const struct kernel_relay *r)
{
	if (!n_find(dp, group))
		return -ENOENT;
	return r->mode == ANTIGONE_RELAY_NONE ? 0 : -EOPNOTSUPP;
}

static int n_hb_timeout_set(struct dp *dp, const char *group, uint32_t ms)
{
	struct null_group *g = n_find(dp, group);

	if (!g)
		return -ENOENT;
	g->g.hb_timeout_ms = ms;
	return 0;
}

static int n_forward_attach(struct dp *dp, const char *group, int fd)
{
	return n_find(dp, group) ? 0 : -ENOENT;
}

static int n_group_get(struct dp *dp, const char *group,
		       struct kernel_group *out)
{
	struct null_group *g = n_find(dp, group);

	if (!g)
		return -ENOENT;
	*out = g->g;
	return 0;
}

static int n_events_fd(struct dp *dp)
{
	return -1;
}

static int n_events_read(struct dp *dp,
			 void (*fn)(const struct kernel_event *ev, void *arg),
			 void *arg)
{
	return -ENOENT;
}

static void n_close(struct dp *dp)
{
	OPENSSL_cleanse(dp->priv, sizeof(struct dp_null));
	free(dp->priv);
}

static const struct dp_ops null_ops = {
	.name = "null",
	.group_create = n_group_create,
	.group_delete = n_group_delete,
	.key_install = n_key_install,
	.key_erase = n_key_erase,
	.key_sender_set = n_key_sender_set,
	.heartbeat = n_heartbeat,
	.relay_set = n_relay_set,
	.relay_mode_set = n_relay_mode_set,
	.hb_timeout_set = n_hb_timeout_set,
	.forward_attach = n_forward_attach,
	.group_get = n_group_get,
	.events_fd = n_events_fd,
	.events_read = n_events_read,
	.close = n_close,
};

int dp_null_open(struct dp *dp)
{
	dp->priv = calloc(1, sizeof(struct dp_null));
	if (!dp->priv)
		return -ENOMEM;
	dp->ops = &null_ops;
	return 0;
}
