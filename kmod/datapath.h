/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_DATAPATH_H
#define _ANTIGONE_DATAPATH_H

/* The netfilter hooks of tx.c and rx.c, in every network namespace. */
int antigone_datapath_init(void);
void antigone_datapath_exit(void);

#endif
