/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Antigone: secure group communication for IP multicast.
 *
 * The one header shared by the kernel module (kmod/) and userspace (keyd/,
 * tools/, selftests/): the generic netlink API and its version. See
 * docs/netlink.md for the semantics of each command and attribute.
 *
 * Compatibility: values are only ever appended; a removed value stays
 * reserved. ANTIGONE_GENL_VERSION changes when a command changes meaning
 * (2: every command's attributes in nests of their own, a policy per
 * command; version 1 had one flat attribute space and was never released).
 */
#ifndef _UAPI_LINUX_ANTIGONE_H
#define _UAPI_LINUX_ANTIGONE_H

#include <linux/types.h>

#define ANTIGONE_GENL_NAME		"antigone"
#define ANTIGONE_GENL_VERSION		2
#define ANTIGONE_GENL_MCGRP_EVENTS	"events"

/* Group names: 1..15 characters [A-Za-z0-9._-], as identities are. */
#define ANTIGONE_NAME_MAX		15
/* Selectors (address, port) of one group: GROUP_NEW takes this many. */
#define ANTIGONE_MAX_SELECTORS		16
/* Members a relaying leader's kernel knows (ANTIGONE_GROUP_A_RELAY_MEMBERS). */
#define ANTIGONE_RELAY_MAX_MEMBERS	1024

