/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_TX_H
#define _ANTIGONE_TX_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

/* LOCAL_OUT, IPv4 and IPv6: protects what tagged sockets send and what
 * goes to a group's selector.
 */
unsigned int antigone_tx_hook(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state);

#endif
