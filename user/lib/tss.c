// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier's tuple space: building it from compiled rules and
 * writing it into one slot of the maps (tss.h; the idea is tuple space
 * search, Srinivasan et al., as Open vSwitch's classifier uses it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "tss.h"

static int tss_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int tss_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

int sfc_port_blocks(__u16 lo, __u16 hi, struct sfc_port_block *out)
{
	unsigned int cur = lo, end = hi;
	int n = 0;

	if (lo == 0 && hi == 0xffff) {
		out[0].value = 0;
		out[0].mask = 0;
		return 1;
	}
	/* Greedy: the largest aligned block that starts at cur and fits. */
	while (cur <= end) {
		unsigned int size = 1;

		while (size < 0x10000 && !(cur & (2 * size - 1)) &&
		       cur + 2 * size - 1 <= end)
			size *= 2;
		out[n].value = (__u16)cur;
		out[n].mask = (__u16)~(size - 1);
		n++;
		cur += size;
	}
	return n;
}

/* A tuple's identity: everything its mask is made of. */
struct shape {
	__be32 src_mask[4];
	__be32 dst_mask[4];
	__u16 sport_mask;
	__u16 dport_mask;
	__u8 family;
	__u8 proto_mask;
	__u8 dst_port;		/* logical destination port exact */
	__u8 pad;
};

#define SHAPE_HASH_SIZE	1024	/* open addressing, > 2 * SFC_MAX_TUPLES */

struct shapes {
	struct shape s[SFC_MAX_TUPLES];
	__u32 best[SFC_MAX_TUPLES];
	__u8 flags[SFC_MAX_TUPLES];
	int n;
	short slot[SHAPE_HASH_SIZE];	/* index + 1, 0: empty */
};

static unsigned int shape_hash(const struct shape *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*s); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The index of shape s, added if new; -1 when SFC_MAX_TUPLES are used. */
static int shape_index(struct shapes *sh, const struct shape *s)
{
	unsigned int h = shape_hash(s) % SHAPE_HASH_SIZE;

	while (sh->slot[h]) {
		int i = sh->slot[h] - 1;

		if (!memcmp(&sh->s[i], s, sizeof(*s)))
			return i;
		h = (h + 1) % SHAPE_HASH_SIZE;
	}
	if (sh->n == SFC_MAX_TUPLES)
		return -1;
	sh->s[sh->n] = *s;
	sh->best[sh->n] = 0xffffffff;
	sh->slot[h] = (short)(sh->n + 1);
	return sh->n++;
}

static __u8 list_flag(__u32 list)
{
	if (!list)
		return SFC_TUPLE_F_ANY_PORT;
	return list < SFC_MAX_PORTS ? SFC_TUPLE_F_PORT : SFC_TUPLE_F_BRANCH;
}

static void rule_shape(const struct sfc_rule *r, __u16 smask, __u16 dmask,
		       struct shape *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->src_mask, r->src_mask, sizeof(s->src_mask));
	memcpy(s->dst_mask, r->dst_mask, sizeof(s->dst_mask));
	s->sport_mask = smask;
	s->dport_mask = dmask;
	s->family = r->family;
	s->proto_mask = r->proto ? 0xff : 0;
	s->dst_port = r->dst_port_id != 0;
}

static void rule_key(const struct sfc_listed_rule *lr, __u32 slot, int tuple,
		     const struct sfc_port_block *sb,
		     const struct sfc_port_block *db,
		     struct sfc_tss_entry *e)
{
	const struct sfc_rule *r = &lr->r;
	int w;

	memset(e, 0, sizeof(*e));
	e->key.slot = (__u8)slot;
	e->key.proto = r->proto;
	e->key.tuple = (__u16)tuple;
	e->key.list = (__u16)lr->list;
	e->key.dst_port_id = r->dst_port_id;
	e->key.sport = sb->value;
	e->key.dport = db->value;
	for (w = 0; w < 4; w++) {
		e->key.src[w] = r->src[w] & r->src_mask[w];
		e->key.dst[w] = r->dst[w] & r->dst_mask[w];
	}
	e->val.rank = r->rank;
	e->val.chain = r->chain;
}

