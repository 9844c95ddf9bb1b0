// SPDX-License-Identifier: GPL-2.0
/*
 * antigoned's metrics (see metrics.h). Every family's samples are
 * written together, as the format requires: a family at a time, over
 * all groups.
 */
#include <string.h>

#include "lib/names.h"
#include "lib/prom.h"
#include "lib/util.h"
#include "metrics.h"
#include "mech/policy.h"
#include "session.h"
#include "ttp.h"

/* A group's slot, if it is one: its configuration, and its session
 * (NULL if it is not running).
 */
struct slot {
	const struct config_group *g;
	const struct session *s;
};

static size_t slots(const struct metrics_daemon *d,
		    struct slot out[CONFIG_MAX_GROUPS])
{
	size_t i, n = 0;

	for (i = 0; i < d->cfg->ngroups && i < CONFIG_MAX_GROUPS; i++) {
		if (!d->cfg->groups[i].name[0])
			continue;
		out[n].g = &d->cfg->groups[i];
		out[n].s = d->session_on[i] ? &d->sessions[i] : NULL;
		n++;
	}
	return n;
}

static const char *role_name(const struct config_group *g)
{
	return g->role == ROLE_LEADER ? "leader" : "member";
}

/* A per-group value: false if it has none (not running, other role). */
typedef bool (*slot_value)(const struct slot *sl, uint64_t *v);

static bool running(const struct slot *sl, uint64_t *v)
{
	*v = sl->s != NULL;
	return true;
}

static bool view(const struct slot *sl, uint64_t *v)
{
	const struct session *s = sl->s;

	if (!s)
		return false;
	if (sl->g->role == ROLE_LEADER)
		*v = s->leader.view.g.number;
	else
		*v = s->member.ms.have_key ? s->member.ms.g.number : 0;
	return true;
}

static bool view_members(const struct slot *sl, uint64_t *v)
{
	const struct session *s = sl->s;

	if (!s)
		return false;
	if (sl->g->role == ROLE_LEADER)
		*v = s->leader.view.n;
	else if (s->member.ms.members)
		*v = s->member.ms.members;
	else
		return false;	/* not told (membership = no) */
	return true;
}

#define ST_VALUE(field) \
static bool st_##field(const struct slot *sl, uint64_t *v) \
{ \
	if (!sl->s) \
		return false; \
	*v = sl->s->st.field; \
	return true; \
}
ST_VALUE(dropped)
ST_VALUE(rekeys)
ST_VALUE(relayed)
ST_VALUE(relay_dropped)

/* A value of one role's sessions only: NAME(slot, value) reads EXPR of s. */
#define ROLE_VALUE(name, which, expr) \
static bool name(const struct slot *sl, uint64_t *v) \
{ \
	const struct session *s = sl->s; \
	if (!s || sl->g->role != (which)) \
		return false; \
	*v = (expr); \
	return true; \
}
ROLE_VALUE(member_joined, ROLE_MEMBER, s->member.ms.auth.joined)
ROLE_VALUE(member_leader_failed, ROLE_MEMBER, s->member.leader_down)
/* Why a member is not in (member.c keeps it JOIN_PENDING once joined). */
ROLE_VALUE(member_no_answer, ROLE_MEMBER,
	   s->member.problem == JOIN_NO_ANSWER)
ROLE_VALUE(member_bad_key, ROLE_MEMBER, s->member.problem == JOIN_BAD_KEY)
ROLE_VALUE(leader_ttp_unanswered, ROLE_LEADER, s->leader.ttp_unanswered)
ROLE_VALUE(leader_ttp_unopened, ROLE_LEADER, s->leader.ttp_unopened)

static bool member_sender(const struct slot *sl, uint64_t *v)
{
	if (!sl->s || sl->g->role != ROLE_MEMBER || !sl->s->member.ms.have_key)
		return false;
	*v = sl->s->member.ms.key.sender;
	return true;
}

