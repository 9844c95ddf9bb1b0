/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ANTIGONE_VERSION
#define ANTIGONE_VERSION "0.1.0"
#endif
