// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration model (config.h): storage of the five resource
 * vectors, lookups, stable ids, and validation of the resource set as a
 * whole. Per-field rules come from the schema (config_schema.c); this file
 * holds the rules that span fields and resources.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "config.h"
#include "uapi/sfc_maps.h"
#include "config_schema.h"
#include "name_index.h"

/* ---- storage: one growable vector per kind ---- */

#define SFC_VECS(X)				\
	X(SFC_KIND_PORT, ports)			\
	X(SFC_KIND_PAIR, pairs)			\
	X(SFC_KIND_PPG, ppgs)			\
	X(SFC_KIND_FC, fcs)			\
	X(SFC_KIND_CHAIN, chains)		\
	X(SFC_KIND_TUNNEL, tunnels)		\
	X(SFC_KIND_GRAPH, graphs)

/* A kind's vector with its element type forgotten. */
struct vec {
	void *v;
	size_t n, cap;
};

static struct vec vec_get(const struct sfc_config *c, enum sfc_kind k)
{
	switch (k) {
#define VEC_GET(kind, f) \
	case kind: return (struct vec){ c->f.v, c->f.n, c->f.cap };
	SFC_VECS(VEC_GET)
#undef VEC_GET
	default:
		return (struct vec){ NULL, 0, 0 };
	}
}

static void vec_put(struct sfc_config *c, enum sfc_kind k, struct vec v)
{
	switch (k) {
#define VEC_PUT(kind, f) \
	case kind: c->f.v = v.v; c->f.n = v.n; c->f.cap = v.cap; break;
	SFC_VECS(VEC_PUT)
#undef VEC_PUT
	default:
		break;
	}
}

void sfc_config_init(struct sfc_config *c)
{
	memset(c, 0, sizeof(*c));
}

void sfc_config_free(struct sfc_config *c)
{
	enum sfc_kind k;

	sfc_cfg_names_changed(c);
	for (k = 0; k < SFC_KIND__MAX; k++)
		free(vec_get(c, k).v);
	sfc_config_init(c);
}

/* dst is overwritten: it must hold nothing (init'ed or freed). */
int sfc_config_copy(struct sfc_config *dst, const struct sfc_config *src)
{
	struct sfc_config tmp;
	enum sfc_kind k;

	sfc_config_init(&tmp);
	tmp.generation = src->generation;
	for (k = 0; k < SFC_KIND__MAX; k++) {
		struct vec from = vec_get(src, k);
		struct vec to = { NULL, from.n, from.n };
		size_t bytes = from.n * sfc_kind_info(k)->size;

		if (bytes) {
			to.v = malloc(bytes);
			if (!to.v) {
				sfc_config_free(&tmp);
				return -ENOMEM;
			}
			memcpy(to.v, from.v, bytes);
		}
		vec_put(&tmp, k, to);
	}
	*dst = tmp;
	return 0;
}

size_t sfc_cfg_count(const struct sfc_config *c, enum sfc_kind k)
{
	return vec_get(c, k).n;
}

void *sfc_cfg_at(const struct sfc_config *c, enum sfc_kind k, size_t i)
{
	struct vec v = vec_get(c, k);

	return i < v.n ? (char *)v.v + i * sfc_kind_info(k)->size : NULL;
}

/* ---- lookups by name ---- */

/*
 * Validation and compilation look names up once per reference: with 10k
 * classifiers a scan per lookup made `sfcctl apply` quadratic (two thirds
 * of its time in strcmp). Past a few resources a kind gets a hash index,
 * built on its first lookup after a change, so a transaction builds each
 * index about once per configuration it holds.
 */
#define NAMES_MIN	16	/* below this a scan is as fast */

/* One kind's index and the vector it was built over. */
struct kind_names {
	struct sfc_name_index idx;
	const void *v;
	size_t n;
	bool built;
};

struct sfc_cfg_names {
	struct kind_names kind[SFC_KIND__MAX];
};

struct kind_ref {
	const struct sfc_config *c;
	enum sfc_kind k;
};

static const char *kind_name_at(const void *ctx, size_t i)
{
	const struct kind_ref *r = ctx;

	return sfc_res_name(sfc_cfg_at(r->c, r->k, i));
}

static void drop_kind_names(struct sfc_config *c, enum sfc_kind k)
{
	if (c->names && c->names->kind[k].built) {
		sfc_name_index_free(&c->names->kind[k].idx);
		c->names->kind[k].built = false;
	}
}