/*
 * The message trees. Every request and reply carries top-level nests, one
 * per object (enum antigone_attr); each nest has an attribute space of its
 * own (enum antigone_<object>_attr). Each command has a policy of its own:
 * an attribute not listed for that command, in that nest, is refused
 * (EINVAL), so is an output-only one in a request. "ref" below is
 * ANTIGONE_GROUP_A_ID and/or ANTIGONE_GROUP_A_NAME (at least one; both
 * must match when both are given).
 *
 * ANTIGONE_CMD_GET_INFO
 *   request: nothing
 *   reply:   ANTIGONE_A_INFO: NLA_NESTED
 *              ANTIGONE_INFO_A_VERSION: NLA_NUL_STRING, the module's
 *              ANTIGONE_INFO_A_API: NLA_U32, ANTIGONE_GENL_VERSION
 *              ANTIGONE_INFO_A_MAX_GROUPS: NLA_U32, per network namespace
 *              ANTIGONE_INFO_A_MAX_SELECTORS: NLA_U32, per group
 *              ANTIGONE_INFO_A_NAME_MAX: NLA_U32, longest group name
 *
 * ANTIGONE_CMD_GROUP_NEW (admin)
 *   request: ANTIGONE_A_GROUP: NLA_NESTED
 *              ANTIGONE_GROUP_A_NAME (required)
 *              ANTIGONE_GROUP_A_SUITE, _GUARANTEE, _FAIL_POLICY,
 *              _HB_TIMEOUT_MS, _KEY_LIFETIME_MS, _REKEY_GRACE_MS,
 *              _ALLOW_UID, _ALLOW_GID (each optional: the defaults)
 *              ANTIGONE_GROUP_A_SELECTORS: NLA_NESTED (optional)
 *                0: NLA_NESTED, one per selector (its type is ignored)
 *                  ANTIGONE_SELECTOR_A_ADDR (required)
 *                  ANTIGONE_SELECTOR_A_PORT (required)
 *                0: NLA_NESTED
 *                  ...
 *   reply:   as ANTIGONE_CMD_GROUP_GET
 *
 * ANTIGONE_CMD_GROUP_DEL (admin)
 *   request: ANTIGONE_A_GROUP: NLA_NESTED
 *              ref
 *
 * ANTIGONE_CMD_GROUP_GET
 *   request: ANTIGONE_A_GROUP: NLA_NESTED
 *              ref
 *            (or NLM_F_DUMP and nothing: every group, in id order)
 *   reply:   ANTIGONE_A_GROUP: NLA_NESTED
 *              ANTIGONE_GROUP_A_ID, _NAME, _SUITE, _GUARANTEE,
 *              _FAIL_POLICY, _HB_TIMEOUT_MS, _KEY_LIFETIME_MS,
 *              _REKEY_GRACE_MS, _RELAY_PORT, _RELAY_MODE, _EPOCH,
 *              _EPOCH_FLOOR, _STATE
 *              ANTIGONE_GROUP_A_RELAY_LEADER, _RELAY_IFINDEX (as set)
 *              ANTIGONE_GROUP_A_RELAY_NMEMBERS (a leader mode's)
 *              ANTIGONE_GROUP_A_ALLOW_UID, _ALLOW_GID (if set)
 *              ANTIGONE_GROUP_A_PREV_EPOCH (while the previous key lives)
 *              ANTIGONE_GROUP_A_CRYPTO_DRIVER, _CRYPTO_FALLBACK (with a key)
 *              ANTIGONE_GROUP_A_SELECTORS (if any): as in GROUP_NEW
 *              ANTIGONE_GROUP_A_STATS: NLA_NESTED
 *                enum antigone_stat: NLA_U64 each (ANTIGONE_STAT_UNSPEC
 *                                    pads them to 8 bytes: skip it)
 *
 * ANTIGONE_CMD_GROUP_SET (admin): what may change in a live group
 *   request: ANTIGONE_A_GROUP: NLA_NESTED
 *              ref
 *              ANTIGONE_GROUP_A_RELAY_PORT and/or _HB_TIMEOUT_MS
 *              and/or ANTIGONE_GROUP_A_RELAY_MODE, which replaces the
 *              kernel relay's settings as a whole:
 *                RELAY_TO_LEADER: _RELAY_LEADER (required)
 *                RELAY_MULTICAST, RELAY_UNICAST: _RELAY_MEMBERS
 *                  (optional, none: no member's datagram is relayed):
 *                  NLA_NESTED: entries of type 0, each NLA_NESTED:
 *                    ANTIGONE_RELAY_MEMBER_A_ADDR, _SENDER (required)
 *                  and _RELAY_IFINDEX (optional)
 *                RELAY_NONE: nothing
 *
 * ANTIGONE_CMD_KEY_ADD (admin)
 *   request: ANTIGONE_A_GROUP: NLA_NESTED
 *              ref
 *            ANTIGONE_A_KEY: NLA_NESTED
 *              ANTIGONE_KEY_A_EPOCH (required), _DATA (required)
 *              ANTIGONE_KEY_A_SENDER, _LIFETIME_MS (optional)
 *
 * ANTIGONE_CMD_KEY_DEL (admin)
 *   request: ANTIGONE_A_GROUP: ref; ANTIGONE_A_KEY: ANTIGONE_KEY_A_EPOCH
 *
 * ANTIGONE_CMD_KEY_SET (admin): own new sender index under the current
 * key (a rejoin without a rekey)
 *   request: ANTIGONE_A_GROUP: ref
 *            ANTIGONE_A_KEY: ANTIGONE_KEY_A_EPOCH, ANTIGONE_KEY_A_SENDER
 *
 * ANTIGONE_CMD_HEARTBEAT (admin): a verified leader heartbeat
 *   request: ANTIGONE_A_GROUP: ref
 *            ANTIGONE_A_HEARTBEAT: NLA_NESTED
 *              ANTIGONE_HEARTBEAT_A_SEQ (required), _EPOCH (optional)
 *
 * ANTIGONE_CMD_TESLA_CLOCK, _TESLA_CHAIN_ADD, _TESLA_KEYS, _TESLA_DISCLOSE
 *   (admin): 7d's state, ANTIGONE_A_GROUP ref and ANTIGONE_A_TESLA: see
 *   docs/netlink.md
 *
 * ANTIGONE_CMD_EVENT: a notification on the "events" multicast group only
 *   message: ANTIGONE_A_GROUP: NLA_NESTED
 *              ANTIGONE_GROUP_A_ID, ANTIGONE_GROUP_A_NAME
 *            ANTIGONE_A_EVENT: NLA_NESTED
 *              ANTIGONE_EVENT_A_TYPE, _EPOCH, _SENDER
 */
