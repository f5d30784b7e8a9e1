// SPDX-License-Identifier: GPL-2.0
/*
 * Client of the sfc_geneve generic netlink family, on libnl-genl-3.
 *
 * libnl folds kernel errnos into its own NLE_* codes, which loses EPERM
 * versus EACCES and the like; the error callback below keeps the
 * kernel's errno so callers can tell "not admin" from "bad value".
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "uapi/sfc_geneve.h"
#include "uapi/sfc_genl.h"
#include "genl.h"

struct sfc_genl_conn {
	struct nl_sock *sk;
	int family;
};

/* One request: what came back and whether the kernel has answered. */
struct sfc_genl_xfer {
	int kernel_err;		/* -errno from an NLMSG_ERROR, else 0 */
	int parse_err;		/* -errno from the reply parser, else 0 */
	bool done;
	int (*parse)(struct nl_msg *msg, void *arg);
	void *arg;
};

static int nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:			return 0;
	case NLE_NOMEM:		return -ENOMEM;
	case NLE_PERM:		return -EPERM;
	case NLE_NOACCESS:	return -EACCES;
	case NLE_OBJ_NOTFOUND:	return -ENOENT;
	case NLE_INVAL:		return -EINVAL;
	case NLE_RANGE:		return -ERANGE;
	case NLE_AGAIN:		return -EAGAIN;
	case NLE_INTR:		return -EINTR;
	case NLE_MSGSIZE:	return -EMSGSIZE;
	case NLE_OPNOTSUPP:	return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:	return -EAFNOSUPPORT;
	case NLE_PROTO_MISMATCH: return -EPROTONOSUPPORT;
	case NLE_BUSY:		return -EBUSY;
	default:		return -EIO;
	}
}

static void sfc_genl_close(struct sfc_genl_conn *c)
{
	nl_socket_free(c->sk);
	c->sk = NULL;
}

/* Connect and resolve the family: -ENOENT means the module is absent. */
static int sfc_genl_open(struct sfc_genl_conn *c)
{
	int err;

	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;

	err = genl_connect(c->sk);
	if (err < 0)
		goto fail;

	c->family = genl_ctrl_resolve(c->sk, SFC_GENL_NAME);
	if (c->family < 0) {
		err = c->family;
		goto fail;
	}
	return 0;

fail:
	sfc_genl_close(c);
	return nlerr_to_errno(err);
}

static struct nl_msg *sfc_genl_msg(const struct sfc_genl_conn *c, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, 0,
			 cmd, SFC_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int xfer_valid(struct nl_msg *msg, void *arg)
{
	struct sfc_genl_xfer *x = arg;
	int err;

	if (!x->parse)
		return NL_OK;
	err = x->parse(msg, x->arg);
	if (err && !x->parse_err)
		x->parse_err = err;
	return NL_OK;
}

static int xfer_ack(struct nl_msg *msg, void *arg)
{
	struct sfc_genl_xfer *x = arg;

	(void)msg;
	x->done = true;
	return NL_STOP;
}

static int xfer_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct sfc_genl_xfer *x = arg;

	(void)nla;
	x->kernel_err = e->error;
	x->done = true;
	return NL_STOP;
}

/*
 * Send msg (consumed) and read until the kernel's ACK or error; libnl
 * asks for an ACK on every request, so the ACK ends every exchange.
 */
static int sfc_genl_request(struct sfc_genl_conn *c, struct nl_msg *msg,
			    int (*parse)(struct nl_msg *, void *), void *arg)
{
	struct sfc_genl_xfer x = { .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xfer_valid, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, xfer_ack, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, xfer_error, &x);

	err = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	while (err >= 0 && !x.done)
		err = nl_recvmsgs(c->sk, cb);
	nl_cb_put(cb);

	if (x.kernel_err)
		return x.kernel_err;
	if (err < 0)
		return nlerr_to_errno(err);
	return x.parse_err;
}