void sfc_cfg_names_changed(struct sfc_config *c)
{
	enum sfc_kind k;

	if (!c->names)
		return;
	for (k = 0; k < SFC_KIND__MAX; k++)
		drop_kind_names(c, k);
	free(c->names);
	c->names = NULL;
}

/*
 * The index of kind k, current for c's vector, or NULL (small vector, no
 * memory): then the caller scans. Lookups take a const configuration;
 * the index is a cache beside it, so it is written through a cast (no
 * configuration object is ever defined const). A copy made with `=`
 * shares it: the vector check below then rebuilds rather than trusting
 * it.
 */
static const struct sfc_name_index *kind_index(const struct sfc_config *c,
					       enum sfc_kind k)
{
	struct sfc_config *w = (struct sfc_config *)c;
	struct vec v = vec_get(c, k);
	struct kind_ref ref = { c, k };
	struct kind_names *kn;

	if (v.n < NAMES_MIN)
		return NULL;
	if (!w->names) {
		w->names = calloc(1, sizeof(*w->names));
		if (!w->names)
			return NULL;
	}
	kn = &w->names->kind[k];
	if (kn->built && kn->v == v.v && kn->n == v.n)
		return &kn->idx;
	drop_kind_names(w, k);
	if (sfc_name_index_build(&kn->idx, v.n, kind_name_at, &ref))
		return NULL;
	kn->v = v.v;
	kn->n = v.n;
	kn->built = true;
	return &kn->idx;
}

long sfc_cfg_index(const struct sfc_config *c, enum sfc_kind k,
		   const char *name)
{
	const struct sfc_name_index *idx = kind_index(c, k);
	struct kind_ref ref = { c, k };
	size_t i, n = sfc_cfg_count(c, k);

	if (idx)
		return sfc_name_index_find(idx, name, kind_name_at, &ref);
	for (i = 0; i < n; i++)
		if (!strcmp(sfc_res_name(sfc_cfg_at(c, k, i)), name))
			return (long)i;
	return -1;
}

void *sfc_cfg_find(const struct sfc_config *c, enum sfc_kind k,
		   const char *name)
{
	long i = sfc_cfg_index(c, k, name);

	return i < 0 ? NULL : sfc_cfg_at(c, k, (size_t)i);
}

void *sfc_cfg_add(struct sfc_config *c, enum sfc_kind k, const char *name,
		  char *err, size_t errlen)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	struct vec v = vec_get(c, k);
	char clean[SFC_NAME_MAX];
	void *res;

	if (sfc_copy_name(clean, name, err, errlen))
		return NULL;
	drop_kind_names(c, k);
	if (v.n == v.cap) {
		size_t cap = v.cap ? v.cap * 2 : 8;
		void *grown = realloc(v.v, cap * ki->size);

		if (!grown) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		v.v = grown;
		v.cap = cap;
	}
	res = (char *)v.v + v.n++ * ki->size;
	memset(res, 0, ki->size);
	memcpy(res, clean, sizeof(clean));
	if (ki->init)
		ki->init(res);
	vec_put(c, k, v);
	return res;
}

void sfc_cfg_remove(struct sfc_config *c, enum sfc_kind k, size_t i)
{
	size_t size = sfc_kind_info(k)->size;
	struct vec v = vec_get(c, k);
	char *at = (char *)v.v + i * size;

	if (i >= v.n)
		return;
	drop_kind_names(c, k);
	memmove(at, at + size, (v.n - i - 1) * size);
	v.n--;
	vec_put(c, k, v);
}

/* The typed lookups of config.h. */
#define DEFINE_FIND(type, what, kind)					\
	struct type *sfc_cfg_find_##what(const struct sfc_config *c,	\
					 const char *name)		\
	{								\
		return sfc_cfg_find(c, kind, name);			\
	}

DEFINE_FIND(sfc_cfg_port, port, SFC_KIND_PORT)
DEFINE_FIND(sfc_cfg_pair, pair, SFC_KIND_PAIR)
DEFINE_FIND(sfc_cfg_ppg, ppg, SFC_KIND_PPG)
DEFINE_FIND(sfc_cfg_fc, fc, SFC_KIND_FC)
DEFINE_FIND(sfc_cfg_chain, chain, SFC_KIND_CHAIN)

/* The first port pair using port name, or NULL. */
static const struct sfc_cfg_pair *pair_of_port(const struct sfc_config *c,
					       const char *name)
{
	size_t i;

	for (i = 0; i < c->pairs.n; i++) {
		const struct sfc_cfg_pair *pp = &c->pairs.v[i];

		if (!strcmp(pp->ingress, name) || !strcmp(pp->egress, name))
			return pp;
	}
	return NULL;
}

