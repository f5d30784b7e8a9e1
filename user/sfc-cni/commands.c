// SPDX-License-Identifier: GPL-2.0
/*
 * The commands. ADD, DEL and GC are transactions of sfc's configuration
 * (txn.h, the same as sfcctl's), and change the attachment records under
 * the same lock:
 *
 *   ADD   registers the pod's host veth as port NAMESPACE/POD (or takes the
 *         name over from an older sandbox of the same pod), records that,
 *         commits: the programs are attached, and chains that name the
 *         pod become active. Outputs prevResult.
 *   DEL   removes the port if it is still the one this attachment added;
 *         chains naming the pod become pending again. Idempotent; needs
 *         neither the netns nor prevResult.
 *   GC    does the same for every attachment of this network missing from
 *         cni.dev/valid-attachments.
 *
 * Each of them also sweeps: a port some attachment added whose device has
 * vanished (a pod torn down without DEL, a reboot) is removed, since a
 * configuration naming a missing device cannot be committed by anyone
 * ("sfc-cni sweep" does only that).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "cni.h"
#include "config_schema.h"
#include "dataplane.h"
#include "txn.h"
#include "uapi/sfc_maps.h"

/* ---- one transaction of ours ---- */

struct plan {
	struct cni_req *r;
	struct cni_recs recs;		/* every attachment's record */
	struct cni_rec add;		/* ADD: written before the commit */
	bool has_add;
};

typedef unsigned int (*plan_fn)(struct plan *p, struct sfc_config *cfg,
				struct cni_error *e);

/* The attachment whose port this is, as long as it is on its device. */
static struct cni_rec *owner_of(const struct plan *p,
				const struct sfc_cfg_port *port)
{
	size_t i;

	for (i = 0; i < p->recs.n; i++)
		if (!strcmp(p->recs.v[i].port, port->name) &&
		    !strcmp(p->recs.v[i].dev, port->dev))
			return &p->recs.v[i];
	return NULL;
}

/* Removes rec's port while it is still rec's; rec goes after the commit. */
static void undo_attachment(struct sfc_config *cfg, struct cni_rec *rec)
{
	long i = sfc_cfg_index(cfg, SFC_KIND_PORT, rec->port);

	if (i >= 0 && !strcmp(cfg->ports.v[i].dev, rec->dev)) {
		sfc_cfg_remove(cfg, SFC_KIND_PORT, (size_t)i);
		cni_log(CNI_LOG_INFO, "port %s on %s removed (container %.12s %s)",
			rec->port, rec->dev, rec->container_id, rec->ifname);
	}
	rec->drop = true;
}

/* The record ADD writes replaces the one of its attachment, if any. */
static bool replaced_by_add(const struct plan *p, const struct cni_rec *rec)
{
	return p->has_add && !strcmp(rec->network, p->add.network) &&
	       !strcmp(rec->container_id, p->add.container_id) &&
	       !strcmp(rec->ifname, p->add.ifname);
}

static void sweep(struct plan *p, struct sfc_config *cfg)
{
	size_t i;

	for (i = 0; i < p->recs.n; i++) {
		if (p->recs.v[i].drop || replaced_by_add(p, &p->recs.v[i]) ||
		    if_nametoindex(p->recs.v[i].dev))
			continue;
		cni_log(CNI_LOG_INFO, "device %s of port %s is gone",
			p->recs.v[i].dev, p->recs.v[i].port);
		undo_attachment(cfg, &p->recs.v[i]);
	}
}

/* The classifiers of chain name in an active configuration, or -1 when
 * the chain itself is not active. */
static int active_fcs(const struct sfc_config *active, const char *name,
		      const struct sfc_cfg_chain **out)
{
	*out = sfc_cfg_find_chain(active, name);
	return *out ? (*out)->nr_fcs : -1;
}

static bool lists_fc(const struct sfc_cfg_chain *ch, const char *fc)
{
	int i;

	for (i = 0; ch && i < ch->nr_fcs; i++)
		if (!strcmp(ch->fcs[i], fc))
			return true;
	return false;
}

/* "F1 F2" of a's classifiers that b lacks. */
static void fcs_missing(const struct sfc_cfg_chain *a,
			const struct sfc_cfg_chain *b, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; a && i < a->nr_fcs && n < len; i++)
		if (!lists_fc(b, a->fcs[i]))
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? " " : "", a->fcs[i]);
}

