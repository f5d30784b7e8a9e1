// SPDX-License-Identifier: GPL-2.0
/*
 * sfc-cni's protocol, one fixture per case: the environment, stdin, and
 * what must come back on stdout (the spec's error object with its code,
 * or a result, or nothing) with the exit status. The plugin binary runs
 * as the runtime runs it; nothing here needs root or a pod: cases that
 * reach the data plane are in selftests/net/sfc_cni.sh.
 *
 * The plugin is $SFC_BUILD/sfc-cni, or the one next to this program's
 * build directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "tap.h"

static char plugin[PATH_MAX];
static char dir[64];		/* a private state directory (mkdtemp) */
static char state[96];		/* its state file */

#define NO_STDIN	((const char *)-1)	/* run with stdin closed */

struct run {
	int status;		/* exit status */
	char out[8192];		/* stdout */
	char err[8192];		/* stderr */
	struct json_object *json;	/* stdout parsed, or NULL */
};

static void read_fd(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < len && (r = read(fd, buf + n, len - n - 1)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(fd);
}

/*
 * env: "K=V" strings, NULL-terminated; input: stdin text or NO_STDIN;
 * args: the arguments after the program's name, or NULL (as runtimes do).
 */
static void run_args(struct run *r, const char *const *env, const char *input,
		     const char *const *args)
{
	const char *argv[8] = { plugin };
	int i;

	int in[2], out[2], err[2];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe(in) || pipe(out) || pipe(err))
		exit(KSFT_FAIL);
	pid = fork();
	if (pid < 0)
		exit(KSFT_FAIL);
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (input == NO_STDIN)
			close(0);
		close(in[1]);
		for (i = 0; args && args[i] && i < 6; i++)
			argv[i + 1] = args[i];
		execve(plugin, (char *const *)argv, (char *const *)env);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	/* A plugin that fails before reading its stdin closes it: EPIPE
	 * then (SIGPIPE is ignored, see main) is its answer, not ours. */
	if (input != NO_STDIN && input &&
	    write(in[1], input, strlen(input)) < 0 && errno != EPIPE)
		exit(KSFT_FAIL);
	close(in[1]);
	read_fd(err[0], r->err, sizeof(r->err));	/* small: no deadlock */
	read_fd(out[0], r->out, sizeof(r->out));
	waitpid(pid, &r->status, 0);
	r->status = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
	r->json = json_tokener_parse(r->out);
}

static void run(struct run *r, const char *const *env, const char *input)
{
	run_args(r, env, input, NULL);
}

static const char *member(const struct run *r, const char *key)
{
	struct json_object *v;

	return r->json && json_object_object_get_ex(r->json, key, &v) ?
	       json_object_get_string(v) : NULL;
}

static int code(const struct run *r)
{
	const char *c = member(r, "code");

	return c ? atoi(c) : -1;
}

/* An error: exit 1, and stdout the spec's error object with this code and
 * a message holding want. */
static void expect_error(const char *name, const char *const *env,
			 const char *input, int want_code, const char *want)
{
	const char *msg;
	struct run r;

	run(&r, env, input);
	msg = member(&r, "msg");
	TAP_CHECK(r.status == 1 && code(&r) == want_code && member(&r, "cniVersion") &&
		  msg && strstr(msg, want), "%s: code %d", name, want_code);
	if (r.status != 1 || code(&r) != want_code || !msg || !strstr(msg, want))
		printf("#   exit %d, stdout: %s\n#   stderr: %s\n", r.status, r.out,
		       r.err);
	json_object_put(r.json);
}

/* Success with nothing on stdout (DEL, GC, STATUS). */
static void expect_silent_ok(const char *name, const char *const *env,
			     const char *input)
{
	struct run r;

	run(&r, env, input);
	TAP_CHECK(r.status == 0 && !r.out[0], "%s: exit 0, no output", name);
	if (r.status || r.out[0])
		printf("#   exit %d, stdout: %s\n#   stderr: %s\n", r.status, r.out,
		       r.err);
	json_object_put(r.json);
}

static char conf_buf[4096];