bool sfc_cfg_port_is_vnf(const struct sfc_config *c,
			 const struct sfc_cfg_port *p)
{
	return pair_of_port(c, p->name) != NULL;
}

bool sfc_port_may_pend(const char *name)
{
	return strchr(name, '/') != NULL;
}

/* ---- stable ids ---- */

/* The fields that hold a stable id, by JSON key. */
static const struct id_field {
	enum sfc_kind kind;
	const char *key;
} id_fields[] = {
	{ SFC_KIND_PORT, "id" },
	{ SFC_KIND_PPG, "id" },
	{ SFC_KIND_CHAIN, "id" },
	{ SFC_KIND_CHAIN, "chain_id" },
};

#define NR_ID_FIELDS (sizeof(id_fields) / sizeof(id_fields[0]))

static uint32_t *id_of(const struct sfc_config *c, const struct id_field *f,
		       size_t i)
{
	const struct sfc_attr *a = sfc_attr_by_key(f->kind, NULL, f->key);

	return (uint32_t *)((char *)sfc_cfg_at(c, f->kind, i) + a->off);
}

static uint32_t id_max(const struct id_field *f)
{
	return sfc_attr_by_key(f->kind, NULL, f->key)->max;
}

/* The lowest free ids: n resources leave one free in 1..n+1. */
static int assign_field(struct sfc_config *c, const struct id_field *f,
			char *err, size_t errlen)
{
	size_t i, n = sfc_cfg_count(c, f->kind);
	bool *used = calloc(n + 2, sizeof(*used));
	uint32_t next = 1;
	int ret = 0;

	if (!used) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (*id_of(c, f, i) <= n + 1)
			used[*id_of(c, f, i)] = true;
	for (i = 0; i < n && !ret; i++) {
		if (*id_of(c, f, i))
			continue;
		while (used[next])
			next++;
		if (next > id_max(f)) {
			snprintf(err, errlen, "too many %s: the data plane holds %u",
				 sfc_kind_info(f->kind)->plural, id_max(f));
			ret = -ENOSPC;
		} else {
			*id_of(c, f, i) = next;
			used[next] = true;
		}
	}
	free(used);
	return ret;
}

int sfc_config_assign_ids(struct sfc_config *c, char *err, size_t errlen)
{
	size_t f;
	int ret;

	for (f = 0; f < NR_ID_FIELDS; f++) {
		ret = assign_field(c, &id_fields[f], err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

static bool id_taken(const struct sfc_config *c, const struct id_field *f,
		     uint32_t id)
{
	size_t i;

	for (i = 0; i < sfc_cfg_count(c, f->kind); i++)
		if (*id_of(c, f, i) == id)
			return true;
	return false;
}

void sfc_config_inherit_ids(struct sfc_config *c,
			    const struct sfc_config *old)
{
	const struct id_field *f;
	size_t i;
	long o;

	for (f = id_fields; f < id_fields + NR_ID_FIELDS; f++) {
		for (i = 0; i < sfc_cfg_count(c, f->kind); i++) {
			o = sfc_cfg_index(old, f->kind,
					  sfc_res_name(sfc_cfg_at(c, f->kind, i)));
			if (*id_of(c, f, i) || o < 0 ||
			    id_taken(c, f, *id_of(old, f, (size_t)o)))
				continue;
			*id_of(c, f, i) = *id_of(old, f, (size_t)o);
		}
	}
}

/* ---- validation ---- */

#define LABEL(k) (sfc_kind_info(k)->label)

static int check_limits(const struct sfc_config *c, char *err, size_t errlen)
{
	const struct id_field *f;
	size_t n;

	for (f = id_fields; f < id_fields + NR_ID_FIELDS; f++) {
		n = sfc_cfg_count(c, f->kind);
		if (n > id_max(f))
			return sfc_errf(err, errlen,
					"too many %s: %zu (the data plane holds %u)",
					sfc_kind_info(f->kind)->plural, n,
					id_max(f));
	}
	return 0;
}

static int check_names(const struct sfc_config *c, char *err, size_t errlen)
{
	char why[256], tmp[SFC_NAME_MAX];
	enum sfc_kind k;
	const char *name;
	size_t i;

	for (k = 0; k < SFC_KIND__MAX; k++) {
		for (i = 0; i < sfc_cfg_count(c, k); i++) {
			name = sfc_res_name(sfc_cfg_at(c, k, i));
			if (strnlen(name, SFC_NAME_MAX) == SFC_NAME_MAX)
				return sfc_errf(err, errlen, "%s %.20s...: name too long",
						LABEL(k), name);
			if (sfc_copy_name(tmp, name, why, sizeof(why)))
				return sfc_errf(err, errlen, "%s: %s", LABEL(k), why);
		}
	}
	return 0;
}

/* Every attribute parses back, and every required one is there. */
static int check_resource_attrs(enum sfc_kind k, const void *res,
				char *err, size_t errlen)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	const struct sfc_attr *a;
	char why[256];

	for (a = ki->attrs; a < ki->attrs + ki->nr_attrs; a++) {
		if (sfc_attr_check(a, res, why, sizeof(why)))
			return sfc_errf(err, errlen, "%s %s: %s", ki->label,
					sfc_res_name(res), why);
		/* Empty lists get their own message (check_groups/chains). */
		if ((a->flags & SFC_ATTR_REQUIRED) && a->type != SFC_ATTR_REFS &&
		    !sfc_attr_count(a, res))
			return sfc_errf(err, errlen, "%s %s: missing %s", ki->label,
					sfc_res_name(res), a->word);
	}
	return 0;
}

static int check_attrs(const struct sfc_config *c, char *err, size_t errlen)
{
	enum sfc_kind k;
	size_t i;

	for (k = 0; k < SFC_KIND__MAX; k++)
		for (i = 0; i < sfc_cfg_count(c, k); i++)
			if (check_resource_attrs(k, sfc_cfg_at(c, k, i), err,
						 errlen))
				return -EINVAL;
	return 0;
}

/* A value and who holds it, sorted to find two holders of one value. */
struct keyed {
	char key[SFC_VALUE_MAX];
	const char *owner;
	size_t seq;		/* insertion order: reports are stable */
};

static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int d = strcmp(a->key, b->key);

	return d ? d : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Sorts v and returns the first of two equal neighbours, or NULL. */
static const struct keyed *find_dup(struct keyed *v, size_t n)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_keyed);
	for (i = 1; i < n; i++)
		if (!strcmp(v[i - 1].key, v[i].key))
			return &v[i - 1];
	return NULL;
}