enum antigone_cmd {
	ANTIGONE_CMD_UNSPEC,
	ANTIGONE_CMD_GET_INFO,
	ANTIGONE_CMD_GROUP_NEW,
	ANTIGONE_CMD_GROUP_DEL,
	ANTIGONE_CMD_GROUP_GET,
	ANTIGONE_CMD_GROUP_SET,
	ANTIGONE_CMD_KEY_ADD,
	ANTIGONE_CMD_KEY_DEL,
	ANTIGONE_CMD_KEY_SET,
	ANTIGONE_CMD_HEARTBEAT,
	ANTIGONE_CMD_EVENT,
	ANTIGONE_CMD_TESLA_CLOCK,	/* 7d: docs/sender-authenticity.md */
	ANTIGONE_CMD_TESLA_CHAIN_ADD,
	ANTIGONE_CMD_TESLA_KEYS,
	ANTIGONE_CMD_TESLA_DISCLOSE,

	__ANTIGONE_CMD_MAX,
	ANTIGONE_CMD_MAX = __ANTIGONE_CMD_MAX - 1
};

/* The top level of every message: a nest per object. */
enum antigone_attr {
	ANTIGONE_A_UNSPEC,
	ANTIGONE_A_INFO,		/* nest: enum antigone_info_attr */
	ANTIGONE_A_GROUP,		/* nest: enum antigone_group_attr */
	ANTIGONE_A_KEY,			/* nest: enum antigone_key_attr */
	ANTIGONE_A_HEARTBEAT,		/* nest: enum antigone_heartbeat_attr */
	ANTIGONE_A_EVENT,		/* nest: enum antigone_event_attr */
	ANTIGONE_A_TESLA,		/* nest: enum antigone_tesla_attr */

	__ANTIGONE_A_MAX,
	ANTIGONE_A_MAX = __ANTIGONE_A_MAX - 1
};

enum antigone_info_attr {
	ANTIGONE_INFO_A_UNSPEC,
	ANTIGONE_INFO_A_VERSION,	/* string: module version */
	ANTIGONE_INFO_A_API,		/* u32: ANTIGONE_GENL_VERSION */
	ANTIGONE_INFO_A_MAX_GROUPS,	/* u32: groups per network namespace */
	ANTIGONE_INFO_A_MAX_SELECTORS,	/* u32: ANTIGONE_MAX_SELECTORS */
	ANTIGONE_INFO_A_NAME_MAX,	/* u32: ANTIGONE_NAME_MAX */

	__ANTIGONE_INFO_A_MAX,
	ANTIGONE_INFO_A_MAX = __ANTIGONE_INFO_A_MAX - 1
};