/* A request: cniVersion, name, our state and pins in dir, then extra. */
static const char *conf(const char *version, const char *extra)
{
	snprintf(conf_buf, sizeof(conf_buf),
		 "{\"cniVersion\": \"%s\", \"name\": \"net1\", \"type\": \"sfc-cni\", "
		 "\"state\": \"%s\", \"bpffs\": \"%s/pins/sfc\"%s%s}",
		 version, state, dir, extra[0] ? ", " : "", extra);
	return conf_buf;
}

#define PREV "\"prevResult\": {\"cniVersion\": \"1.0.0\", \"interfaces\": " \
	     "[{\"name\": \"eth0\", \"sandbox\": \"/run/netns/x\"}], \"ips\": []}"

#define ENV(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define ADD_ENV(...) ENV("CNI_COMMAND=ADD", "CNI_CONTAINERID=c1", \
			 "CNI_NETNS=/run/netns/sfc-cni-none", "CNI_IFNAME=eth0", \
			 "CNI_PATH=/usr/lib/cni", ##__VA_ARGS__)

static void test_about_and_version(void)
{
	struct json_object *list;
	struct run r;

	run(&r, ENV("PATH=/usr/bin"), "");
	TAP_CHECK(r.status == 1 && code(&r) == 4 &&
		  strstr(member(&r, "msg") ?: "", "CNI_COMMAND") &&
		  strstr(r.err, "sfc-cni") &&
		  strstr(r.err, "CNI protocol versions supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0"),
		  "no CNI_COMMAND: the about text on stderr, code 4 on stdout");
	json_object_put(r.json);

	run(&r, ENV("CNI_COMMAND=VERSION"), "{\"cniVersion\": \"1.0.0\"}");
	TAP_CHECK(r.status == 0 && member(&r, "cniVersion") &&
		  !strcmp(member(&r, "cniVersion"), "1.0.0") &&
		  json_object_object_get_ex(r.json, "supportedVersions", &list) &&
		  json_object_array_length(list) == 5 &&
		  !strcmp(json_object_get_string(json_object_array_get_idx(list, 0)), "0.3.0") &&
		  !strcmp(json_object_get_string(json_object_array_get_idx(list, 4)), "1.1.0"),
		  "VERSION: supportedVersions 0.3.0 .. 1.1.0, cniVersion echoed");
	json_object_put(r.json);

	run(&r, ENV("CNI_COMMAND=VERSION"), "");
	TAP_CHECK(r.status == 0 && member(&r, "cniVersion") &&
		  !strcmp(member(&r, "cniVersion"), "1.1.0"),
		  "VERSION without input answers for 1.1.0");
	json_object_put(r.json);
}

static void test_env(void)
{
	expect_error("unknown CNI_COMMAND", ENV("CNI_COMMAND=FROB"), conf("1.1.0", ""),
		     4, "unknown CNI_COMMAND: FROB");
	expect_error("ADD without CNI_NETNS",
		     ENV("CNI_COMMAND=ADD", "CNI_CONTAINERID=c1", "CNI_IFNAME=eth0"),
		     conf("1.1.0", PREV), 4, "[CNI_NETNS]");
	expect_error("ADD without any", ENV("CNI_COMMAND=ADD"), conf("1.1.0", PREV),
		     4, "[CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME]");
	expect_error("CHECK without CNI_IFNAME",
		     ENV("CNI_COMMAND=CHECK", "CNI_CONTAINERID=c1", "CNI_NETNS=/x"),
		     conf("1.1.0", PREV), 4, "[CNI_IFNAME]");
	expect_error("DEL without CNI_CONTAINERID",
		     ENV("CNI_COMMAND=DEL", "CNI_IFNAME=eth0"), conf("1.1.0", ""),
		     4, "[CNI_CONTAINERID]");
	expect_error("GC without CNI_PATH", ENV("CNI_COMMAND=GC"),
		     conf("1.1.0", "\"cni.dev/valid-attachments\": []"), 4,
		     "[CNI_PATH]");
	expect_error("a bad CNI_CONTAINERID",
		     ENV("CNI_COMMAND=DEL", "CNI_CONTAINERID=-c", "CNI_IFNAME=eth0"),
		     conf("1.1.0", ""), 4, "CNI_CONTAINERID '-c'");
	expect_error("a bad CNI_IFNAME",
		     ENV("CNI_COMMAND=DEL", "CNI_CONTAINERID=c1", "CNI_IFNAME=a/b"),
		     conf("1.1.0", ""), 4, "CNI_IFNAME 'a/b'");
	expect_error("stdin closed", ADD_ENV(), NO_STDIN, 5, "reading the configuration");
}

