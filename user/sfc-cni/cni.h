/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sfc-cni: a CNI (spec 1.1) chained plugin that makes a pod's host-side
 * veth an sfc logical port named NAMESPACE/POD, so port chains can name
 * pods, including pods that do not exist yet.
 *
 *   main.c      the protocol: environment, versions, dispatch, errors
 *   conf.c      the request: stdin configuration, options, port name
 *   commands.c  ADD, DEL, CHECK, GC, STATUS
 *   netns.c     the host side of CNI_IFNAME (its veth peer)
 *   records.c   what each attachment added, for DEL, GC and CHECK
 *   log.c       logs: stderr or a file
 *   tool.c      "sfc-cni chain FILE", "sfc-cni sweep": for installers
 */
#ifndef SFC_CNI_H
#define SFC_CNI_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "uapi/sfc_common.h"

#define CNI_VERSION_LATEST	"1.1.0"

/* The spec's well-known error codes, then ours (100+). */
enum cni_code {
	CNI_OK = 0,
	CNI_ERR_VERSION = 1,		/* incompatible CNI version */
	CNI_ERR_FIELD = 2,		/* unsupported field in the configuration */
	CNI_ERR_NO_CONTAINER = 3,	/* container unknown or does not exist */
	CNI_ERR_ENV = 4,		/* invalid necessary environment variables */
	CNI_ERR_IO = 5,			/* I/O failure */
	CNI_ERR_DECODE = 6,		/* failed to decode content */
	CNI_ERR_CONFIG = 7,		/* invalid network configuration */
	CNI_ERR_AGAIN = 11,		/* try again later */
	CNI_ERR_UNAVAILABLE = 50,	/* STATUS: cannot service ADD */
	CNI_ERR_LIMITED = 51,		/* ... and pods may be limited too */
	SFC_CNI_ERR_REFUSED = 100,	/* sfc refused the configuration change */
	SFC_CNI_ERR_DEVICE = 101,	/* no usable veth behind CNI_IFNAME */
	SFC_CNI_ERR_CONFLICT = 102,	/* the port name is not ours to take */
	SFC_CNI_ERR_CHECK = 103,	/* CHECK: port, filter or map entry wrong */
	CNI_ERR_INTERNAL = 999,
};

struct cni_error {
	unsigned int code;
	char msg[256];
	char details[512];
};

/* Fills e and returns its code (never 0). */
unsigned int cni_fail(struct cni_error *e, unsigned int code, const char *fmt,
		      ...) __attribute__((format(printf, 3, 4)));