/* Keys of kind k's resources: their names (a NULL) or attribute a. */
static size_t collect_keys(const struct sfc_config *c, enum sfc_kind k,
			   const struct sfc_attr *a, struct keyed *v)
{
	size_t i, m = 0;
	const void *res;

	for (i = 0; i < sfc_cfg_count(c, k); i++) {
		res = sfc_cfg_at(c, k, i);
		if (a && (!sfc_attr_count(a, res) ||
			  sfc_attr_format(a, res, 0, v[m].key, sizeof(v[m].key))))
			continue;
		if (!a)
			snprintf(v[m].key, sizeof(v[m].key), "%s",
				 sfc_res_name(res));
		v[m].owner = sfc_res_name(res);
		v[m].seq = m;
		m++;
	}
	return m;
}

static int check_unique_key(const struct sfc_config *c, enum sfc_kind k,
			    const char *key, char *err, size_t errlen)
{
	const struct sfc_attr *a = key ? sfc_attr_by_key(k, NULL, key) : NULL;
	struct keyed *v = calloc(sfc_cfg_count(c, k) + 1, sizeof(*v));
	const struct keyed *d;
	int ret = 0;

	if (!v)
		return sfc_errf(err, errlen, "out of memory");
	d = find_dup(v, collect_keys(c, k, a, v));
	if (d && !a)
		ret = sfc_errf(err, errlen, "duplicate %s name %s", LABEL(k), d->key);
	else if (d)
		ret = sfc_errf(err, errlen, "%s %s and %s have the same %s %s",
			       sfc_kind_info(k)->plural, d->owner, d[1].owner,
			       a->word, d->key);
	free(v);
	return ret;
}

static int check_unique(const struct sfc_config *c, char *err, size_t errlen)
{
	static const struct {
		enum sfc_kind kind;
		const char *key;	/* JSON key of the attribute */
	} unique[] = {
		{ SFC_KIND_PORT, "device" },
		{ SFC_KIND_PORT, "mac" },	/* sfc_macs maps it to one port */
		{ SFC_KIND_PORT, "port_key" },	/* names one port on all hosts */
		{ SFC_KIND_PORT, "id" },
		{ SFC_KIND_PPG, "id" },
		{ SFC_KIND_CHAIN, "id" },
		{ SFC_KIND_CHAIN, "chain_id" },
	};
	enum sfc_kind k;
	size_t i;

	for (k = 0; k < SFC_KIND__MAX; k++)
		if (check_unique_key(c, k, NULL, err, errlen))
			return -EINVAL;
	for (i = 0; i < sizeof(unique) / sizeof(unique[0]); i++)
		if (check_unique_key(c, unique[i].kind, unique[i].key, err,
				     errlen))
			return -EINVAL;
	return 0;
}