/*
 * What a commit turned on or off, per chain: the chain (a pod in one of
 * its groups came or went) or some of its classifiers (a pod they name as
 * logical port came or went). What operators look for in the log.
 */
static void log_chains(const struct sfc_config *before,
		       const struct sfc_config *after)
{
	const struct sfc_cfg_chain *was, *is;
	struct sfc_config a, b;
	char on[512], off[512];
	size_t i;
	int n_was, n_is;

	if (sfc_config_active(before, &a))
		return;
	if (sfc_config_active(after, &b)) {
		sfc_config_free(&a);
		return;
	}
	for (i = 0; i < after->chains.n; i++) {
		const char *name = after->chains.v[i].name;

		n_was = active_fcs(&a, name, &was);
		n_is = active_fcs(&b, name, &is);
		if (n_was < 0 && n_is >= 0)
			cni_log(CNI_LOG_INFO, "chain %s now active", name);
		if (n_was >= 0 && n_is < 0)
			cni_log(CNI_LOG_INFO, "chain %s now pending", name);
		fcs_missing(is, was, on, sizeof(on));
		fcs_missing(was, is, off, sizeof(off));
		if (on[0])
			cni_log(CNI_LOG_INFO, "chain %s: %s now active", name, on);
		if (off[0])
			cni_log(CNI_LOG_INFO, "chain %s: %s now pending", name, off);
	}
	sfc_config_free(&a);
	sfc_config_free(&b);
}

static unsigned int txn_error(int ret, const char *msg, struct cni_error *e)
{
	unsigned int code = SFC_CNI_ERR_REFUSED;

	if (ret == -EAGAIN || ret == -EBUSY || ret == -EINTR)
		code = CNI_ERR_AGAIN;
	else if (ret == -ENOMEM || ret == -EPERM || ret == -EACCES)
		code = CNI_ERR_INTERNAL;
	return cni_fail(e, code, "sfc: %s", msg);
}

/* The record ADD overwrote goes back if the commit fails. */
static void restore_add(struct plan *p)
{
	struct cni_rec *old = cni_recs_find(&p->recs, p->add.network,
					    p->add.container_id, p->add.ifname);

	if (old)
		cni_rec_write(p->r->records, old);
	else
		cni_rec_remove(p->r->records, &p->add);
}

static unsigned int commit(struct plan *p, struct sfc_txn *t,
			   struct cni_error *e)
{
	size_t i;
	int ret;

	if (p->has_add) {
		ret = cni_rec_write(p->r->records, &p->add);
		if (ret)
			return cni_fail(e, CNI_ERR_IO, "writing the record under %s: %s",
					p->r->records, strerror(-ret));
	}
	ret = sfc_txn_commit(t);
	if (ret) {
		if (p->has_add)
			restore_add(p);
		return txn_error(ret, t->err, e);
	}
	log_chains(&t->st.cfg, &t->next);
	for (i = 0; i < p->recs.n; i++) {
		if (!p->recs.v[i].drop || replaced_by_add(p, &p->recs.v[i]))
			continue;
		ret = cni_rec_remove(p->r->records, &p->recs.v[i]);
		if (ret)	/* harmless: the next sweep or DEL retries */
			cni_log(CNI_LOG_ERROR, "removing a record: %s",
				strerror(-ret));
	}
	return 0;
}

static unsigned int transact(struct cni_req *r, plan_fn fn,
			     struct plan *p, struct cni_error *e)
{
	struct sfc_txn t;
	int ret;

	p->r = r;
	ret = sfc_txn_begin(&t, r->state, r->pin_root);
	if (ret)
		return cni_fail(e, CNI_ERR_IO, "sfc: %s", t.err);
	t.ports_fast = true;
	ret = cni_recs_load(r->records, &p->recs);
	if (ret)
		cni_fail(e, CNI_ERR_IO, "reading %s: %s", r->records,
			 strerror(-ret));
	else if (!fn(p, &t.next, e)) {
		sweep(p, &t.next);
		commit(p, &t, e);
	}
	sfc_txn_end(&t);
	cni_recs_free(&p->recs);
	return e->code;
}

/* ---- ADD ---- */