enum antigone_group_attr {
	ANTIGONE_GROUP_A_UNSPEC,
	ANTIGONE_GROUP_A_ID,		/* u32, assigned by the kernel, != 0 */
	ANTIGONE_GROUP_A_NAME,		/* string, 1..ANTIGONE_NAME_MAX */
	ANTIGONE_GROUP_A_SUITE,		/* u8: enum antigone_suite */
	ANTIGONE_GROUP_A_GUARANTEE,	/* u8: enum antigone_guarantee (minimum) */
	ANTIGONE_GROUP_A_FAIL_POLICY,	/* u8: enum antigone_fail_policy */
	ANTIGONE_GROUP_A_HB_TIMEOUT_MS,	/* u32: leader heartbeat timeout, 0 = none */
	ANTIGONE_GROUP_A_KEY_LIFETIME_MS, /* u32: key lifetime, 0 = unlimited */
	ANTIGONE_GROUP_A_REKEY_GRACE_MS, /* u32: previous key kept this long */
	ANTIGONE_GROUP_A_ALLOW_UID,	/* u32: may attach sockets without CAP_NET_ADMIN */
	ANTIGONE_GROUP_A_ALLOW_GID,	/* u32: likewise, by group */
	ANTIGONE_GROUP_A_SELECTORS,	/* nest of nests of enum antigone_selector_attr */
	ANTIGONE_GROUP_A_RELAY_PORT,	/* u16: relay inlet on loopback, 0 = none */
	ANTIGONE_GROUP_A_EPOCH,		/* u32, reply: current key's epoch, 0 = none */
	ANTIGONE_GROUP_A_PREV_EPOCH,	/* u32, reply: previous key's, in grace */
	ANTIGONE_GROUP_A_EPOCH_FLOOR,	/* u32, reply: the highest epoch ever
					 * installed; KEY_ADD needs a higher one
					 */
	ANTIGONE_GROUP_A_STATE,		/* u8, reply: enum antigone_group_state */
	ANTIGONE_GROUP_A_STATS,		/* nest, reply: enum antigone_stat (u64) */
	ANTIGONE_GROUP_A_CRYPTO_DRIVER,	/* string, reply: the AEAD driver of the
					 * current key where the FPU is usable
					 */
	ANTIGONE_GROUP_A_CRYPTO_FALLBACK, /* string, reply: its driver otherwise */
	ANTIGONE_GROUP_A_RELAY_MODE,	/* u8: enum antigone_relay_mode */
	ANTIGONE_GROUP_A_RELAY_LEADER,	/* binary: IPv4 (4) or IPv6 (16) address */
	ANTIGONE_GROUP_A_RELAY_MEMBERS,	/* nest of nests of
					 * enum antigone_relay_member_attr
					 */
	ANTIGONE_GROUP_A_RELAY_IFINDEX,	/* u32: multicast out, 0 = by route */
	ANTIGONE_GROUP_A_RELAY_NMEMBERS, /* u32, reply: RELAY_MEMBERS entries */
	ANTIGONE_GROUP_A_TESLA_PEERS,	/* nest, reply: nests of enum
					 * antigone_tesla_attr, one per
					 * (epoch, sender) with chains
					 */
	ANTIGONE_GROUP_A_TESLA_CLOCK_WIDTH, /* u64, reply: the 7d clock
					     * bound's width now, ns
					     */

	__ANTIGONE_GROUP_A_MAX,
	ANTIGONE_GROUP_A_MAX = __ANTIGONE_GROUP_A_MAX - 1
};

enum antigone_selector_attr {
	ANTIGONE_SELECTOR_A_UNSPEC,
	ANTIGONE_SELECTOR_A_ADDR,	/* binary: IPv4 (4) or IPv6 (16) address */
	ANTIGONE_SELECTOR_A_PORT,	/* u16: UDP destination port, != 0 */

	__ANTIGONE_SELECTOR_A_MAX,
	ANTIGONE_SELECTOR_A_MAX = __ANTIGONE_SELECTOR_A_MAX - 1
};

/* A member a relaying leader's kernel relays for: where its datagrams come
 * from and the sender index they carry (a datagram under another index
 * from that address is not relayed).
 */
enum antigone_relay_member_attr {
	ANTIGONE_RELAY_MEMBER_A_UNSPEC,
	ANTIGONE_RELAY_MEMBER_A_ADDR,	/* binary: IPv4 (4) or IPv6 (16) address */
	ANTIGONE_RELAY_MEMBER_A_SENDER,	/* u32: its sender index, != 0 */

	__ANTIGONE_RELAY_MEMBER_A_MAX,
	ANTIGONE_RELAY_MEMBER_A_MAX = __ANTIGONE_RELAY_MEMBER_A_MAX - 1
};

enum antigone_key_attr {
	ANTIGONE_KEY_A_UNSPEC,
	ANTIGONE_KEY_A_EPOCH,		/* u32, != 0: which view's key */
	ANTIGONE_KEY_A_DATA,		/* binary: 16 or 32 bytes, by suite */
	ANTIGONE_KEY_A_SENDER,		/* u32: own sender index, 0 = receive only */
	ANTIGONE_KEY_A_LIFETIME_MS,	/* u32: overrides the group's, 0 = unlimited */

	__ANTIGONE_KEY_A_MAX,
	ANTIGONE_KEY_A_MAX = __ANTIGONE_KEY_A_MAX - 1
};