struct ref_ctx {
	const struct sfc_config *c;
	char *err;
	size_t errlen;
};

static int check_one_ref(const struct sfc_ref *r, void *ctx)
{
	struct ref_ctx *x = ctx;

	if (sfc_cfg_find(x->c, r->attr->ref, r->to))
		return 0;
	if (r->attr->ref == SFC_KIND_PORT && sfc_port_may_pend(r->to))
		return 0;	/* pending: a workload not there yet */
	return sfc_errf(x->err, x->errlen, "%s %s: %s: unknown %s %s",
			LABEL(r->from_kind), sfc_res_name(r->from), r->attr->word,
			LABEL(r->attr->ref), r->to);
}

static int check_list_twice(const struct sfc_ref *r, void *ctx)
{
	struct ref_ctx *x = ctx;
	const char *first;

	if (r->attr->type != SFC_ATTR_REFS)
		return 0;
	/* Entries are SFC_NAME_MAX apart from the list's start. */
	for (first = (const char *)r->from + r->attr->off; first < r->to;
	     first += SFC_NAME_MAX)
		if (!strcmp(first, r->to))
			return sfc_errf(x->err, x->errlen,
					"%s %s lists %s %s twice",
					LABEL(r->from_kind), sfc_res_name(r->from),
					LABEL(r->attr->ref), r->to);
	return 0;
}

static int check_refs(const struct sfc_config *c, char *err, size_t errlen)
{
	struct ref_ctx x = { c, err, errlen };

	if (sfc_cfg_for_each_ref(c, check_one_ref, &x) ||
	    sfc_cfg_for_each_ref(c, check_list_twice, &x))
		return -EINVAL;
	return 0;
}

static const char *corr_name(enum sfc_correlation corr)
{
	return sfc_enum_name(sfc_correlation_names, corr);
}

/* A probe that timed out must be over before the next one is sent. */
static int check_health(const struct sfc_cfg_ppg *g, char *err, size_t errlen)
{
	const struct sfc_cfg_health *h = &g->health;
	const uint8_t *a = h->probe_src;

	if (h->timeout_ms >= h->interval_ms)
		return sfc_errf(err, errlen,
				"port pair group %s: health-timeout %u ms is not below health-interval %u ms",
				g->name, h->timeout_ms, h->interval_ms);
	if (!memcmp(h->probe_src, h->probe_dst, sizeof(h->probe_src)))
		return sfc_errf(err, errlen,
				"port pair group %s: probe-src and probe-dst are both %u.%u.%u.%u",
				g->name, a[0], a[1], a[2], a[3]);
	return 0;
}

static int check_group(const struct sfc_config *c, const struct sfc_cfg_ppg *g,
		       char *err, size_t errlen)
{
	const struct sfc_cfg_pair *first, *pp;
	int i;

	if (!g->nr_pairs)
		return sfc_errf(err, errlen, "port pair group %s has no port pairs",
				g->name);
	if (check_health(g, err, errlen))
		return -EINVAL;
	first = sfc_cfg_find_pair(c, g->pairs[0]);
	for (i = 1; i < g->nr_pairs; i++) {
		pp = sfc_cfg_find_pair(c, g->pairs[i]);
		if (pp->correlation != first->correlation)
			return sfc_errf(err, errlen,
					"port pair group %s mixes correlation %s (%s) and %s (%s)",
					g->name, corr_name(first->correlation),
					first->name, corr_name(pp->correlation),
					pp->name);
	}
	return 0;
}

/* A port of a pair of a group. */
struct group_port {
	const char *port;
	const struct sfc_cfg_pair *pair;
	const struct sfc_cfg_ppg *group;
};

/* By port; in each port's run, chain groups before tap groups. */
static int cmp_group_port(const void *x, const void *y)
{
	const struct group_port *a = x, *b = y;
	int d = strcmp(a->port, b->port);

	if (!d)
		d = (int)a->group->tap - (int)b->group->tap;
	if (!d)
		d = (a->group > b->group) - (a->group < b->group);
	if (!d)
		d = (a->pair > b->pair) - (a->pair < b->pair);
	return d;
}