/* How many entries the rules expand to: counted before anything is built. */
static size_t count_entries(const struct sfc_listed_rule *rules, size_t n)
{
	struct sfc_port_block b[SFC_PORT_BLOCKS_MAX];
	size_t i, total = 0;

	for (i = 0; i < n; i++) {
		const struct sfc_rule *r = &rules[i].r;

		total += (size_t)sfc_port_blocks(r->sport_lo, r->sport_hi, b) *
			 (size_t)sfc_port_blocks(r->dport_lo, r->dport_hi, b);
	}
	return total;
}

static int by_key_then_rank(const void *a, const void *b)
{
	const struct sfc_tss_entry *x = a, *y = b;
	int c = memcmp(&x->key, &y->key, sizeof(x->key));

	if (c)
		return c;
	return x->val.rank < y->val.rank ? -1 : x->val.rank > y->val.rank;
}

/* Rules of one list with the same key: only the best can ever win. */
static size_t dedup(struct sfc_tss_entry *e, size_t n)
{
	size_t i, out = 0;

	qsort(e, n, sizeof(*e), by_key_then_rank);
	for (i = 0; i < n; i++)
		if (!out || memcmp(&e[out - 1].key, &e[i].key, sizeof(e[i].key)))
			e[out++] = e[i];
	return out;
}

static const struct shapes *sort_shapes;

static int by_best_rank(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	if (sort_shapes->best[x] != sort_shapes->best[y])
		return sort_shapes->best[x] < sort_shapes->best[y] ? -1 : 1;
	return x - y;
}

/*
 * The table in walk order (best rank first, so the data plane stops at
 * the first tuple that cannot win) and the entries renumbered to match.
 */
static void order_tuples(struct shapes *sh, struct sfc_tss *t)
{
	int order[SFC_MAX_TUPLES], pos[SFC_MAX_TUPLES], i;
	size_t j;

	for (i = 0; i < sh->n; i++)
		order[i] = i;
	sort_shapes = sh;
	qsort(order, (size_t)sh->n, sizeof(order[0]), by_best_rank);
	memset(&t->table, 0, sizeof(t->table));
	t->table.count = (__u32)sh->n;
	for (i = 0; i < sh->n; i++) {
		const struct shape *s = &sh->s[order[i]];
		struct sfc_tuple *tu = &t->table.t[i];

		pos[order[i]] = i;
		memcpy(tu->src_mask, s->src_mask, sizeof(tu->src_mask));
		memcpy(tu->dst_mask, s->dst_mask, sizeof(tu->dst_mask));
		tu->best_rank = sh->best[order[i]];
		tu->sport_mask = s->sport_mask;
		tu->dport_mask = s->dport_mask;
		tu->family = s->family;
		tu->proto_mask = s->proto_mask;
		tu->flags = sh->flags[order[i]];
		if (s->sport_mask || s->dport_mask)
			tu->flags |= SFC_TUPLE_F_L4;
		if (s->dst_port)
			tu->flags |= SFC_TUPLE_F_DST_PORT;
	}
	for (j = 0; j < t->n; j++)
		t->e[j].key.tuple = (__u16)pos[t->e[j].key.tuple];
}

/* Every entry of one rule: the product of its port blocks. */
static int expand_rule(const struct sfc_listed_rule *lr, __u32 slot,
		       struct shapes *sh, struct sfc_tss *t)
{
	struct sfc_port_block sb[SFC_PORT_BLOCKS_MAX], db[SFC_PORT_BLOCKS_MAX];
	const struct sfc_rule *r = &lr->r;
	int ns, nd, i, j, idx;
	struct shape s;

	ns = sfc_port_blocks(r->sport_lo, r->sport_hi, sb);
	nd = sfc_port_blocks(r->dport_lo, r->dport_hi, db);
	for (i = 0; i < ns; i++) {
		for (j = 0; j < nd; j++) {
			rule_shape(r, sb[i].mask, db[j].mask, &s);
			idx = shape_index(sh, &s);
			if (idx < 0)
				return -E2BIG;
			if (r->rank < sh->best[idx])
				sh->best[idx] = r->rank;
			sh->flags[idx] |= list_flag(lr->list);
			rule_key(lr, slot, idx, &sb[i], &db[j], &t->e[t->n++]);
		}
	}
	return 0;
}

