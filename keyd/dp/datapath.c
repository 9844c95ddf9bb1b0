// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath interface (see datapath.h): a backend by name, and what
 * the control plane does through any of them.
 */
#include <errno.h>
#include <string.h>

#include "datapath.h"

int dp_open(struct dp *dp, const char *backend)
{
	memset(dp, 0, sizeof(*dp));
	if (!strcmp(backend, "null"))
		return dp_null_open(dp);
	if (!strcmp(backend, "kernel"))
		return dp_kernel_open(dp);
	return -EINVAL;
}

void dp_close(struct dp *dp)
{
	if (dp->ops)
		dp->ops->close(dp);
	dp->ops = NULL;
	dp->priv = NULL;
}

int dp_group_recreate(struct dp *dp, const char *group)
{
	struct kernel_group k;
	int ret = dp->ops->group_get(dp, group, &k);

	if (!ret)
		ret = dp->ops->group_delete(dp, group);
	if (!ret)
		ret = dp->ops->group_create(dp, &k);
	if (!ret && k.relay_port)
		ret = dp->ops->relay_set(dp, group, k.relay_port);
	return ret;
}

int dp_mute_keys(struct dp *dp, const char *group)
{
	struct kernel_group k;
	int ret = dp->ops->group_get(dp, group, &k);

	if (!ret && k.epoch)
		ret = dp->ops->key_sender_set(dp, group, k.epoch, 0);
	return ret;
}
