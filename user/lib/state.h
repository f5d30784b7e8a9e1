/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The persisted configuration: one JSON file (config_json.h), read and
 * written under a lock so concurrent sfcctl invocations serialise, and
 * replaced atomically so a crash at any point leaves the old file or the
 * new one, never a mix.
 *
 *   sfc_state_begin(path, SFC_LOCK_EXCLUSIVE, &st)   lock + load st.cfg
 *   ... build and commit a new configuration ...
 *   sfc_state_save(&st, new)                          FILE.tmp, rename
 *   sfc_state_end(&st)                                unlock
 *
 * The lock is flock() on FILE.lock, a file of its own: FILE itself is
 * replaced by rename, and a lock on it would stay with the old inode.
 */
#ifndef SFC_STATE_H
#define SFC_STATE_H

#include <limits.h>

#include "config.h"

#define SFC_STATE_DEFAULT	"/var/lib/sfc/config.json"
#define SFC_STATE_ENV		"SFC_STATE"

enum sfc_lock {
	SFC_LOCK_SHARED,	/* readers: show, list, export, stats */
	SFC_LOCK_EXCLUSIVE,	/* anything that commits */
};

struct sfc_state {
	char path[PATH_MAX];
	int lock_fd;
	struct sfc_config cfg;	/* as loaded; empty when there is no file */
	char err[512];		/* one line, when a call fails */
};

/* The state file: opt (--state) if given, else $SFC_STATE, else the default. */
const char *sfc_state_path(const char *opt);

/*
 * Creates the directory (0700) and the lock file (0600) if needed, takes
 * the lock, loads the file. Returns 0 or -errno with st->err set; on
 * failure nothing is held.
 */
int sfc_state_begin(const char *path, enum sfc_lock lock, struct sfc_state *st);
/* Replaces the file with cfg: write FILE.tmp, fsync, rename, fsync dir. */
int sfc_state_save(struct sfc_state *st, const struct sfc_config *cfg);
/* Frees st->cfg and drops the lock. */
void sfc_state_end(struct sfc_state *st);

/* All of fd (up to 64 MiB) into a malloc'd buffer: 0 or -errno. */
int sfc_read_all(int fd, char **text, size_t *len);

#endif /* SFC_STATE_H */