enum antigone_heartbeat_attr {
	ANTIGONE_HEARTBEAT_A_UNSPEC,
	ANTIGONE_HEARTBEAT_A_SEQ,	/* u64: leader heartbeat sequence, increasing */
	ANTIGONE_HEARTBEAT_A_EPOCH,	/* u32: the epoch the leader's view uses */

	__ANTIGONE_HEARTBEAT_A_MAX,
	ANTIGONE_HEARTBEAT_A_MAX = __ANTIGONE_HEARTBEAT_A_MAX - 1
};

enum antigone_event_attr {
	ANTIGONE_EVENT_A_UNSPEC,
	ANTIGONE_EVENT_A_TYPE,		/* u8: enum antigone_event */
	ANTIGONE_EVENT_A_EPOCH,		/* u32: of the datagram or key */
	ANTIGONE_EVENT_A_SENDER,	/* u32: of the datagram, 0 if none */

	__ANTIGONE_EVENT_A_MAX,
	ANTIGONE_EVENT_A_MAX = __ANTIGONE_EVENT_A_MAX - 1
};

/*
 * 7d, sender authenticity (docs/sender-authenticity.md): the clock bound,
 * chains, a sender's own keys and disclosed keys. Which attributes each
 * TESLA_* command takes is in docs/netlink.md.
 */
enum antigone_tesla_attr {
	ANTIGONE_TESLA_A_UNSPEC,
	ANTIGONE_TESLA_A_T_S,		/* u64: local boottime, request sent */
	ANTIGONE_TESLA_A_T_R,		/* u64: local boottime, answer received */
	ANTIGONE_TESLA_A_T_SL,		/* u64: the leader's boottime read */
	ANTIGONE_TESLA_A_DRIFT_PPM,	/* u32: 0..100000 */
	ANTIGONE_TESLA_A_EPOCH,		/* u32, != 0 */
	ANTIGONE_TESLA_A_SENDER,	/* u32 */
	ANTIGONE_TESLA_A_CHAIN,		/* u32: c, intervals cN+1 .. (c+1)N */
	ANTIGONE_TESLA_A_CHAIN_LEN,	/* u32: N, 16..65536 */
	ANTIGONE_TESLA_A_PERIOD_US,	/* u32: T, 1000..10000000 */
	ANTIGONE_TESLA_A_LAG,		/* u8: d, >= 1 */
	ANTIGONE_TESLA_A_T0_NS,		/* u64: schedule start, leader time */
	ANTIGONE_TESLA_A_COMMITMENT,	/* binary, 16: C_c */
	ANTIGONE_TESLA_A_OWN,		/* flag: this host's own sender index */
	ANTIGONE_TESLA_A_FIRST,		/* u32: interval of the first key */
	ANTIGONE_TESLA_A_KEYS,		/* binary: n x 16 bytes, 1..512 keys */
	ANTIGONE_TESLA_A_INTERVAL,	/* u32: a disclosed key's interval */
	ANTIGONE_TESLA_A_KEY,		/* binary, 16: a chain key */
	ANTIGONE_TESLA_A_VERIFIED,	/* u32, reply: newest verified interval */
	ANTIGONE_TESLA_A_RING_LO,	/* u32, reply: own keys held from */
	ANTIGONE_TESLA_A_RING_HI,	/* u32, reply: ... to */

	__ANTIGONE_TESLA_A_MAX,
	ANTIGONE_TESLA_A_MAX = __ANTIGONE_TESLA_A_MAX - 1
};

/* Cipher suites of the datapath (all AEADs; 7b uses their stream cipher). */
enum antigone_suite {
	ANTIGONE_SUITE_AES128_GCM = 1,	/* default */
	ANTIGONE_SUITE_AES256_GCM = 2,
	ANTIGONE_SUITE_CHACHA20_POLY1305 = 3,
};

/* Message guarantees, the paper's messages 7a-7c; also the wire's low nibble. */
enum antigone_guarantee {
	ANTIGONE_G_INTEGRITY = 1,	/* 7a: clear payload, tag over all */
	ANTIGONE_G_CONFIDENTIALITY = 2,	/* 7b: encrypted, no tag: malleable */
	ANTIGONE_G_BOTH = 3,		/* 7c: AEAD (default) */
};