static int tap_conflict(const struct group_port *chain,
			const struct group_port *tap, char *err, size_t errlen)
{
	static const char why[] =
		"a port cannot be both a tap return port and a chain return port";

	if (chain->pair == tap->pair)
		return sfc_errf(err, errlen,
				"port pair %s is in tap group %s and in group %s: %s",
				tap->pair->name, tap->group->name,
				chain->group->name, why);
	return sfc_errf(err, errlen,
			"port %s is in tap group %s (port pair %s) and in group %s (port pair %s): %s",
			tap->port, tap->group->name, tap->pair->name,
			chain->group->name, chain->pair->name, why);
}

/*
 * The data plane discards what a tap group's pairs send back, by the port
 * it comes back on: no such port may also return a chain's traffic.
 */
static int check_taps(const struct sfc_config *c, char *err, size_t errlen)
{
	struct group_port *v = calloc(c->ppgs.n * SFC_MAX_PAIRS * 2 + 1,
				      sizeof(*v));
	const struct sfc_cfg_ppg *g;
	size_t i, run, n = 0;
	int j, ret = 0;

	if (!v)
		return sfc_errf(err, errlen, "out of memory");
	for (i = 0; i < c->ppgs.n; i++) {
		g = &c->ppgs.v[i];
		for (j = 0; j < g->nr_pairs; j++) {
			const struct sfc_cfg_pair *pp = sfc_cfg_find_pair(c, g->pairs[j]);

			v[n++] = (struct group_port){ pp->ingress, pp, g };
			v[n++] = (struct group_port){ pp->egress, pp, g };
		}
	}
	qsort(v, n, sizeof(*v), cmp_group_port);
	for (run = 0; run < n && !ret; run = i) {
		for (i = run; i < n && !strcmp(v[i].port, v[run].port); i++)
			if (v[i].group->tap && !v[run].group->tap) {
				ret = tap_conflict(&v[run], &v[i], err, errlen);
				break;
			}
		while (i < n && !strcmp(v[i].port, v[run].port))
			i++;
	}
	free(v);
	return ret;
}

static int check_groups(const struct sfc_config *c, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < c->ppgs.n; i++)
		if (check_group(c, &c->ppgs.v[i], err, errlen))
			return -EINVAL;
	return check_taps(c, err, errlen);
}

static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* The IP version the classifier matches: 4, 6, or 0 for either. */
static int fc_family(const struct sfc_cfg_fc *fc)
{
	if (fc->ethertype)
		return fc->ethertype;
	if (fc->has_src)
		return fc->src.family == AF_INET6 ? 6 : 4;
	if (fc->has_dst)
		return fc->dst.family == AF_INET6 ? 6 : 4;
	return 0;
}

static int check_prefix_family(const struct sfc_cfg_fc *fc, bool has,
			       const struct sfc_prefix *p, const char *word,
			       char *err, size_t errlen)
{
	int want = fc_family(fc);
	char buf[SFC_VALUE_MAX];

	if (!has || (p->family == AF_INET6 ? 6 : 4) == want)
		return 0;
	sfc_format_prefix(p, buf, sizeof(buf));
	return sfc_errf(err, errlen, "flow classifier %s: %s %s is not %s%s",
			fc->name, word, buf, want == 6 ? "IPv6" : "IPv4",
			fc->ethertype ? " (ethertype)" : " (as source-ip)");
}

static bool is_port_protocol(int proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP;
}

static int check_fc_match(const struct sfc_cfg_fc *fc, char *err,
			  size_t errlen)
{
	bool ranges = fc->sport_lo || fc->sport_hi != UINT16_MAX ||
		      fc->dport_lo || fc->dport_hi != UINT16_MAX;
	int family = fc_family(fc);

	if (check_prefix_family(fc, fc->has_src, &fc->src, "source-ip", err,
				errlen) ||
	    check_prefix_family(fc, fc->has_dst, &fc->dst, "destination-ip",
				err, errlen))
		return -EINVAL;
	if (ranges && !is_port_protocol(fc->protocol))
		return sfc_errf(err, errlen,
				"flow classifier %s: port ranges need protocol tcp, udp or sctp (6, 17, 132)",
				fc->name);
	if ((fc->protocol == IPPROTO_ICMP && family == 6) ||
	    (fc->protocol == IPPROTO_ICMPV6 && family == 4))
		return sfc_errf(err, errlen,
				"flow classifier %s: protocol %s does not match %s",
				fc->name,
				fc->protocol == IPPROTO_ICMP ? "icmp" : "icmpv6",
				family_name(family == 6 ? AF_INET6 : AF_INET));
	return 0;
}