struct add_ctx {
	struct plan plan;
	struct cni_host_dev dev;
};

/* A port of this name: new, ours already, or an older sandbox's. */
static unsigned int claim_port(struct plan *p, struct sfc_config *cfg,
			       struct cni_error *e)
{
	struct cni_req *r = p->r;
	struct sfc_cfg_port *port = sfc_cfg_find_port(cfg, r->port);
	struct cni_rec *owner;
	char why[256];

	if (!port) {
		port = sfc_cfg_add(cfg, SFC_KIND_PORT, r->port, why, sizeof(why));
		if (!port)
			return cni_fail(e, CNI_ERR_CONFIG, "port name: %s", why);
		return 0;
	}
	owner = owner_of(p, port);
	if (!owner)
		return cni_fail(e, SFC_CNI_ERR_CONFLICT,
				"port %s exists (device %s) and was not added by sfc-cni",
				port->name, port->dev);
	if (!strcmp(owner->network, r->network) &&
	    !strcmp(owner->container_id, r->container_id) &&
	    !strcmp(owner->ifname, r->ifname))
		return 0;	/* ours: ADD again */
	if (!strcmp(owner->container_id, r->container_id))
		return cni_fail(e, SFC_CNI_ERR_CONFLICT,
				"port %s is this container's %s already (network %s)",
				port->name, owner->ifname, owner->network);
	cni_log(CNI_LOG_INFO, "port %s taken over from container %.12s (%s)",
		port->name, owner->container_id, port->dev);
	return 0;
}

static unsigned int plan_add(struct plan *p, struct sfc_config *cfg,
			     struct cni_error *e)
{
	struct add_ctx *a = (struct add_ctx *)p;
	struct sfc_cfg_port *port;

	if (claim_port(p, cfg, e))
		return e->code;
	port = sfc_cfg_find_port(cfg, p->r->port);
	snprintf(port->dev, sizeof(port->dev), "%s", a->dev.name);
	memcpy(port->mac, a->dev.pod_mac, 6);
	port->has_mac = true;

	memset(&p->add, 0, sizeof(p->add));
	snprintf(p->add.network, sizeof(p->add.network), "%s", p->r->network);
	snprintf(p->add.container_id, sizeof(p->add.container_id), "%s",
		 p->r->container_id);
	snprintf(p->add.ifname, sizeof(p->add.ifname), "%s", p->r->ifname);
	snprintf(p->add.port, sizeof(p->add.port), "%s", p->r->port);
	snprintf(p->add.dev, sizeof(p->add.dev), "%s", a->dev.name);
	p->has_add = true;
	return 0;
}

static unsigned int need_prev_result(const struct cni_req *r,
				     struct cni_error *e)
{
	if (r->prev_result)
		return 0;
	cni_fail(e, CNI_ERR_CONFIG, "missing prevResult");
	cni_details(e, "sfc-cni is a chained plugin: list it after the plugin that creates the pod's veth (bridge, ptp, ...)");
	return e->code;
}

static void print_result(const struct cni_req *r)
{
	struct json_object *out = json_object_get(r->prev_result);

	json_object_object_add(out, "cniVersion",
			       json_object_new_string(r->version));
	puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
}

unsigned int cni_add(struct cni_req *r, struct cni_error *e)
{
	struct add_ctx a;

	memset(&a, 0, sizeof(a));
	if (need_prev_result(r, e) || cni_port_name(r, e) ||
	    cni_find_host_veth(r->netns, r->ifname, &a.dev, e))
		return e->code;
	cni_log(CNI_LOG_DEBUG, "pod interface %s (ifindex %d) is %s (ifindex %d) here",
		r->ifname, a.dev.pod_ifindex, a.dev.name, a.dev.ifindex);
	if (transact(r, plan_add, &a.plan, e))
		return e->code;
	cni_log(CNI_LOG_INFO, "port %s on %s", r->port, a.dev.name);
	print_result(r);
	return 0;
}

/* ---- DEL ---- */

static unsigned int plan_del(struct plan *p, struct sfc_config *cfg,
			     struct cni_error *e)
{
	struct cni_rec *rec = cni_recs_find(&p->recs, p->r->network,
					    p->r->container_id, p->r->ifname);

