// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's control socket (see control.h).
 */
#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "lib/log.h"

struct control {
	int fd;
	gid_t gid;			/* the control group; root if none */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static int make_addr(const char *path, struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		return -ENAMETOOLONG;
	memcpy(a->sun_path, path, strlen(path) + 1);
	return 0;
}

int control_open(struct control **out, const char *path, const char *group)
{
	struct sockaddr_un a;
	struct control *c;
	char dir[sizeof(a.sun_path)], *slash;
	struct stat st;
	int ret;

	ret = make_addr(path, &a);
	if (ret)
		return ret;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	memcpy(c->path, a.sun_path, sizeof(c->path));
	memcpy(dir, a.sun_path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		goto fail;
	/* A stale socket of a dead daemon: replace it. A live one answers. */
	if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
		errno = EADDRINUSE;
		goto fail;
	}
	unlink(path);
	if (bind(c->fd, (struct sockaddr *)&a, sizeof(a)) ||
	    chmod(path, 0660) || listen(c->fd, 16))
		goto fail;
	if (group && *group) {
		struct group *gr = getgrnam(group);

		if (gr)
			c->gid = gr->gr_gid;
		/* The owner stays: antigoned's service user under systemd,
		 * whose socket has its group already (and which may not
		 * chown(2): SystemCallFilter=~@privileged).
		 */
		if (!gr || ((stat(path, &st) || st.st_gid != gr->gr_gid) &&
			    chown(path, (uid_t)-1, gr->gr_gid))) {
			log_warn("control socket %s: cannot give it to group "
				 "'%s'; only root may use it", path, group);
		}
	}
	*out = c;
	return 0;
fail:
	ret = -errno;
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return ret;
}

int control_fd(const struct control *c)
{
	return c->fd;
}

/*
 * Root, or a process whose group (or supplementary group) is the control
 * group: checked per connection, so a socket file someone made world
 * writable still refuses strangers.
 */
static bool peer_allowed(const struct control *c, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct passwd *pw;
	gid_t groups[64];
	int n = 64, i;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return false;
	if (cred.uid == 0 || cred.uid == geteuid())
		return true;
	if (!c->gid)
		return false;
	if (cred.gid == c->gid)
		return true;
	pw = getpwuid(cred.uid);
	if (!pw || getgrouplist(pw->pw_name, cred.gid, groups, &n) < 0)
		return false;
	for (i = 0; i < n; i++)
		if (groups[i] == c->gid)
			return true;
	return false;
}

void control_serve(struct control *c, control_handler fn, void *arg)
{
	struct timeval tv = { .tv_sec = 1 };
	char req[CONTROL_REQUEST_MAX];
	size_t len = 0;
	ssize_t n;
	FILE *out;
	int fd;

	fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (!peer_allowed(c, fd)) {
		/* The file mode should have stopped it: say why, once. */
		static const char no[] = "error: permission denied (root or "
					 "the control group only)\n";

		if (write(fd, no, sizeof(no) - 1) < 0)
			log_debug("control: %s", strerror(errno));
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (len < sizeof(req) - 1) {
		n = read(fd, req + len, sizeof(req) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(req, '\n', len))
			break;
	}
	if (control_frame(req, len)) {
		close(fd);	/* no answer */
		return;
	}
	out = fdopen(fd, "w");
	if (!out) {
		close(fd);
		return;
	}
	fn(req, out, arg);
	fclose(out);
}

int control_frame(char *req, size_t len)
{
	char *nl = memchr(req, '\n', len);

	req[len] = '\0';
	if (!nl)
		return -EMSGSIZE;	/* incomplete or oversized */
	/* A line is text: strchr() would not find the newline past a NUL
	 * (it did, and the daemon wrote through NULL).
	 */
	if (memchr(req, '\0', (size_t)(nl - req)))
		return -EINVAL;
	*nl = '\0';
	return 0;
}

int control_parse(char *line, struct control_req *r)
{
	char *save = NULL, *verb, *a1, *a2;

	memset(r, 0, sizeof(*r));
	/* Their settings are the rest of the line, for config.c. */
	if (!strncmp(line, "group-create ", 13)) {
		r->verb = CONTROL_GROUP_CREATE;
		r->args = line + 13;
		return 0;
	}
	if (!strncmp(line, "group-join ", 11)) {
		r->verb = CONTROL_GROUP_JOIN;
		r->args = line + 11;
		return 0;
	}
	verb = strtok_r(line, " ", &save);
	a1 = strtok_r(NULL, " ", &save);
	a2 = strtok_r(NULL, " ", &save);
	if (verb && !strcmp(verb, "group-list")) {
		r->verb = CONTROL_GROUP_LIST;
		r->json = a1 && !strcmp(a1, "json");
		return 0;
	}
	if (verb && !strcmp(verb, "metrics")) {
		r->verb = CONTROL_METRICS;
		return 0;
	}
	if (verb && !strcmp(verb, "status")) {
		r->verb = CONTROL_STATUS;
		r->text = a1 && !strcmp(a1, "text");
		r->group = r->text ? a2 : a1;
		return 0;
	}
	if (!verb || !a1)
		return -EINVAL;
	if (!strcmp(verb, "group-leave"))
		r->verb = CONTROL_GROUP_LEAVE;
	else if (!strcmp(verb, "group-rekey"))
		r->verb = CONTROL_GROUP_REKEY;
	else if (!strcmp(verb, "group-eject"))
		r->verb = CONTROL_GROUP_EJECT;
	else if (!strcmp(verb, "group-showconf"))
		r->verb = CONTROL_GROUP_SHOWCONF;
	else
		return -EINVAL;
	r->group = a1;
	r->member = a2;
	return 0;
}

void control_close(struct control *c)
{
	if (!c)
		return;
	close(c->fd);
	unlink(c->path);
	free(c);
}

int control_request(const char *path, const char *request, FILE *out)
{
	struct sockaddr_un a;
	char buf[4096];
	ssize_t n;
	int fd, ret;

	ret = make_addr(path, &a);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    write(fd, request, strlen(request)) != (ssize_t)strlen(request) ||
	    write(fd, "\n", 1) != 1) {
		ret = -errno;
		close(fd);
		return ret;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, out);
	close(fd);
	return n < 0 ? -errno : 0;
}