/*
 * The relay in the kernel (asymmetric and point-to-point transports, groups
 * whose datagrams carry a tag: 7a or 7c). A member's kernel sends each
 * protected datagram of the group by unicast to its leader, to the same
 * UDP port; the leader's kernel checks it as a receiver would, with
 * windows of its own, and sends the same bytes on.
 */
enum antigone_relay_mode {
	ANTIGONE_RELAY_NONE = 0,
	ANTIGONE_RELAY_TO_LEADER = 1,	/* member: to RELAY_LEADER */
	ANTIGONE_RELAY_MULTICAST = 2,	/* leader: to the selectors on its port */
	ANTIGONE_RELAY_UNICAST = 3,	/* leader: a copy to every other member;
					 * its own datagrams too
					 */
};

/* What a group does when its key expired or the leader heartbeat is stale. */
enum antigone_fail_policy {
	ANTIGONE_FAIL_CLOSED = 0,	/* drop and count every datagram (default) */
	ANTIGONE_FAIL_EVENT_ONLY = 1,	/* keep working, only raise the event */
};

/* Whether the group can carry traffic now (the datapath's view). */
enum antigone_group_state {
	ANTIGONE_STATE_NO_KEY = 0,	/* no current key installed */
	ANTIGONE_STATE_OK = 1,
	ANTIGONE_STATE_KEY_EXPIRED = 2,	/* current key past its lifetime */
	ANTIGONE_STATE_HB_STALE = 3,	/* no leader heartbeat within timeout */
	ANTIGONE_STATE_KEY_STALE = 4,	/* a heartbeat named a newer epoch */
};

/* Events on the "events" multicast group (rate limited per group). */
enum antigone_event {
	ANTIGONE_EV_UNKNOWN_EPOCH = 1,	/* datagram under a newer epoch: missed rekey */
	ANTIGONE_EV_KEY_EXPIRED = 2,
	ANTIGONE_EV_HB_STALE = 3,
	ANTIGONE_EV_AUTH_FAILED = 4,	/* a datagram failed authentication */
	ANTIGONE_EV_KEY_STALE = 5,	/* heartbeat epoch newer than our key */
};

/* Per-group counters, nested in ANTIGONE_GROUP_A_STATS, each a u64. */
enum antigone_stat {
	ANTIGONE_STAT_UNSPEC,
	ANTIGONE_STAT_OUT_PKTS,		/* datagrams protected and sent */
	ANTIGONE_STAT_OUT_BYTES,	/* their payload bytes */
	ANTIGONE_STAT_OUT_NO_KEY,	/* dropped: no key or receive-only key */
	ANTIGONE_STAT_OUT_STALE,	/* dropped: heartbeat or key stale */
	ANTIGONE_STAT_OUT_EXPIRED,	/* dropped: key expired */
	ANTIGONE_STAT_OUT_ERRORS,	/* dropped: memory, crypto, sequence exhausted */
	ANTIGONE_STAT_IN_PKTS,		/* datagrams verified and delivered */
	ANTIGONE_STAT_IN_BYTES,
	ANTIGONE_STAT_IN_MALFORMED,	/* dropped: short, bad version or fields */
	ANTIGONE_STAT_IN_NOT_VALID,	/* dropped: authentication failed */
	ANTIGONE_STAT_IN_REPLAYED,	/* dropped: sequence seen or too old */
	ANTIGONE_STAT_IN_UNKNOWN_EPOCH,	/* dropped: epoch newer than our key */
	ANTIGONE_STAT_IN_OLD_EPOCH,	/* dropped: epoch retired (grace over) */
	ANTIGONE_STAT_IN_STALE,		/* dropped: heartbeat or key stale */
	ANTIGONE_STAT_IN_EXPIRED,	/* dropped: key expired */
	ANTIGONE_STAT_IN_CLEAR,		/* dropped: unprotected datagram */
	ANTIGONE_STAT_IN_WEAK,		/* dropped: weaker guarantee than required */
	ANTIGONE_STAT_IN_ERRORS,	/* dropped: memory, too many senders */
	ANTIGONE_STAT_IN_CSUM,		/* dropped: bad UDP checksum */
	ANTIGONE_STAT_OUT_RELAYED,	/* of OUT_PKTS: to the relay inlet or the
					 * leader (RELAY_TO_LEADER, UNICAST)
					 */
	ANTIGONE_STAT_OUT_MALFORMED,	/* dropped: IP or UDP lengths inconsistent,
					 * or a tagged socket's datagram that
					 * does not parse
					 */
	ANTIGONE_STAT_OUT_UNHOOKED,	/* dropped: sent by a tagged socket whose
					 * owner replaced its UDP encapsulation
					 */
	ANTIGONE_STAT_RELAY_IN,		/* leader: members' datagrams verified
					 * and sent on (not in IN_PKTS)
					 */
	ANTIGONE_STAT_RELAY_COPIES,	/* leader: copies of them sent */
	ANTIGONE_STAT_RELAY_REFUSED,	/* leader: not relayed before any crypto:
					 * no header or no tag, a sender index
					 * not of the member at that address,
					 * a GRO train
					 */
	ANTIGONE_STAT_RELAY_ERRORS,	/* a copy not sent: no route, memory */