	(void)e;
	if (rec)
		undo_attachment(cfg, rec);
	else
		cni_log(CNI_LOG_DEBUG, "nothing recorded: nothing to remove");
	return 0;
}

unsigned int cni_del(struct cni_req *r, struct cni_error *e)
{
	struct plan p;

	memset(&p, 0, sizeof(p));
	return transact(r, plan_del, &p, e);
}

/* ---- the sweep alone (sfc-cni sweep) ---- */

static unsigned int plan_nothing(struct plan *p, struct sfc_config *cfg,
				 struct cni_error *e)
{
	(void)p;
	(void)cfg;
	(void)e;
	return 0;
}

unsigned int cni_sweep(struct cni_req *r, struct cni_error *e)
{
	struct plan p;

	memset(&p, 0, sizeof(p));
	return transact(r, plan_nothing, &p, e);
}

/* ---- GC ---- */

struct gc_ctx {
	struct plan plan;
	struct json_object *valid;	/* cni.dev/valid-attachments */
};

static bool still_valid(struct json_object *valid, const struct cni_rec *rec)
{
	struct json_object *a, *cid, *ifn;
	size_t i;

	for (i = 0; i < json_object_array_length(valid); i++) {
		a = json_object_array_get_idx(valid, i);
		if (json_object_object_get_ex(a, "containerID", &cid) &&
		    json_object_object_get_ex(a, "ifname", &ifn) &&
		    !strcmp(json_object_get_string(cid), rec->container_id) &&
		    !strcmp(json_object_get_string(ifn), rec->ifname))
			return true;
	}
	return false;
}

static unsigned int plan_gc(struct plan *p, struct sfc_config *cfg,
			    struct cni_error *e)
{
	struct gc_ctx *g = (struct gc_ctx *)p;
	size_t i;

	(void)e;
	for (i = 0; i < p->recs.n; i++) {
		if (strcmp(p->recs.v[i].network, p->r->network) ||
		    still_valid(g->valid, &p->recs.v[i]))
			continue;
		cni_log(CNI_LOG_INFO, "attachment %.12s %s is no longer valid",
			p->recs.v[i].container_id, p->recs.v[i].ifname);
		undo_attachment(cfg, &p->recs.v[i]);
	}
	return 0;
}

/* Refuses a malformed list rather than take it for "nothing is valid". */
static unsigned int parse_valid(struct json_object *conf,
				struct json_object **valid, struct cni_error *e)
{
	struct json_object *a, *v;
	size_t i;

	if (!json_object_object_get_ex(conf, "cni.dev/valid-attachments", valid) ||
	    !json_object_is_type(*valid, json_type_array))
		return cni_fail(e, CNI_ERR_CONFIG,
				"GC needs cni.dev/valid-attachments (an array)");
	for (i = 0; i < json_object_array_length(*valid); i++) {
		a = json_object_array_get_idx(*valid, i);
		if (!json_object_is_type(a, json_type_object) ||
		    !json_object_object_get_ex(a, "containerID", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    !json_object_object_get_ex(a, "ifname", &v) ||
		    !json_object_is_type(v, json_type_string))
			return cni_fail(e, CNI_ERR_CONFIG,
					"cni.dev/valid-attachments[%zu]: needs containerID and ifname strings",
					i);
	}
	return 0;
}

unsigned int cni_gc(struct cni_req *r, struct cni_error *e)
{
	struct gc_ctx g;

	memset(&g, 0, sizeof(g));
	if (parse_valid(r->conf, &g.valid, e))
		return e->code;
	return transact(r, plan_gc, &g.plan, e);
}

/* ---- CHECK ---- */

static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* Our filter runs the pinned program, and the port map knows the device. */
static unsigned int check_data_plane(const struct cni_req *r,
				     const struct sfc_cfg_port *port,
				     int ifindex, struct cni_error *e)
{
	struct sfc_port_key k = { .ifindex = (__u32)ifindex };
	struct sfc_port_val v;
	uint32_t live = 0;
	struct sfc_dp dp;
	int err = sfc_dp_open(&dp, r->pin_root);

	if (err)
		return cni_fail(e, SFC_CNI_ERR_CHECK,
				"the sfc data plane is not loaded at %s: %s",
				r->pin_root, strerror(-err));
	if (bpf_map_lookup_elem(dp.ports_fd, &k, &v) || v.port_id != port->id)
		cni_fail(e, SFC_CNI_ERR_CHECK,
			 "port %s: no data plane entry for %s with port id %u",
			 port->name, port->dev, port->id);
	else if (sfc_dp_query(ifindex, &live))
		cni_fail(e, SFC_CNI_ERR_CHECK, "no sfc filter on %s", port->dev);
	else if (live != prog_id(dp.prog_fd))
		cni_fail(e, SFC_CNI_ERR_CHECK,
			 "the filter on %s runs program %u, not sfc's %u",
			 port->dev, live, prog_id(dp.prog_fd));
	sfc_dp_close(&dp);
	return e->code;
}

static unsigned int check_port(const struct cni_req *r,
			       const struct sfc_config *cfg,
			       const struct cni_recs *recs,
			       const struct cni_host_dev *dev,
			       struct cni_error *e)
{
	const struct cni_rec *rec = cni_recs_find(recs, r->network,
						  r->container_id, r->ifname);
	const struct sfc_cfg_port *port;