int sfc_tss_build(const struct sfc_listed_rule *rules, size_t n, __u32 slot,
		  struct sfc_tss *t, char *err, size_t errlen)
{
	size_t total = count_entries(rules, n), i;
	struct shapes *sh;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	if (total > SFC_MAX_CLASS_ENTRIES)
		return tss_fail(err, errlen, -E2BIG,
				"%zu classifier rules expand to %zu entries (port ranges as prefix blocks): the data plane holds %u",
				n, total, SFC_MAX_CLASS_ENTRIES);
	sh = calloc(1, sizeof(*sh));
	t->e = calloc(total + 1, sizeof(*t->e));
	if (!sh || !t->e) {
		free(sh);
		return tss_fail(err, errlen, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n && !ret; i++) {
		ret = expand_rule(&rules[i], slot, sh, t);
		t->uses_dst_ports |= rules[i].r.dst_port_id != 0;
	}
	if (ret)
		tss_fail(err, errlen, ret,
			 "classifier rules need more than %d distinct shapes (family, protocol, prefix lengths, port blocks, destination port)",
			 SFC_MAX_TUPLES);
	else {
		t->n = dedup(t->e, t->n);
		order_tuples(sh, t);
	}
	free(sh);
	return ret;
}

void sfc_tss_free(struct sfc_tss *t)
{
	free(t->e);
	t->e = NULL;
	t->n = 0;
}

#define TSS_BATCH	4096

/*
 * Deletes the entries of slot, one batch of buckets at a time: the
 * batch token is a bucket index, so deleting what a batch returned never
 * disturbs the buckets still to come.
 */
static int delete_slot(int fd, __u32 slot)
{
	static struct sfc_class_rule_key keys[TSS_BATCH], stale[TSS_BATCH];
	static struct sfc_class_rule_val vals[TSS_BATCH];
	__u64 in_tok = 0, out_tok = 0;
	bool first = true, done = false;
	LIBBPF_OPTS(bpf_map_batch_opts, opts);

	while (!done) {
		__u32 count = TSS_BATCH, nstale = 0, i;
		int ret = bpf_map_lookup_batch(fd, first ? NULL : &in_tok, &out_tok,
					       keys, vals, &count, &opts);

		if (ret && errno != ENOENT)
			return -errno;
		done = ret != 0;	/* ENOENT: that was the last batch */
		first = false;
		in_tok = out_tok;
		for (i = 0; i < count; i++)
			if (keys[i].slot == slot)
				stale[nstale++] = keys[i];
		if (nstale && bpf_map_delete_batch(fd, stale, &nstale, &opts))
			return -errno;
	}
	return 0;
}

static int write_entries(int fd, const struct sfc_tss *t)
{
	static struct sfc_class_rule_key keys[TSS_BATCH];
	static struct sfc_class_rule_val vals[TSS_BATCH];
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	size_t done = 0;

	while (done < t->n) {
		__u32 count = 0;

		while (count < TSS_BATCH && done + count < t->n) {
			keys[count] = t->e[done + count].key;
			vals[count] = t->e[done + count].val;
			count++;
		}
		if (bpf_map_update_batch(fd, keys, vals, &count, &opts))
			return -errno;
		done += count;
	}
	return 0;
}

int sfc_tss_write(int tuples_fd, int rules_fd, const struct sfc_tss *t,
		  __u32 slot, char *err, size_t errlen)
{
	int ret = delete_slot(rules_fd, slot);

	if (ret)
		return tss_fail(err, errlen, ret, "clearing classifier slot %u: %s",
				slot, strerror(-ret));
	ret = write_entries(rules_fd, t);
	if (ret)
		return tss_fail(err, errlen, ret, "writing classifier entries: %s",
				strerror(-ret));
	if (bpf_map_update_elem(tuples_fd, &slot, &t->table, BPF_ANY))
		return tss_fail(err, errlen, -errno, "writing classifier tuples: %s",
				strerror(errno));
	return 0;
}
