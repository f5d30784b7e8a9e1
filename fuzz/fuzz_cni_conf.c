// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: sfc-cni's request parsing (user/sfc-cni/conf.c): the
 * network configuration on stdin (cniVersion, name, prevResult, our
 * options) and the port name from runtimeConfig, portName or CNI_ARGS.
 *
 * Input: the configuration text, then optionally a NUL and CNI_ARGS, then
 * optionally a NUL and CNI_IFNAME. The log file option is not opened
 * (cni_log_open is wrapped at link time), so the harness writes nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "config.h"
#include "../user/sfc-cni/cni.h"

int __wrap_cni_log_open(const char *path, int level);
int __wrap_cni_log_open(const char *path, int level)
{
	(void)path;
	(void)level;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *args = NULL, *ifname = "eth0", *p;
	static const enum cni_cmd cmds[] = { CNI_CMD_ADD, CNI_CMD_DEL,
		CNI_CMD_CHECK, CNI_CMD_VERSION, CNI_CMD_GC, CNI_CMD_STATUS };
	struct cni_req r;
	struct cni_error e;
	size_t len;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	len = strlen(buf);
	if (len < size) {
		args = buf + len + 1;
		p = args + strlen(args);
		if (p < buf + size)
			ifname = p + 1;
	}
	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	r.cmd = cmds[len % (sizeof(cmds) / sizeof(cmds[0]))];
	r.command = "ADD";
	r.container_id = "fuzz";
	r.ifname = ifname;
	r.args = args;
	if (!cni_parse_conf(&r, buf, len, &e) && r.cmd != CNI_CMD_VERSION) {
		char tmp[64];

		cni_port_name(&r, &e);
		cni_arg(args, "K8S_POD_NAME", tmp, sizeof(tmp));
		cni_version_cmp(r.version ? r.version : "", "1.0.0");
	}
	json_object_put(r.conf);
	free(buf);
	return 0;
}
