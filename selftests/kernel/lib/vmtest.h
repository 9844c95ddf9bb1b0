/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the VM tests share: shell steps, sockets on an address, the
 * counters of a group, and becoming "root" of a user namespace of one's
 * own as an unprivileged user would (`unshare -Urn`).
 */
#ifndef ANTIGONE_SELFTESTS_VMTEST_H
#define ANTIGONE_SELFTESTS_VMTEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* UDP socket options older libc headers lack (linux/udp.h). */
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif

struct kernel_nl;

/* system() of a formatted command line: its status. */
int vm_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes all of @text to @path: 0 or -1. */
int vm_write_file(const char *path, const char *text);
/*
 * As nobody (uid and gid 65534), enters a new user and network namespace
 * and maps itself to root there. 0, or the step that failed (1-3).
 */
int vm_become_userns_root(void);
/* Group @name's counter @stat, or UINT64_MAX if there is no such group. */
uint64_t vm_stat(struct kernel_nl *k, const char *name, int stat);
/* Fills @ss for @family's text @addr and @port; its length. */
socklen_t vm_sockaddr(struct sockaddr_storage *ss, int family,
		      const char *addr, uint16_t port);
/* A UDP socket bound to @addr:@port, or -1. */
int vm_udp_bound(int family, const char *addr, uint16_t port);
/* sendto @addr:@port: 0 or -errno. */
int vm_send_to(int fd, int family, const char *addr, uint16_t port,
	       const void *buf, size_t len);
/* Bytes of the next datagram within @ms, or -1. */
ssize_t vm_recv_within(int fd, void *buf, size_t len, int ms);

#endif
