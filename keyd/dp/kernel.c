// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel datapath: antigone.ko over generic netlink (see datapath.h;
 * the client itself is kernel_nl.c).
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
#include "kernel_nl.h"

struct dp_kernel {
	struct kernel_nl *nl;
	struct kernel_nl *events;
};

static struct dp_kernel *dk(struct dp *dp)
{
	return dp->priv;
}

static int k_group_create(struct dp *dp, const struct kernel_group *cfg)
{
	return kernel_group_new(dk(dp)->nl, cfg, NULL);
}

static int k_group_delete(struct dp *dp, const char *group)
{
	return kernel_group_del(dk(dp)->nl, 0, group);
}

static int k_key_install(struct dp *dp, const char *group, uint32_t epoch,
			 uint32_t sender, const uint8_t *key, size_t len,
			 int64_t lifetime_ms)
{
	return kernel_key_add(dk(dp)->nl, group, epoch, sender, key, len,
			      lifetime_ms);
}

static int k_key_erase(struct dp *dp, const char *group, uint32_t epoch)
{
	return kernel_key_del(dk(dp)->nl, group, epoch);
}

static int k_key_sender_set(struct dp *dp, const char *group,
			    uint32_t epoch, uint32_t sender)
{
	return kernel_key_set_sender(dk(dp)->nl, group, epoch, sender);
}

static int k_heartbeat(struct dp *dp, const char *group, uint64_t seq,
		       uint32_t epoch)
{
	return kernel_heartbeat(dk(dp)->nl, group, seq, epoch);
}

static int k_relay_set(struct dp *dp, const char *group, uint16_t port)
{
	return kernel_group_set_relay(dk(dp)->nl, group, port);
}

static int k_relay_mode_set(struct dp *dp, const char *group,
			    const struct kernel_relay *r)
{
	return kernel_group_set_relay_mode(dk(dp)->nl, group, r);
}

static int k_hb_timeout_set(struct dp *dp, const char *group, uint32_t ms)
{
	return kernel_group_set_hb_timeout(dk(dp)->nl, group, ms);
}

static int k_forward_attach(struct dp *dp, const char *group, int fd)
{
	struct antigone_attach req = { .flags = ANTIGONE_ATTACH_FORWARD };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	snprintf(req.group_name, sizeof(req.group_name), "%s", group);
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return -errno;
	if (setsockopt(fd, ss.ss_family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       ANTIGONE_SO_ATTACH, &req, sizeof(req)))
		return -errno;
	return 0;
}

static int k_group_get(struct dp *dp, const char *group,
		       struct kernel_group *out)
{
	return kernel_group_get(dk(dp)->nl, 0, group, out);
}

static int k_events_fd(struct dp *dp)
{
	return dk(dp)->events ? kernel_events_fd(dk(dp)->events) : -1;
}

static int k_events_read(struct dp *dp,
			 void (*fn)(const struct kernel_event *ev, void *arg),
			 void *arg)
{
	return dk(dp)->events ? kernel_events_read(dk(dp)->events, fn, arg) :
				-ENOENT;
}

static void k_close(struct dp *dp)
{
	kernel_close(dk(dp)->events);
	kernel_close(dk(dp)->nl);
	free(dp->priv);
}

static const struct dp_ops kernel_ops = {
	.name = "kernel",
	.group_create = k_group_create,
	.group_delete = k_group_delete,
	.key_install = k_key_install,
	.key_erase = k_key_erase,
	.key_sender_set = k_key_sender_set,
	.heartbeat = k_heartbeat,
	.relay_set = k_relay_set,
	.relay_mode_set = k_relay_mode_set,
	.hb_timeout_set = k_hb_timeout_set,
	.forward_attach = k_forward_attach,
	.group_get = k_group_get,
	.events_fd = k_events_fd,
	.events_read = k_events_read,
	.close = k_close,
};

int dp_kernel_open(struct dp *dp)
{
	int ret;

	dp->priv = calloc(1, sizeof(struct dp_kernel));
	if (!dp->priv)
		return -ENOMEM;
	ret = kernel_open(&dk(dp)->nl);
	if (!ret)
		ret = kernel_events_open(&dk(dp)->events);
	if (ret) {
		kernel_close(dk(dp)->nl);
		free(dp->priv);
		dp->priv = NULL;
		return ret;
	}
	dp->ops = &kernel_ops;
	return 0;
}
