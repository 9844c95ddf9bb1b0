/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wirepkt (see cli.c): what its commands share. One file a concern:
 * cli.c (usage, the command line, main), key.c (key files), net.c
 * (addresses, multicast sockets), send.c, recv.c and vectors.c (the
 * commands).
 */
#ifndef ANTIGONE_WIREPKT_H
#define ANTIGONE_WIREPKT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "libwire/libwire.h"

#define EXIT_USAGE	2
#define COUNT_MAX	1000000
#define TIMEOUT_MAX	86400000	/* one day, in ms */
/* A key file holds 64 hex digits at most, plus a little whitespace. */
#define KEY_FILE_MAX	256

extern const char *prog;

enum opt_id {
	O_SUITE, O_KEY_FILE, O_INSECURE, O_EPOCH, O_SENDER, O_SEQ,
	O_GUARANTEE, O_COUNT, O_PAYLOAD, O_TAMPER, O_TRUNCATE, O_RAW, O_TO,
	O_PORT, O_GROUP, O_IFNAME, O_TIMEOUT, O_INTERVAL, O_CHAIN_KEY_FILE,
	O_DISCLOSE,
	O_NR
};

#define C_SEND	1u
#define C_RECV	2u

struct args {
	const char *cmd;
	bool set[O_NR];
	const char *val[O_NR][2];
};

/* cli.c */
int opt_u64(const struct args *a, int id, uint64_t min, uint64_t max,
		   uint64_t def, uint64_t *out);
/* cli.c */
int parse_args(unsigned int cmd, int argc, char **argv,
		      struct args *a);
/* cli.c */
int parse_u64(const char *s, uint64_t min, uint64_t max,
		     uint64_t *out);
/* cli.c */
bool require(const struct args *a, int id);
/* cli.c */
__attribute__((format(printf, 1, 2)))
void tool_error(const char *fmt, ...);
/* cli.c */
__attribute__((format(printf, 1, 2)))
void usage_error(const char *fmt, ...);
/* key.c */
int load_key(const struct args *a, struct wire_key *k);
/* 7d: K_i from --chain-key-file (32 hex digits); 0, 1 or EXIT_USAGE. */
int load_chain_key(const struct args *a, uint8_t key[ANTIGONE_TESLA_KEY_LEN]);
/* 7d: parses hex of exactly @len bytes (a disclosed key); 0 or -EINVAL. */
int parse_hex_exact(const char *s, uint8_t *out, size_t len);
/* net.c */
bool is_multicast(const struct sockaddr_storage *ss);
/* net.c */
int multicast_sender(int fd, int family, int ifindex);
/* net.c */
int opt_ifindex(const struct args *a);
/* net.c */
int resolve(const char *addr, uint16_t port,
		   struct sockaddr_storage *ss, socklen_t *sslen);
/* net.c */
int sock_setopt(int fd, int level, int name, const void *val,
		  socklen_t len, const char *what);
/* the commands: send.c, recv.c, vectors.c */
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);
int cmd_vectors(int argc, char **argv);

#endif