static int parse_info(struct nl_msg *msg, void *arg)
{
	static struct nla_policy policy[SFC_GENL_A_MAX + 1] = {
		[SFC_GENL_A_VERSION]	= { .type = NLA_STRING },
		[SFC_GENL_A_OPT_CLASS]	= { .type = NLA_U16 },
		[SFC_GENL_A_OPT_TYPE]	= { .type = NLA_U8 },
		[SFC_GENL_A_STAT_GET]	= { .type = NLA_U64 },
		[SFC_GENL_A_STAT_SET]	= { .type = NLA_U64 },
		[SFC_GENL_A_STAT_ERR]	= { .type = NLA_U64 },
		[SFC_GENL_A_STAT_CRIT]	= { .type = NLA_U64 },
	};
	struct nlattr *tb[SFC_GENL_A_MAX + 1];
	struct sfc_genl_info *out = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (genlmsg_parse(nlh, 0, tb, SFC_GENL_A_MAX, policy) < 0)
		return -EPROTO;
	/* Settings are mandatory; counters default to 0 if ever dropped. */
	if (!tb[SFC_GENL_A_VERSION] || !tb[SFC_GENL_A_OPT_CLASS] ||
	    !tb[SFC_GENL_A_OPT_TYPE])
		return -EPROTO;

	memset(out, 0, sizeof(*out));
	nla_strlcpy(out->version, tb[SFC_GENL_A_VERSION], sizeof(out->version));
	out->opt_class = nla_get_u16(tb[SFC_GENL_A_OPT_CLASS]);
	out->opt_type = nla_get_u8(tb[SFC_GENL_A_OPT_TYPE]);
	if (tb[SFC_GENL_A_STAT_GET])
		out->stat_get = nla_get_u64(tb[SFC_GENL_A_STAT_GET]);
	if (tb[SFC_GENL_A_STAT_SET])
		out->stat_set = nla_get_u64(tb[SFC_GENL_A_STAT_SET]);
	if (tb[SFC_GENL_A_STAT_ERR])
		out->stat_err = nla_get_u64(tb[SFC_GENL_A_STAT_ERR]);
	if (tb[SFC_GENL_A_STAT_CRIT])
		out->stat_crit = nla_get_u64(tb[SFC_GENL_A_STAT_CRIT]);
	return 0;
}

/* Open, build a cmd message, let fill() add attributes, send, close. */
static int sfc_genl_call(uint8_t cmd, int (*fill)(struct nl_msg *, void *),
			 void *fill_arg, int (*parse)(struct nl_msg *, void *),
			 void *parse_arg)
{
	struct sfc_genl_conn c;
	struct nl_msg *msg;
	int err;

	err = sfc_genl_open(&c);
	if (err)
		return err;

	msg = sfc_genl_msg(&c, cmd);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	if (fill) {
		err = fill(msg, fill_arg);
		if (err) {
			nlmsg_free(msg);
			goto out;
		}
	}
	err = sfc_genl_request(&c, msg, parse, parse_arg);
out:
	sfc_genl_close(&c);
	return err;
}

bool sfc_genl_available(void)
{
	struct sfc_genl_conn c;

	if (sfc_genl_open(&c))
		return false;
	sfc_genl_close(&c);
	return true;
}

int sfc_genl_get(struct sfc_genl_info *out)
{
	struct sfc_genl_info info;
	int err;

	/* An ACK without a reply leaves version empty: not a valid answer. */
	memset(&info, 0, sizeof(info));
	err = sfc_genl_call(SFC_GENL_CMD_GET, NULL, NULL, parse_info, &info);
	if (err)
		return err;
	if (!info.version[0])
		return -EPROTO;
	*out = info;
	return 0;
}

struct set_args {
	int opt_class;
	int opt_type;
};

static int fill_set(struct nl_msg *msg, void *arg)
{
	const struct set_args *a = arg;

	if (a->opt_class >= 0 &&
	    nla_put_u16(msg, SFC_GENL_A_OPT_CLASS, a->opt_class) < 0)
		return -EMSGSIZE;
	if (a->opt_type >= 0 &&
	    nla_put_u8(msg, SFC_GENL_A_OPT_TYPE, a->opt_type) < 0)
		return -EMSGSIZE;
	return 0;
}

int sfc_genl_set(int opt_class, int opt_type)
{
	struct set_args a = { .opt_class = opt_class, .opt_type = opt_type };

	if (opt_class < -1 || opt_class > UINT16_MAX ||
	    opt_type < -1 || opt_type > UINT8_MAX ||
	    (opt_class < 0 && opt_type < 0))
		return -EINVAL;
	return sfc_genl_call(SFC_GENL_CMD_SET, fill_set, &a, NULL, NULL);
}

int sfc_genl_reset(void)
{
	return sfc_genl_call(SFC_GENL_CMD_RESET, NULL, NULL, NULL, NULL);
}

bool sfc_geneve_kfuncs_wanted(void)
{
	const char *mode = getenv(SFC_GENEVE_MODE_ENV);

	if (mode && !strcmp(mode, "fallback"))
		return false;
	return access(SFC_GENEVE_MODULE_BTF, F_OK) == 0;
}

const char *sfc_geneve_mode(void)
{
	return sfc_geneve_kfuncs_wanted() ? "kfunc" : "fallback";
}