	if (!rec)
		return cni_fail(e, SFC_CNI_ERR_CHECK,
				"no port was added for this attachment");
	if (strcmp(rec->port, r->port))
		return cni_fail(e, SFC_CNI_ERR_CHECK,
				"the attachment added port %s, not %s",
				rec->port, r->port);
	port = sfc_cfg_find_port(cfg, r->port);
	if (!port || strcmp(port->dev, rec->dev))
		return cni_fail(e, SFC_CNI_ERR_CHECK,
				"port %s is %s%s", r->port,
				port ? "on device " : "not configured",
				port ? port->dev : "");
	if (strcmp(port->dev, dev->name))
		return cni_fail(e, SFC_CNI_ERR_CHECK,
				"port %s is on %s, the pod's %s is on %s",
				r->port, port->dev, r->ifname, dev->name);
	if (!port->has_mac || memcmp(port->mac, dev->pod_mac, 6))
		return cni_fail(e, SFC_CNI_ERR_CHECK,
				"port %s: the pod's %s has another mac",
				r->port, r->ifname);
	return check_data_plane(r, port, dev->ifindex, e);
}

unsigned int cni_check(struct cni_req *r, struct cni_error *e)
{
	struct cni_host_dev dev;
	struct cni_recs recs;
	struct sfc_state st;
	int err;

	if (need_prev_result(r, e) || cni_port_name(r, e) ||
	    cni_find_host_veth(r->netns, r->ifname, &dev, e))
		return e->code;
	err = sfc_state_begin(r->state, SFC_LOCK_SHARED, &st);
	if (err)
		return cni_fail(e, CNI_ERR_IO, "sfc: %s", st.err);
	err = cni_recs_load(r->records, &recs);
	if (err)
		cni_fail(e, CNI_ERR_IO, "reading %s: %s", r->records,
			 strerror(-err));
	else
		check_port(r, &st.cfg, &recs, &dev, e);
	cni_recs_free(&recs);
	sfc_state_end(&st);
	return e->code;
}

/* ---- STATUS ---- */

unsigned int cni_status(struct cni_req *r, struct cni_error *e)
{
	struct sfc_state st;
	struct sfc_dp dp;
	size_t ports;
	int err;

	err = sfc_state_begin(r->state, SFC_LOCK_SHARED, &st);
	if (err)
		return cni_fail(e, CNI_ERR_UNAVAILABLE, "sfc: %s", st.err);
	ports = st.cfg.ports.n;
	sfc_state_end(&st);
	err = sfc_dp_open(&dp, r->pin_root);
	if (!err) {
		sfc_dp_close(&dp);
		return 0;
	}
	if (err == -ENOENT && !ports)
		return 0;	/* ADD loads it */
	if (err == -ENOENT) {
		cni_fail(e, CNI_ERR_LIMITED,
			 "the sfc data plane is not loaded at %s", r->pin_root);
		cni_details(e, "%zu ports are configured but nothing runs them: run 'sfcctl restore'",
			    ports);
		return e->code;
	}
	return cni_fail(e, CNI_ERR_UNAVAILABLE,
			"opening the sfc data plane at %s: %s", r->pin_root,
			strerror(-err));
}
