/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel commands (group.c, key.c) and tag share: opening the
 * module, reporting its refusals, and the names of its settings.
 */
#ifndef ANTIGONE_CLI_KERNEL_H
#define ANTIGONE_CLI_KERNEL_H

struct kernel_nl;

/* 0, or a negative errno after saying why (module not loaded, ...). */
int open_kernel(struct kernel_nl **k);
/* Prints "antigone: WHAT: error: the kernel's reason"; returns 1. */
int kernel_failed(struct kernel_nl *k, const char *what, int err);

/* enum antigone_suite, _guarantee, _fail_policy named so, or -1. */
int parse_suite(const char *name);
int parse_guarantee(const char *name);
int parse_fail_policy(const char *name);

#endif
