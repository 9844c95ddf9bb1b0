/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client of the antigone.ko generic netlink family (see docs/netlink.md).
 * All functions return 0 or a negative errno; where the kernel explained a
 * failure, kernel_last_error() returns its message.
 */
#ifndef ANTIGONE_DP_KERNEL_NL_H
#define ANTIGONE_DP_KERNEL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/antigone.h>

struct kernel_nl;

struct kernel_info {
	char version[32];
	uint32_t api;
	uint32_t max_groups;
	uint32_t max_selectors;	/* 0: not reported */
	uint32_t name_max;
};

struct kernel_selector {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* 4 bytes used for AF_INET */
	uint16_t port;
};

struct kernel_group {
	uint32_t id;
	char name[ANTIGONE_NAME_MAX + 1];
	uint8_t suite;
	uint8_t guarantee;
	uint8_t fail_policy;
	uint32_t hb_timeout_ms;
	uint32_t key_lifetime_ms;
	uint32_t rekey_grace_ms;
	int64_t allow_uid;	/* -1: none */
	int64_t allow_gid;	/* -1: none */
	unsigned int nsel;
	struct kernel_selector sel[ANTIGONE_MAX_SELECTORS];
	/* Reported by the kernel only: */
	uint32_t epoch;		/* current key, 0: none */
	uint32_t prev_epoch;	/* previous key still in grace, 0: none */
	uint8_t state;		/* enum antigone_group_state */
	uint16_t relay_port;	/* loopback relay inlet, 0: none */
	struct kernel_relay_report {
		uint8_t mode;	/* enum antigone_relay_mode */
		int family;	/* of leader, 0: none */
		uint8_t leader[16];
		uint32_t ifindex;
		uint32_t nmembers;
	} relay;
	uint32_t epoch_floor;	/* highest epoch ever installed */
	/* The current key's AEAD driver where the FPU is usable, and its
	 * fallback ("" without a key).
	 */
	char crypto_driver[64];
	char crypto_fallback[64];
	uint64_t stats[__ANTIGONE_STAT_MAX];
};

/* A member a relaying leader's kernel relays for (RELAY_MEMBERS). */
struct kernel_relay_member {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* 4 bytes used for AF_INET */
	uint32_t sender;
};

/* The kernel relay's settings, replaced as a whole (GROUP_SET RELAY_MODE). */
struct kernel_relay {
	uint8_t mode;		/* enum antigone_relay_mode */
	int leader_family;	/* RELAY_TO_LEADER */
	uint8_t leader[16];
	uint32_t ifindex;	/* RELAY_MULTICAST, 0: by route */
	size_t nmembers;
	const struct kernel_relay_member *members;
};

struct kernel_event {
	uint8_t type;		/* enum antigone_event */
	uint32_t group_id;
	char group_name[ANTIGONE_NAME_MAX + 1];
	uint32_t epoch;
	uint32_t sender;
};

/* Fields of a kernel_group request left at these values use the kernel's
 * defaults.
 */
void kernel_group_init(struct kernel_group *g);

/* -ENOENT: the module is not loaded (family "antigone" unknown);
 * -EPROTO: it speaks another ANTIGONE_GENL_VERSION than this program.
 */
int kernel_open(struct kernel_nl **out);
/* What a kernel_open() error means, for a user. */
const char *kernel_open_strerror(int err);
void kernel_close(struct kernel_nl *k);
const char *kernel_last_error(const struct kernel_nl *k);

int kernel_get_info(struct kernel_nl *k, struct kernel_info *info);
int kernel_group_new(struct kernel_nl *k, const struct kernel_group *req,
		     struct kernel_group *created);
int kernel_group_del(struct kernel_nl *k, uint32_t id, const char *name);
/* Relaying: the group's datagrams go to loopback @port (0: the network). */
int kernel_group_set_relay(struct kernel_nl *k, const char *name,
			   uint16_t port);
/* The leader heartbeat timeout of a live group (0: not checked). */
int kernel_group_set_relay_mode(struct kernel_nl *k, const char *name,
				const struct kernel_relay *r);
int kernel_group_set_hb_timeout(struct kernel_nl *k, const char *name,
				uint32_t ms);
int kernel_group_get(struct kernel_nl *k, uint32_t id, const char *name,
		     struct kernel_group *out);
/* Calls fn for each group; stops early if fn returns non-zero. */
int kernel_group_dump(struct kernel_nl *k,
		      int (*fn)(const struct kernel_group *g, void *arg),
		      void *arg);