static void test_decoding(void)
{
	expect_error("bad JSON", ADD_ENV(), "{\"cniVersion\": ", 6,
		     "error decoding");
	expect_error("not an object", ADD_ENV(), "[1, 2]", 6, "error decoding");
	expect_error("text after the object", ADD_ENV(), "{} {}", 6,
		     "error decoding");
	expect_error("empty stdin", ADD_ENV(), "", 6, "error decoding");
}

static void test_versions(void)
{
	expect_error("unknown cniVersion 2.0.0", ADD_ENV(), conf("2.0.0", PREV),
		     1, "incompatible CNI versions");
	expect_error("too old cniVersion 0.2.0", ADD_ENV(), conf("0.2.0", PREV),
		     1, "incompatible CNI versions");
	expect_error("no cniVersion", ADD_ENV(), "{\"name\": \"n\"}", 1,
		     "incompatible CNI versions");
	expect_error("CHECK at 0.3.1",
		     ENV("CNI_COMMAND=CHECK", "CNI_CONTAINERID=c1", "CNI_NETNS=/x",
			 "CNI_IFNAME=eth0"), conf("0.3.1", PREV), 1,
		     "does not allow CHECK");
	expect_error("GC at 1.0.0", ENV("CNI_COMMAND=GC", "CNI_PATH=/x"),
		     conf("1.0.0", "\"cni.dev/valid-attachments\": []"), 1,
		     "does not allow GC");
	expect_error("STATUS at 1.0.0", ENV("CNI_COMMAND=STATUS"),
		     conf("1.0.0", ""), 1, "does not allow STATUS");
}