/* Logical ports are edge ports: a VNF port never starts or ends a flow. */
static int check_fc_port(const struct sfc_config *c,
			 const struct sfc_cfg_fc *fc, const char *port,
			 const char *word, char *err, size_t errlen)
{
	const struct sfc_cfg_port *p = sfc_cfg_find_port(c, port);
	const struct sfc_cfg_pair *pp;

	if (!p)
		return 0;
	pp = pair_of_port(c, port);
	if (pp)
		return sfc_errf(err, errlen,
				"flow classifier %s: port %s is a VNF port (port pair %s) and cannot be its %s",
				fc->name, port, pp->name, word);
	if (!strcmp(word, "logical-destination-port") && !p->has_mac)
		return sfc_errf(err, errlen,
				"flow classifier %s: port %s has no mac: logical-destination-port needs it",
				fc->name, port);
	return 0;
}

static int check_classifiers(const struct sfc_config *c, char *err,
			     size_t errlen)
{
	const struct sfc_cfg_fc *fc;
	size_t i;

	for (i = 0; i < c->fcs.n; i++) {
		fc = &c->fcs.v[i];
		if (check_fc_match(fc, err, errlen) ||
		    check_fc_port(c, fc, fc->lsp, "logical-source-port", err,
				  errlen) ||
		    check_fc_port(c, fc, fc->ldp, "logical-destination-port",
				  err, errlen))
			return -EINVAL;
	}
	return 0;
}

/* Where a port serves a chain: which hop, through which group. */
struct hop_port {
	const char *port;
	int hop;
};

static int note_hop_port(const struct sfc_cfg_chain *ch, struct hop_port *seen,
			 int *n, const char *port, int hop, char *err,
			 size_t errlen)
{
	int i;

	for (i = 0; i < *n; i++) {
		if (strcmp(seen[i].port, port))
			continue;
		if (seen[i].hop == hop)
			return 0;
		return sfc_errf(err, errlen,
				"port chain %s: port %s is in hops %d (%s) and %d (%s): a port can serve one hop of a chain only",
				ch->name, port, seen[i].hop + 1,
				ch->ppgs[seen[i].hop], hop + 1, ch->ppgs[hop]);
	}
	seen[(*n)++] = (struct hop_port){ port, hop };
	return 0;
}

/*
 * The data plane keys flow state by the port a packet returns on (a
 * pair's egress going forward, its ingress in reverse), so a port in two
 * hops of one chain would make the hop ambiguous.
 */
static int check_return_ports(const struct sfc_config *c,
			      const struct sfc_cfg_chain *ch, char *err,
			      size_t errlen)
{
	struct hop_port seen[SFC_MAX_HOPS * SFC_MAX_PAIRS * 2];
	const struct sfc_cfg_ppg *g;
	const struct sfc_cfg_pair *pp;
	int hop, i, n = 0;

	for (hop = 0; hop < ch->nr_ppgs; hop++) {
		g = sfc_cfg_find_ppg(c, ch->ppgs[hop]);
		for (i = 0; i < g->nr_pairs; i++) {
			pp = sfc_cfg_find_pair(c, g->pairs[i]);
			if (note_hop_port(ch, seen, &n, pp->ingress, hop, err,
					  errlen) ||
			    note_hop_port(ch, seen, &n, pp->egress, hop, err,
					  errlen))
				return -EINVAL;
		}
	}
	return 0;
}

/* networking-sfc: a flow classifier belongs to one port chain at most. */
static int check_fc_owners(const struct sfc_config *c, char *err,
			   size_t errlen)
{
	size_t i, m = 0, total = 0;
	const struct keyed *d;
	struct keyed *v;
	int j, ret = 0;

	for (i = 0; i < c->chains.n; i++)
		total += (size_t)c->chains.v[i].nr_fcs;
	v = calloc(total + 1, sizeof(*v));
	if (!v)
		return sfc_errf(err, errlen, "out of memory");
	for (i = 0; i < c->chains.n; i++) {
		for (j = 0; j < c->chains.v[i].nr_fcs; j++, m++) {
			snprintf(v[m].key, sizeof(v[m].key), "%s",
				 c->chains.v[i].fcs[j]);
			v[m].owner = c->chains.v[i].name;
			v[m].seq = m;
		}
	}
	d = find_dup(v, m);
	if (d)
		ret = sfc_errf(err, errlen,
			       "flow classifier %s is used by port chains %s and %s",
			       d->key, d->owner, d[1].owner);
	free(v);
	return ret;
}