/* Adds the longer explanation of an error. */
void cni_details(struct cni_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

enum cni_cmd {
	CNI_CMD_NONE,
	CNI_CMD_ADD,
	CNI_CMD_DEL,
	CNI_CMD_CHECK,
	CNI_CMD_GC,
	CNI_CMD_STATUS,
	CNI_CMD_VERSION,
};

#define CNI_CID_MAX	256	/* container ids we accept, NUL included */

struct cni_req {
	enum cni_cmd cmd;
	const char *command;		/* CNI_COMMAND as given */
	const char *container_id;	/* the attachment: CNI_CONTAINERID ... */
	const char *ifname;		/* ... and CNI_IFNAME */
	const char *netns;		/* CNI_NETNS, NULL when unset */
	const char *args;		/* CNI_ARGS */
	struct json_object *conf;	/* stdin */
	const char *version;		/* its cniVersion */
	const char *network;		/* its name */
	struct json_object *prev_result;	/* or NULL */
	/* Our options, from the configuration (or the defaults). */
	const char *state;		/* "state": the sfc state file */
	const char *pin_root;		/* "bpffs": the pin root */
	char port[SFC_NAME_MAX];	/* the port name (ADD, CHECK) */
	char records[PATH_MAX];		/* the attachment records' root */
};

/* conf.c */
extern const char *const cni_versions[];	/* supported, NULL-terminated */
/* <0, 0, >0 as a is below, equal to, above b; bad versions sort first. */
int cni_version_cmp(const char *a, const char *b);
bool cni_version_supported(const char *v);
/*
 * What the spec allows in container ids and network names: alphanumeric,
 * then alphanumerics, '_', '.', '-'; shorter than size.
 */
bool cni_valid_id(const char *s, size_t size);
/* stdin into r->conf, cniVersion, name, prevResult and our options. */
unsigned int cni_parse_conf(struct cni_req *r, const char *text, size_t len,
			    struct cni_error *e);
/* The port name for ADD/CHECK into r->port (see the man page). */
unsigned int cni_port_name(struct cni_req *r, struct cni_error *e);
/* The value of KEY in CNI_ARGS ("K=V;K=V"), into buf; false if absent. */
bool cni_arg(const char *args, const char *key, char *buf, size_t len);

/* commands.c: each returns 0 or a code with e filled. */
unsigned int cni_add(struct cni_req *r, struct cni_error *e);
unsigned int cni_del(struct cni_req *r, struct cni_error *e);
unsigned int cni_check(struct cni_req *r, struct cni_error *e);
unsigned int cni_gc(struct cni_req *r, struct cni_error *e);
unsigned int cni_status(struct cni_req *r, struct cni_error *e);
/* The sweep of ADD, DEL and GC alone (needs state, pin_root, records). */
unsigned int cni_sweep(struct cni_req *r, struct cni_error *e);

/* netns.c: the host side of a pod's interface. */
struct cni_host_dev {
	char name[IF_NAMESIZE];	/* in our (the runtime's) namespace */
	int ifindex;
	uint8_t pod_mac[6];	/* of the interface inside the pod */
	int pod_ifindex;
};
unsigned int cni_find_host_veth(const char *netns, const char *ifname,
				struct cni_host_dev *out, struct cni_error *e);

/* records.c: one file per attachment, under r->records/NETWORK/. */
struct cni_rec {
	char network[SFC_NAME_MAX];
	char container_id[CNI_CID_MAX];
	char ifname[IF_NAMESIZE];
	char port[SFC_NAME_MAX];	/* what ADD registered ... */
	char dev[IF_NAMESIZE];		/* ... on this device */
	bool drop;			/* to be removed once committed */
};

struct cni_recs {
	struct cni_rec *v;
	size_t n;
};

/* The root for a state file: its directory's "cni" subdirectory. */
int cni_records_root(const char *state, char *buf, size_t len);
/* Every record under root (unreadable ones are logged and skipped). */
int cni_recs_load(const char *root, struct cni_recs *out);
void cni_recs_free(struct cni_recs *recs);
struct cni_rec *cni_recs_find(const struct cni_recs *recs, const char *network,
			      const char *container_id, const char *ifname);
/* Written beside, synced, renamed into place; 0 or -errno. */
int cni_rec_write(const char *root, const struct cni_rec *rec);
/* 0 or -errno; a missing file is no error. */
int cni_rec_remove(const char *root, const struct cni_rec *rec);
/* Replaces path with obj: PATH.tmp written, synced, renamed; 0 or -errno. */
int cni_replace_json(const char *path, struct json_object *obj, int flags,
		     mode_t mode);

/* tool.c: "sfc-cni chain FILE ..." and "sfc-cni sweep", for installers. */
int cni_tool(int argc, char **argv);

/* log.c */
enum cni_log_level { CNI_LOG_ERROR, CNI_LOG_INFO, CNI_LOG_DEBUG };
/* Where logs go: path (appended) or NULL for stderr. */
int cni_log_open(const char *path, enum cni_log_level level);
/* The attachment prefixed to every line from now on. */
void cni_log_context(const char *command, const char *container_id,
		     const char *ifname);
void cni_log(enum cni_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cni_log_level_parse(const char *s, enum cni_log_level *out);

#endif /* SFC_CNI_H */