static void test_config(void)
{
	const char *k8s = "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=web";
	struct run r;

	expect_error("missing prevResult", ADD_ENV(k8s), conf("1.1.0", ""), 7,
		     "missing prevResult");
	expect_error("CHECK without prevResult",
		     ENV("CNI_COMMAND=CHECK", "CNI_CONTAINERID=c1", "CNI_NETNS=/x",
			 "CNI_IFNAME=eth0", k8s), conf("1.1.0", ""), 7,
		     "missing prevResult");
	expect_error("prevResult not an object", ADD_ENV(k8s),
		     conf("1.1.0", "\"prevResult\": 3"), 7, "prevResult must be an object");
	expect_error("missing name", ADD_ENV(k8s),
		     "{\"cniVersion\": \"1.0.0\", " PREV "}", 7, "missing network name");
	expect_error("a bad network name", ADD_ENV(k8s),
		     "{\"cniVersion\": \"1.0.0\", \"name\": \"../x\", " PREV "}", 7,
		     "network name '../x'");
	expect_error("a non-string option", ADD_ENV(k8s),
		     "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"bpffs\": 5}", 7,
		     "bpffs must be a string");
	expect_error("a bad logLevel", ADD_ENV(k8s), conf("1.1.0", "\"logLevel\": \"loud\""),
		     7, "logLevel 'loud'");
	expect_error("ipam given to a chained plugin", ADD_ENV(k8s),
		     conf("1.1.0", "\"ipam\": {\"type\": \"host-local\"}, " PREV), 2,
		     "unsupported field ipam={\"type\":\"host-local\"}");
	expect_error("no pod in CNI_ARGS, no portName", ADD_ENV("CNI_ARGS=IgnoreUnknown=1"),
		     conf("1.1.0", PREV), 7, "no port name");
	expect_error("portName without '/'", ADD_ENV(),
		     conf("1.1.0", "\"portName\": \"web\", " PREV), 7, "has no '/'");
	expect_error("runtimeConfig wins over portName and CNI_ARGS", ADD_ENV(k8s),
		     conf("1.1.0", "\"portName\": \"a/b\", \"runtimeConfig\": "
			  "{\"sfcPortName\": \"bad name/x\"}, " PREV), 7,
		     "bad name 'bad name/x'");
	expect_error("a pod name too long for a port", ADD_ENV(
		     "CNI_ARGS=K8S_POD_NAMESPACE=ns;K8S_POD_NAME=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
		     conf("1.1.0", PREV), 7, "too long");
	expect_error("the pod's netns does not exist", ADD_ENV(k8s),
		     conf("1.1.0", PREV), 3, "CNI_NETNS /run/netns/sfc-cni-none");
	expect_error("CNI_NETNS is our own namespace",
		     ENV("CNI_COMMAND=ADD", "CNI_CONTAINERID=c1", "CNI_IFNAME=eth0",
			 "CNI_NETNS=/proc/self/ns/net", k8s),
		     conf("1.1.0", PREV), 4, "invalid CNI_NETNS");

	/* A log file gets the lines stderr would have. */
	snprintf(conf_buf, sizeof(conf_buf),
		 "{\"cniVersion\": \"1.1.0\", \"name\": \"n\", \"state\": \"%s\", "
		 "\"logFile\": \"%s/log\"}", state, dir);
	run(&r, ADD_ENV(k8s), conf_buf);
	json_object_put(r.json);
	{
		char path[96], text[1024] = "";
		FILE *f;

		snprintf(path, sizeof(path), "%s/log", dir);
		f = fopen(path, "r");
		if (f) {
			text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
			fclose(f);
		}
		TAP_CHECK(strstr(text, "error ADD c1/eth0: missing prevResult") &&
			  !strstr(r.err, "missing prevResult"),
			  "logFile: the error is logged there, not on stderr");
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		exit(KSFT_FAIL);
}

static void test_del_gc_status(void)
{
	char other[96], bad[96];
	const char *del = "CNI_COMMAND=DEL";

	expect_silent_ok("DEL of an attachment never added",
			 ENV(del, "CNI_CONTAINERID=c1", "CNI_IFNAME=eth0"),
			 conf("1.1.0", ""));
	expect_silent_ok("DEL again (idempotent), with prevResult",
			 ENV(del, "CNI_CONTAINERID=c1", "CNI_IFNAME=eth0",
			     "CNI_NETNS=/run/netns/gone"), conf("1.1.0", PREV));
	expect_silent_ok("DEL at 0.3.0", ENV(del, "CNI_CONTAINERID=c1", "CNI_IFNAME=eth0"),
			 conf("0.3.0", ""));
	expect_silent_ok("GC with nothing recorded",
			 ENV("CNI_COMMAND=GC", "CNI_PATH=/x"),
			 conf("1.1.0", "\"cni.dev/valid-attachments\": "
			      "[{\"containerID\": \"c1\", \"ifname\": \"eth0\"}]"));
	expect_error("GC without valid-attachments", ENV("CNI_COMMAND=GC", "CNI_PATH=/x"),
		     conf("1.1.0", ""), 7, "cni.dev/valid-attachments");
	expect_error("GC with a malformed attachment", ENV("CNI_COMMAND=GC", "CNI_PATH=/x"),
		     conf("1.1.0", "\"cni.dev/valid-attachments\": [{\"ifname\": 1}]"),
		     7, "valid-attachments[0]");
	expect_silent_ok("STATUS, nothing configured and nothing loaded",
			 ENV("CNI_COMMAND=STATUS"), conf("1.1.0", ""));

	/* Ports configured, no data plane: existing pods are affected. */
	snprintf(other, sizeof(other), "%s/with-ports.json", dir);
	write_file(other, "{\"version\": 1, \"ports\": [{\"name\": \"ns/web\", "
		   "\"device\": \"lo\"}]}");
	snprintf(conf_buf, sizeof(conf_buf),
		 "{\"cniVersion\": \"1.1.0\", \"name\": \"n\", \"state\": \"%s\", "
		 "\"bpffs\": \"%s/pins/sfc\"}", other, dir);
	expect_error("STATUS: ports but no data plane", ENV("CNI_COMMAND=STATUS"),
		     conf_buf, 51, "not loaded");

	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	write_file(bad, "{\"ports\": 3}");
	snprintf(conf_buf, sizeof(conf_buf),
		 "{\"cniVersion\": \"1.1.0\", \"name\": \"n\", \"state\": \"%s\"}", bad);
	expect_error("STATUS: an unreadable state file", ENV("CNI_COMMAND=STATUS"),
		     conf_buf, 50, "bad.json");
	expect_error("DEL: an unreadable state file",
		     ENV(del, "CNI_CONTAINERID=c1", "CNI_IFNAME=eth0"), conf_buf, 5,
		     "bad.json");
}

/* sfc-cni chain FILE: appended once, options updated, FILE still a list. */
static void test_chain_tool(void)
{
	char path[96];
	struct json_object *doc, *plugins, *last, *v;
	struct run r;
	bool ok;

	snprintf(path, sizeof(path), "%s/10-bridge.conflist", dir);
	write_file(path, "{\"cniVersion\": \"1.0.0\", \"name\": \"k8s\", \"plugins\": "
		   "[{\"type\": \"bridge\"}, {\"type\": \"portmap\"}]}");
	run_args(&r, ENV("PATH=/usr/bin"), "", (const char *[]){ "chain", path,
		 "logFile=/var/log/a.log", NULL });
	json_object_put(r.json);
	run_args(&r, ENV("PATH=/usr/bin"), "", (const char *[]){ "chain", path,
		 "logFile=/var/log/b.log", "bpffs=/sys/fs/bpf/x", NULL });
	json_object_put(r.json);
	doc = json_object_from_file(path);
	ok = doc && r.status == 0 &&
	     json_object_object_get_ex(doc, "plugins", &plugins) &&
	     json_object_array_length(plugins) == 3;
	last = ok ? json_object_array_get_idx(plugins, 2) : NULL;
	ok = ok && json_object_object_get_ex(last, "type", &v) &&
	     !strcmp(json_object_get_string(v), "sfc-cni") &&
	     json_object_object_get_ex(last, "logFile", &v) &&
	     !strcmp(json_object_get_string(v), "/var/log/b.log") &&
	     json_object_object_get_ex(last, "bpffs", &v);
	TAP_CHECK(ok, "sfc-cni chain FILE: appended once, after portmap, options updated");
	json_object_put(doc);

	run_args(&r, ENV("PATH=/usr/bin"), "", (const char *[]){ "chain", state, NULL });
	TAP_CHECK(r.status == 1 && strstr(r.err, "not a network configuration list"),
		  "sfc-cni chain refuses a file that is no list");
	json_object_put(r.json);
}

static int find_plugin(void)
{
	const char *build = getenv("SFC_BUILD");
	char self[PATH_MAX];
	ssize_t n;

	if (build && *build) {
		snprintf(plugin, sizeof(plugin), "%s/sfc-cni", build);
	} else {
		/* BUILD/selftests/unit/test_cni -> BUILD/sfc-cni */
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0)
			return -1;
		self[n] = '\0';
		snprintf(plugin, sizeof(plugin), "%s/../../sfc-cni", dirname(self));
	}
	return access(plugin, X_OK);
}

int main(void)
{
	char tmpl[] = "/tmp/sfc-test-cni.XXXXXX";
	char cmd[128];

	/* A loaded machine once let a plugin exit before the test wrote its
	 * input: the write killed the test (exit 141, its output lost). */
	signal(SIGPIPE, SIG_IGN);

	if (find_plugin())
		tap_skip_all("sfc-cni not built (run make)");
	if (!mkdtemp(tmpl))
		return KSFT_FAIL;
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(state, sizeof(state), "%s/config.json", dir);

	test_about_and_version();
	test_env();
	test_decoding();
	test_versions();
	test_config();
	test_del_gc_status();
	test_chain_tool();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
	return tap_finish();
}