/* Taps get copies: some other hop must carry the packets themselves. */
static bool only_taps(const struct sfc_config *c,
		      const struct sfc_cfg_chain *ch)
{
	int hop;

	for (hop = 0; hop < ch->nr_ppgs; hop++)
		if (!sfc_cfg_find_ppg(c, ch->ppgs[hop])->tap)
			return false;
	return true;
}

static int check_chains(const struct sfc_config *c, char *err, size_t errlen)
{
	const struct sfc_cfg_chain *ch;
	size_t i, rules = 0;

	for (i = 0; i < c->chains.n; i++) {
		ch = &c->chains.v[i];
		if (!ch->nr_ppgs)
			return sfc_errf(err, errlen,
					"port chain %s has no port pair groups",
					ch->name);
		if (only_taps(c, ch))
			return sfc_errf(err, errlen,
					"port chain %s has only tap groups: nothing forwards its traffic",
					ch->name);
		if (check_return_ports(c, ch, err, errlen))
			return -EINVAL;
		rules += (size_t)ch->nr_fcs;
	}
	/* One compiled rule per classifier of a chain. */
	if (rules > SFC_MAX_RULES)
		return sfc_errf(err, errlen,
				"port chains use %zu flow classifiers: the data plane holds %u rules",
				rules, SFC_MAX_RULES);
	return check_fc_owners(c, err, errlen);
}

/* SPI bits the chain's header carries (the reverse path takes the top one). */
static unsigned int spi_bits(const struct sfc_cfg_chain *ch)
{
	if (ch->correlation == SFC_CORR_NSH)
		return SFC_NSH_SPI_BITS;
	return ch->mpls_encoding == SFC_MPLS_RFC8595 ? SFC_MPLS2_SPI_BITS :
						       SFC_MPLS1_SPI_BITS;
}

/* The pairs of a chain's groups are aware of the chain's correlation only. */
static int check_chain_pairs(const struct sfc_config *c,
			     const struct sfc_cfg_chain *ch, char *err,
			     size_t errlen)
{
	int h, j;

	for (h = 0; h < ch->nr_ppgs; h++) {
		const struct sfc_cfg_ppg *g = sfc_cfg_find_ppg(c, ch->ppgs[h]);

		for (j = 0; g && j < g->nr_pairs; j++) {
			const struct sfc_cfg_pair *p = sfc_cfg_find_pair(c, g->pairs[j]);

			if (p && p->correlation != SFC_CORR_NONE &&
			    p->correlation != ch->correlation)
				return sfc_errf(err, errlen,
						"port chain %s: port pair %s expects correlation %s, the chain's is %s",
						ch->name, p->name, corr_name(p->correlation),
						corr_name(ch->correlation));
		}
	}
	return 0;
}

/*
 * Correlation: SFC-aware pairs get the chain's header, so they must
 * expect that one, and the chain id must fit the header's SPI field (half
 * of it for symmetric chains, whose reverse path sets the top bit).
 */
static int check_correlation(const struct sfc_config *c, char *err,
			     size_t errlen)
{
	size_t i;

	for (i = 0; i < c->chains.n; i++) {
		const struct sfc_cfg_chain *ch = &c->chains.v[i];
		unsigned int bits;
		uint32_t max;

		if (check_chain_pairs(c, ch, err, errlen))
			return -EINVAL;
		if (ch->correlation == SFC_CORR_NONE)
			continue;
		bits = spi_bits(ch) - (ch->symmetric ? 1 : 0);
		max = (1u << bits) - 1;
		if (ch->chain_id > max)
			return sfc_errf(err, errlen,
					"port chain %s: chain id %u does not fit the %s SPI (at most %u%s)",
					ch->name, ch->chain_id,
					ch->correlation == SFC_CORR_NSH ? "NSH" :
					ch->mpls_encoding == SFC_MPLS_RFC8595 ?
					"RFC 8595 MPLS" : "single-label MPLS",
					max, ch->symmetric ? " for a symmetric chain" : "");
	}
	return 0;
}

int sfc_config_validate(const struct sfc_config *c, char *err, size_t errlen)
{
	/* In this order: later checks rely on what earlier ones proved. */
	static int (*const checks[])(const struct sfc_config *, char *,
				     size_t) = {
		check_limits, check_names, check_attrs, check_unique,
		check_refs, sfc_config_check_remote, check_groups,
		check_classifiers, check_chains, check_correlation,
		sfc_config_check_graphs,
	};
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (checks[i](c, err, errlen))
			return -EINVAL;
	return 0;
}