static const struct {
	const char *name, *type, *help;
	slot_value value;
} group_families[] = {
	{ "antigone_group_running", "gauge",
	  "1 if the group's session runs (0: it could not start).", running },
	{ "antigone_view", "gauge", "The view (= key epoch) the group is "
	  "at: the leader's, or the one whose key a member holds (0: none).",
	  view },
	{ "antigone_view_members", "gauge", "Members of the view (leader; a "
	  "member only if the leader tells it: membership = yes).",
	  view_members },
	{ "antigone_control_dropped_total", "counter", "Control datagrams "
	  "refused: malformed, not authentic, replayed, unexpected.",
	  st_dropped },
	{ "antigone_rekeys_total", "counter", "Rekeys (new views) of the "
	  "group: made by the leader, followed by a member.", st_rekeys },
	{ "antigone_relay_forwarded_total", "counter", "Application "
	  "datagrams carried in RELAY messages (member: sent to the leader; "
	  "leader: sent on to the group).", st_relayed },
	{ "antigone_relay_dropped_total", "counter", "RELAY messages or "
	  "relayed datagrams refused: forged, replayed, wrong sender index.",
	  st_relay_dropped },
	{ "antigone_member_joined", "gauge", "Member: 1 once authenticated "
	  "and admitted by the leader.", member_joined },
	{ "antigone_member_leader_failed", "gauge", "Member: 1 while the "
	  "leader is declared failed (its heartbeats stopped).",
	  member_leader_failed },
	{ "antigone_member_sender_index", "gauge", "Member: its sender "
	  "index under the current key.", member_sender },
	{ "antigone_member_no_answer", "gauge", "Member: 1 while not "
	  "joined and 5 or more tries of message 1 went unanswered.",
	  member_no_answer },
	{ "antigone_member_wrong_key", "gauge", "Member: 1 while not joined "
	  "and an answer (4) did not open under this host's key.",
	  member_bad_key },
	{ "antigone_leader_ttp_unanswered_total", "counter", "Leader: join "
	  "requests the TTP left unanswered (an identity it does not know, "
	  "or unreachable).", leader_ttp_unanswered },
	{ "antigone_leader_ttp_unopened_total", "counter", "Leader: TTP "
	  "answers (3) that did not open under this leader's key.",
	  leader_ttp_unopened },
};

static void group_labels(const struct slot *sl, char *l, size_t len)
{
	prom_labels(l, len, "group", sl->g->name, "role", role_name(sl->g),
		    NULL);
}

static void write_group_family(FILE *out, const struct slot *sl, size_t n,
			       unsigned int f)
{
	char l[PROM_LABELS_MAX];
	uint64_t v;
	bool head = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!group_families[f].value(&sl[i], &v))
			continue;
		if (!head)
			prom_family(out, group_families[f].name,
				    group_families[f].type,
				    group_families[f].help);
		head = true;
		group_labels(&sl[i], l, sizeof(l));
		prom_sample(out, group_families[f].name, l, v);
	}
}

static void write_group_info(FILE *out, const struct slot *sl, size_t n)
{
	static const char name[] = "antigone_group_info";
	char l[PROM_LABELS_MAX];
	size_t i;

	if (!n)
		return;
	prom_family(out, name, "gauge", "A group of the daemon (always 1): "
		    "its role, policy (leader) or leader (member), transport "
		    "and kernel relay.");
	for (i = 0; i < n; i++) {
		const struct config_group *g = sl[i].g;
		const struct session *s = sl[i].s;
		bool lead = g->role == ROLE_LEADER;

		prom_labels(l, sizeof(l), "group", g->name,
			    "role", role_name(g),
			    "policy", lead ? g->policy.name : NULL,
			    "leader", lead ? NULL : g->leader,
			    "transport", transport_name(s ? s->transport :
							g->policy.transport),
			    "kernel_relay", s ? name_of(names_relay_mode(),
							s->kernel_relay) : NULL,
			    NULL);
		prom_sample(out, name, l, 1);
	}
}