/* Raw access, for requests the helpers above do not cover (and for tests
 * that send what the helpers never would): a message with the family's
 * header, and one exchange whose replies are handed to parse.
 */
struct nl_msg;
struct nlattr;
struct nl_msg *kernel_msg_new(struct kernel_nl *k, uint8_t cmd, int flags);
/* The same with room for @size bytes (0: libnl's default, a page). */
struct nl_msg *kernel_msg_new_sized(struct kernel_nl *k, uint8_t cmd,
				    int flags, size_t size);
int kernel_request(struct kernel_nl *k, struct nl_msg *msg,
		   int (*parse)(struct nlattr **tb, void *arg), void *arg);
/* The ANTIGONE_A_GROUP nest naming a group by @id and/or @name. */
int kernel_put_group_ref(struct nl_msg *msg, uint32_t id, const char *name);

/*
 * 7d (docs/sender-authenticity.md, "Netlink"): the clock bound, a chain
 * (entry: epoch, sender, chain, N, T, d, t0, commitment; @own for this
 * host's index), own keys (n x 16 bytes), a disclosed key.
 */
struct kernel_tesla_chain {
	uint32_t epoch, sender, chain, chain_len, period_us;
	uint8_t lag;
	uint64_t t0_ns;
	uint8_t commitment[16];
};

/* One (epoch, sender) with chains, as GROUP_GET reports it. */
struct kernel_tesla_peer {
	uint32_t epoch, sender, chain, chain_len, period_us, verified;
	uint8_t lag;
	uint64_t t0_ns;
	bool own;
	uint32_t ring_lo, ring_hi;	/* own keys held; 0, 0: none */
};

int kernel_tesla_clock(struct kernel_nl *k, const char *group, uint64_t t_s,
		       uint64_t t_r, uint64_t t_sl, uint32_t drift_ppm);
int kernel_tesla_chain_add(struct kernel_nl *k, const char *group,
			   const struct kernel_tesla_chain *c, bool own);
int kernel_tesla_keys(struct kernel_nl *k, const char *group, uint32_t epoch,
		      uint32_t chain, uint32_t first, const uint8_t *keys,
		      size_t n);
int kernel_tesla_disclose(struct kernel_nl *k, const char *group,
			  uint32_t epoch, uint32_t sender, uint32_t interval,
			  const uint8_t key[16]);
/*
 * The group's peers, one call of @fn each, and its clock bound's width
 * (*width_ns, UINT64_MAX if none).
 */
int kernel_tesla_peers(struct kernel_nl *k, const char *group,
		       int (*fn)(const struct kernel_tesla_peer *p, void *arg),
		       void *arg, uint64_t *width_ns);

/* Installs the key of @epoch (key: 16 or 32 bytes, by suite). @sender is
 * this host's sender index, 0 to receive only; @lifetime_ms < 0: the
 * group's default.
 */
int kernel_key_add(struct kernel_nl *k, const char *group, uint32_t epoch,
		   uint32_t sender, const uint8_t *key, size_t key_len,
		   int64_t lifetime_ms);
int kernel_key_del(struct kernel_nl *k, const char *group, uint32_t epoch);
/*
 * Gives the current key (of @epoch) a new own sender index: a rejoin
 * without a rekey. -ENOENT if the current key is not of that epoch.
 */
int kernel_key_set_sender(struct kernel_nl *k, const char *group,
			  uint32_t epoch, uint32_t sender);
/* A verified leader heartbeat: its sequence and the epoch of its view. */
int kernel_heartbeat(struct kernel_nl *k, const char *group, uint64_t seq,
		     uint32_t epoch);

/* Events: a separate socket subscribed to the "events" group. */
int kernel_events_open(struct kernel_nl **out);
int kernel_events_fd(const struct kernel_nl *k);
/* Reads what is pending (blocking if nothing is) and calls fn for each. */
int kernel_events_read(struct kernel_nl *k,
		       void (*fn)(const struct kernel_event *ev, void *arg),
		       void *arg);

const char *kernel_state_name(uint8_t state);
const char *kernel_event_name(uint8_t type);
const char *kernel_stat_name(int stat);

const char *kernel_suite_name(uint8_t suite);
const char *kernel_guarantee_name(uint8_t guarantee);
/* ADDR:PORT, or [V6ADDR]:PORT: as the configuration and the CLI take it. */
void kernel_selector_str(const struct kernel_selector *sel, char *buf,
			 size_t len);
const char *kernel_fail_policy_name(uint8_t policy);

#endif