	__ANTIGONE_STAT_MAX,
	ANTIGONE_STAT_MAX = __ANTIGONE_STAT_MAX - 1
};

/*
 * Socket tagging: setsockopt(fd, SOL_IP or SOL_IPV6, ANTIGONE_SO_ATTACH,
 * &struct antigone_attach, sizeof) on a UDP socket; getsockopt with
 * ANTIGONE_SO_ATTACH reports the attachment (ENOENT if none);
 * ANTIGONE_SO_DETACH (no argument) detaches. Option numbers are owned
 * through netfilter's sockopt range registration.
 */
#define ANTIGONE_SO_BASE		0x4154
#define ANTIGONE_SO_ATTACH		(ANTIGONE_SO_BASE + 0)
#define ANTIGONE_SO_DETACH		(ANTIGONE_SO_BASE + 1)
#define ANTIGONE_SO_MAX			(ANTIGONE_SO_BASE + 2)

struct antigone_attach {
	__u32 group_id;		/* the group, or 0 to name it by group_name */
	__u8 guarantee;		/* 0: the group's minimum; or a stronger one */
	__u8 flags;		/* ANTIGONE_ATTACH_* */
	__u8 reserved[2];	/* must be zero */
	char group_name[ANTIGONE_NAME_MAX + 1];
};

/*
 * A forwarding socket (CAP_NET_ADMIN): it sends datagrams of the group
 * that are protected already (the leader's relay) and receives as an
 * ordinary socket; the datapath leaves both directions alone.
 */
#define ANTIGONE_ATTACH_FORWARD		0x01

/*
 * Data wire format v1 (messages 7a-7c): the UDP payload of a protected
 * datagram is this header, the payload (clear for 7a, encrypted for 7b/7c)
 * and, for 7a and 7c, a 16-byte tag. All fields big endian.
 */
#define ANTIGONE_WIRE_VERSION		1
#define ANTIGONE_WIRE_HDR_LEN		20
#define ANTIGONE_WIRE_TAG_LEN		16
#define ANTIGONE_WIRE_OVERHEAD		(ANTIGONE_WIRE_HDR_LEN + ANTIGONE_WIRE_TAG_LEN)

struct antigone_wire_hdr {
	__u8 version_guarantee;	/* version << 4 | guarantee */
	__u8 flags;		/* none defined: zero */
	__be16 reserved;	/* zero */
	__be32 epoch;
	__be32 sender;
	__be32 seq_hi;		/* sequence, from 1, per sender and epoch: */
	__be32 seq_lo;		/* two halves keep the struct 20 bytes */
};

#endif /* _UAPI_LINUX_ANTIGONE_H */