static void write_sent(FILE *out, const struct slot *sl, size_t n)
{
	static const char name[] = "antigone_control_sent_total";
	char l[PROM_LABELS_MAX];
	bool head = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!sl[i].s)
			continue;
		if (!head)
			prom_family(out, name, "counter", "Control datagrams "
				    "sent, by unicast or once to the group "
				    "address (multicast).");
		head = true;
		prom_labels(l, sizeof(l), "group", sl[i].g->name,
			    "role", role_name(sl[i].g), "cast", "unicast",
			    NULL);
		prom_sample(out, name, l, sl[i].s->st.sent_unicast);
		prom_labels(l, sizeof(l), "group", sl[i].g->name,
			    "role", role_name(sl[i].g), "cast", "multicast",
			    NULL);
		prom_sample(out, name, l, sl[i].s->st.sent_multicast);
	}
}

/* The members of the groups this daemon leads. */
static void write_view_members(FILE *out, const struct slot *sl, size_t n,
			       uint64_t now_ms)
{
	static const char info[] = "antigone_leader_member_info";
	static const char silent[] = "antigone_leader_member_silence_seconds";
	char l[PROM_LABELS_MAX], sender[16];
	size_t i, j, any = 0;
	int pass;

	for (i = 0; i < n; i++)
		if (sl[i].s && sl[i].g->role == ROLE_LEADER)
			any += sl[i].s->leader.view.n;
	if (!any)
		return;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 0)
			prom_family(out, info, "gauge", "Leader: a member of "
				    "the view (always 1), with the role the "
				    "TTP vouched for and its sender index.");
		else
			prom_family(out, silent, "gauge", "Leader: time since "
				    "the member was last heard from.");
		for (i = 0; i < n; i++) {
			const struct leader_view *v;

			if (!sl[i].s || sl[i].g->role != ROLE_LEADER)
				continue;
			v = &sl[i].s->leader.view;
			for (j = 0; j < v->n; j++) {
				const struct view_member *m = &v->m[j];

				snprintf(sender, sizeof(sender), "%u",
					 m->sender);
				prom_labels(l, sizeof(l), "group",
					    sl[i].g->name, "member", m->id,
					    "member_role", pass ? NULL :
					    m->role, "sender", pass ? NULL :
					    sender, NULL);
				if (pass == 0)
					prom_sample(out, info, l, 1);
				else
					prom_sample_f(out, silent, l,
						(double)(now_ms -
							 m->last_heard_ms) /
						1000.0);
			}
		}
	}
}

static void write_ttp(FILE *out, const struct ttp_role *t)
{
	static const char refused[] = "antigone_ttp_refused_total";

	if (!t)
		return;
	prom_family(out, "antigone_ttp_identities", "gauge",
		    "TTP: identities in the registry.");
	prom_sample(out, "antigone_ttp_identities", NULL, t->reg.n);
	prom_family(out, "antigone_ttp_requests_total", "counter",
		    "TTP: pair-key requests (message 2) received.");
	prom_sample(out, "antigone_ttp_requests_total", NULL, t->requests);
	prom_family(out, "antigone_ttp_answered_total", "counter",
		    "TTP: pair keys sent (message 3).");
	prom_sample(out, "antigone_ttp_answered_total", NULL, t->answered);
	prom_family(out, refused, "counter", "TTP: requests not answered, by "
		    "reason (unknown: an identity not registered).");
	prom_sample(out, refused, "reason=\"unknown\"", t->unknown);
	prom_sample(out, refused, "reason=\"malformed\"", t->malformed);
	prom_sample(out, refused, "reason=\"rate_limited\"", t->limited);
}

void metrics_write(FILE *out, const struct metrics_daemon *d)
{
	struct slot sl[CONFIG_MAX_GROUPS];
	char l[PROM_LABELS_MAX];
	size_t n = slots(d, sl);
	unsigned int f;

	prom_family(out, "antigone_daemon_info", "gauge", "antigoned (always "
		    "1): its version, identity and datapath.");
	prom_labels(l, sizeof(l), "version", ANTIGONE_USERSPACE_VERSION,
		    "identity", d->cfg->identity, "datapath", d->datapath,
		    NULL);
	prom_sample(out, "antigone_daemon_info", l, 1);
	write_group_info(out, sl, n);
	for (f = 0; f < sizeof(group_families) / sizeof(group_families[0]);
	     f++)
		write_group_family(out, sl, n, f);
	write_sent(out, sl, n);
	write_view_members(out, sl, n, d->now_ms);
	write_ttp(out, d->ttp);
}
