// SPDX-License-Identifier: GPL-2.0
/*
 * What each attachment added: one small JSON file per (network, container
 * id, interface), the spec's key for plugin state, at
 *
 *   DIR/cni/NETWORK/CONTAINERID:IFNAME     DIR: the state file's directory
 *
 *   {"network": ..., "containerID": ..., "ifname": ..., "port": ...,
 *    "device": ...}
 *
 * so that DEL and GC remove a port only while it is still the one this
 * attachment registered (a newer sandbox of the same pod may have taken
 * the name over). Records are only read and written under the state
 * file's lock, so they change together with the configuration.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cni.h"
#include "state.h"

int cni_records_root(const char *state, char *buf, size_t len)
{
	const char *slash = strrchr(state, '/');
	int n;

	if (!slash)
		n = snprintf(buf, len, "cni");
	else
		n = snprintf(buf, len, "%.*s/cni", (int)(slash - state), state);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int rec_path(char *buf, size_t len, const char *root,
		    const struct cni_rec *rec)
{
	int n = snprintf(buf, len, "%s/%s/%s:%s", root, rec->network,
			 rec->container_id, rec->ifname);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static bool copy_member(struct json_object *obj, const char *key, char *buf,
			size_t len)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	if (!*s || strlen(s) >= len)
		return false;
	memcpy(buf, s, strlen(s) + 1);
	return true;
}

static int read_rec(const char *path, struct cni_rec *rec)
{
	struct json_object *obj = json_object_from_file(path);
	bool ok;

	if (!obj)
		return -EINVAL;
	memset(rec, 0, sizeof(*rec));
	ok = copy_member(obj, "network", rec->network, sizeof(rec->network)) &&
	     copy_member(obj, "containerID", rec->container_id,
			 sizeof(rec->container_id)) &&
	     copy_member(obj, "ifname", rec->ifname, sizeof(rec->ifname)) &&
	     copy_member(obj, "port", rec->port, sizeof(rec->port)) &&
	     copy_member(obj, "device", rec->dev, sizeof(rec->dev));
	json_object_put(obj);
	return ok ? 0 : -EINVAL;
}

static int push(struct cni_recs *recs, size_t *cap, const struct cni_rec *rec)
{
	struct cni_rec *grown;

	if (recs->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		grown = realloc(recs->v, *cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		recs->v = grown;
	}
	recs->v[recs->n++] = *rec;
	return 0;
}

static bool is_record_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && strchr(name, ':') &&
	       !(n > 4 && !strcmp(name + n - 4, ".tmp"));
}

static int load_network(const char *dir, struct cni_recs *recs, size_t *cap)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct cni_rec rec;
	DIR *d = opendir(dir);
	int err = 0;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while (!err && (de = readdir(d))) {
		if (!is_record_name(de->d_name) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path))
			continue;
		if (read_rec(path, &rec)) {
			cni_log(CNI_LOG_ERROR, "ignoring unreadable record %s", path);
			continue;
		}
		err = push(recs, cap, &rec);
	}
	closedir(d);
	return err;
}

int cni_recs_load(const char *root, struct cni_recs *out)
{
	char dir[PATH_MAX];
	struct dirent *de;
	size_t cap = 0;
	DIR *d;
	int err = 0;

	out->v = NULL;
	out->n = 0;
	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!err && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    snprintf(dir, sizeof(dir), "%s/%s", root, de->d_name) >=
		    (int)sizeof(dir))
			continue;
		err = load_network(dir, out, &cap);
	}
	closedir(d);
	if (err)
		cni_recs_free(out);
	return err;
}

void cni_recs_free(struct cni_recs *recs)
{
	free(recs->v);
	recs->v = NULL;
	recs->n = 0;
}

struct cni_rec *cni_recs_find(const struct cni_recs *recs, const char *network,
			      const char *container_id, const char *ifname)
{
	size_t i;

	for (i = 0; i < recs->n; i++)
		if (!strcmp(recs->v[i].network, network) &&
		    !strcmp(recs->v[i].container_id, container_id) &&
		    !strcmp(recs->v[i].ifname, ifname))
			return &recs->v[i];
	return NULL;
}

static int network_dir(char *buf, size_t len, const char *root,
		       const char *network)
{
	int n = snprintf(buf, len, "%s/%s", root, network);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int cni_replace_json(const char *path, struct json_object *obj, int flags,
		     mode_t mode)
{
	char tmp[PATH_MAX];
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (json_object_to_fd(fd, obj, flags))
		err = -EIO;
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/* The record's data, then its name, must be on disk before the commit
 * that relies on it. */
static int write_durably(const char *dir, const char *path,
			 struct json_object *obj)
{
	int fd, err = cni_replace_json(path, obj, JSON_C_TO_STRING_PLAIN, 0600);

	if (err)
		return err;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = fsync(fd) ? -errno : 0;
	close(fd);
	return err;
}

int cni_rec_write(const char *root, const struct cni_rec *rec)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct json_object *obj = json_object_new_object();
	int err;

	if (!obj)
		return -ENOMEM;
	json_object_object_add(obj, "network", json_object_new_string(rec->network));
	json_object_object_add(obj, "containerID",
			       json_object_new_string(rec->container_id));
	json_object_object_add(obj, "ifname", json_object_new_string(rec->ifname));
	json_object_object_add(obj, "port", json_object_new_string(rec->port));
	json_object_object_add(obj, "device", json_object_new_string(rec->dev));
	err = network_dir(dir, sizeof(dir), root, rec->network);
	if (!err && mkdir(root, 0700) && errno != EEXIST)
		err = -errno;
	if (!err && mkdir(dir, 0700) && errno != EEXIST)
		err = -errno;
	if (!err)
		err = rec_path(path, sizeof(path), root, rec);
	if (!err)
		err = write_durably(dir, path, obj);
	json_object_put(obj);
	return err;
}

int cni_rec_remove(const char *root, const struct cni_rec *rec)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int err = rec_path(path, sizeof(path), root, rec);

	if (err)
		return err;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	/* The network's last attachment takes its directory along. */
	if (!network_dir(dir, sizeof(dir), root, rec->network))
		rmdir(dir);
	return 0;
}
