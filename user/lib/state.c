// SPDX-License-Identifier: GPL-2.0
/* The persisted configuration, locked and replaced atomically (state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "config_json.h"
#include "state.h"

/* A configuration larger than this is not one we wrote. */
#define STATE_MAX_BYTES	(64u << 20)

const char *sfc_state_path(const char *opt)
{
	const char *env = getenv(SFC_STATE_ENV);

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return SFC_STATE_DEFAULT;
}

static int __attribute__((format(printf, 3, 4)))
fail(struct sfc_state *st, int err, const char *fmt, ...)
{
	int n = snprintf(st->err, sizeof(st->err), "state %.200s: ", st->path);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err + n, sizeof(st->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return err;
}

/* path with suffix appended, or -ENAMETOOLONG. */
static int sibling(char *buf, size_t len, const char *path, const char *suffix)
{
	int n = snprintf(buf, len, "%s%s", path, suffix);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The directory holding path ("." when it names none). */
static void parent_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/* mkdir -p, private: the state names every device and VNF of the host. */
static int make_dir(const char *dir)
{
	char up[PATH_MAX];
	int err;

	if (!mkdir(dir, 0700) || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -errno;
	parent_of(dir, up, sizeof(up));
	if (!strcmp(up, dir))
		return -ENOENT;
	err = make_dir(up);
	if (err)
		return err;
	return mkdir(dir, 0700) && errno != EEXIST ? -errno : 0;
}

static int take_lock(struct sfc_state *st, enum sfc_lock lock)
{
	char dir[PATH_MAX], lock_path[PATH_MAX];
	int err;

	parent_of(st->path, dir, sizeof(dir));
	err = make_dir(dir);
	if (err)
		return fail(st, err, "creating %s: %s", dir, strerror(-err));
	if (sibling(lock_path, sizeof(lock_path), st->path, ".lock"))
		return fail(st, -ENAMETOOLONG, "path too long");
	st->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (st->lock_fd < 0)
		return fail(st, -errno, "opening %s: %s", lock_path,
			    strerror(errno));
	while (flock(st->lock_fd, lock == SFC_LOCK_EXCLUSIVE ? LOCK_EX : LOCK_SH)) {
		if (errno != EINTR)
			return fail(st, -errno, "locking %s: %s", lock_path,
				    strerror(errno));
	}
	return 0;
}

int sfc_read_all(int fd, char **out, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL, *grown;
	ssize_t r;
	int err;

	for (;;) {
		if (n == cap) {
			grown = cap < STATE_MAX_BYTES ?
				realloc(buf, cap ? cap * 2 : 4096) : NULL;
			if (!grown) {
				free(buf);
				return cap < STATE_MAX_BYTES ? -ENOMEM : -EFBIG;
			}
			buf = grown;
			cap = cap ? cap * 2 : 4096;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			free(buf);
			return err;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*len = n;
	return 0;
}

/* A missing file is the empty configuration of a fresh host. */
static int load(struct sfc_state *st)
{
	char *text = NULL, why[sizeof(st->err)];
	size_t len = 0;
	int fd, err;

	fd = open(st->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return fail(st, -errno, "%s", strerror(errno));
	err = sfc_read_all(fd, &text, &len);
	close(fd);
	if (err)
		return fail(st, err, "reading: %s", strerror(-err));
	err = sfc_config_from_text(text, len, &st->cfg, why, sizeof(why));
	free(text);
	return err ? fail(st, err, "%s", why) : 0;
}

int sfc_state_begin(const char *path, enum sfc_lock lock, struct sfc_state *st)
{
	int err;

	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
	sfc_config_init(&st->cfg);
	if (snprintf(st->path, sizeof(st->path), "%s", path) >=
	    (int)sizeof(st->path))
		return fail(st, -ENAMETOOLONG, "path too long");
	err = take_lock(st, lock);
	if (!err)
		err = load(st);
	if (err)
		sfc_state_end(st);	/* keeps st->err */
	return err;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The new file's data must be on disk before its name replaces the old. */
static int write_synced(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int err;

	if (fd < 0)
		return -errno;
	err = fchmod(fd, 0600) ? -errno : 0;	/* a stale tmp of other mode */
	if (!err)
		err = write_all(fd, text, strlen(text));
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* The rename itself is durable only once the directory is synced. */
static int sync_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd, err = 0;

	parent_of(path, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		err = -errno;
	close(fd);
	return err;
}

int sfc_state_save(struct sfc_state *st, const struct sfc_config *cfg)
{
	char tmp[PATH_MAX];
	char *text;
	int err;

	if (sibling(tmp, sizeof(tmp), st->path, ".tmp"))
		return fail(st, -ENAMETOOLONG, "path too long");
	text = sfc_config_to_text(cfg);
	if (!text)
		return fail(st, -ENOMEM, "out of memory");
	err = write_synced(tmp, text);
	free(text);
	if (!err && rename(tmp, st->path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return fail(st, err, "saving: %s", strerror(-err));
	}
	err = sync_dir(st->path);
	return err ? fail(st, err, "syncing its directory: %s",
			  strerror(-err)) : 0;
}

void sfc_state_end(struct sfc_state *st)
{
	sfc_config_free(&st->cfg);
	if (st->lock_fd >= 0)
		close(st->lock_fd);	/* drops the flock */
	st->lock_fd = -1;
}
