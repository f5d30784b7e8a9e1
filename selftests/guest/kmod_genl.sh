#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sfc_geneve module's generic netlink family, end to end through sfcctl:
# defaults, set and read back, admin-only changes, per-netns settings,
# rejection of bad input (by sfcctl and by the kernel's own policy), and
# "not loaded" after rmmod. Runs in the 6.1 guest (run_guest.sh).
#
#   init_net: sfcctl module {show,set,reset}     (root and nobody)
#   netns sfckg-<pid>: its own settings, defaults on creation
#
# kselftest exit codes: 0 pass, 1 fail, 4 skip.
set -u
source "$(dirname "$0")/lib.sh"

NS=sfckg-$$
MOD=sfc_geneve
TMP=
SFCCTL=
# Run as "nobody" with no capabilities at all, not even inheritable ones.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups
	--inh-caps=-all --bounding-set=-all)

cleanup() {
	ip netns del "$NS" 2>/dev/null
	grep -q "^$MOD " /proc/modules && rmmod "$MOD"
	[ -n "$TMP" ] && rm -rf "$TMP"
}

# A #define of a uapi header, so the test follows the header.
uapi_define() {	# uapi_define FILE NAME
	sed -n "s/^#define[[:space:]]\+$2[[:space:]]\+\([^[:space:]]*\).*/\1/p" \
		"include/uapi/$1" | tr -d '"'
}

# The value of an enum entry: its position, as the uapi enums have no "=".
uapi_enum() {	# uapi_enum FILE NAME
	awk -v name="$2" '
		/^enum / { inside = 1; i = 0; next }
		inside && /^}/ { inside = 0 }
		inside && $1 ~ /^[A-Z_0-9]+,?$/ {
			sub(/,$/, "", $1)
			if ($1 == name) { print i; exit }
			i++
		}' "include/uapi/$1"
}

# jq -e on "sfcctl -j module show" in the current netns (or NS with -n).
show_matches() {	# show_matches [-n] JQ_EXPR
	local out
	if [ "$1" = -n ]; then
		shift
		out=$(ip netns exec "$NS" "$SFCCTL" -j module show) || return 1
	else
		out=$("$SFCCTL" -j module show) || return 1
	fi
	echo "$out" | jq -e "$1" >/dev/null || {
		echo "    got: $out"
		return 1
	}
}

settings_are() {	# settings_are [-n] CLASS TYPE
	local ns=
	if [ "$1" = -n ]; then
		ns=-n
		shift
	fi
	show_matches $ns ".opt_class == $(($1)) and .opt_type == $(($2))"
}

# "expect_fail MSG CMD...": CMD exits 1 and says MSG on stderr.
expect_fail() {
	local msg=$1 err ret
	shift
	err=$("$@" 2>&1 >/dev/null)
	ret=$?
	[ $ret = 1 ] && [[ $err == *"$msg"* ]] && return 0
	echo "    expected exit 1 and '$msg', got exit $ret: $err"
	return 1
}

# A raw generic netlink request, bypassing sfcctl's own checks, so the
# kernel's policy is what gets tested. Prints the errno the kernel
# answered (0 for an ACK). Attributes are TYPE:STRUCTFMT:VALUE, e.g. 2:H:5.
genl_raw() {	# genl_raw CMD ATTR...
	/usr/bin/python3 - "$@" <<'EOF'
import socket, struct, sys

NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLMSG_ERROR = 1, 4, 2

def attr(atype, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, atype) + payload + b"\0" * (-n % 4)

def attrs(buf):
    out = {}
    while len(buf) >= 4:
        n, atype = struct.unpack_from("=HH", buf)
        out[atype & 0x3fff] = buf[4:n]
        buf = buf[(n + 3) & ~3:]
    return out

def request(sock, family, cmd, payload):
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    sock.send(struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body)
    replies = []
    while True:
        data = sock.recv(65536)
        while data:
            n, mtype = struct.unpack_from("=IH", data)
            if mtype == NLMSG_ERROR:
                return struct.unpack_from("=i", data, 16)[0], replies
            replies.append(data[20:n])
            data = data[(n + 3) & ~3:]

sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
err, replies = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                       attr(CTRL_ATTR_FAMILY_NAME, b"sfc_geneve\0"))
if err:
    sys.exit("family lookup failed: %d" % err)
family = struct.unpack("=H", attrs(replies[0])[CTRL_ATTR_FAMILY_ID][:2])[0]
payload = b""
for spec in sys.argv[2:]:
    atype, fmt, val = spec.split(":")
    payload += attr(int(atype), struct.pack("=" + fmt, int(val, 0)))
print(request(sock, family, int(sys.argv[1]), payload)[0])
EOF
}

setup() {
	local f
	[ "${SFC_IN_GUEST:-}" = 1 ] || skip "not in the guest (SFC_IN_GUEST unset)"
	[ -f /proc/modules ] || skip "kernel without module support"
	require_command jq
	require_command setpriv
	require_command ip
	[ -n "${SFC_BUILD:-}" ] || skip "SFC_BUILD unset"
	for f in "$SFC_BUILD/kmod/$MOD.ko" "$SFC_BUILD/sfcctl"; do
		[ -e "$f" ] || { echo "FAIL: $f not built"; exit $KSFT_FAIL; }
	done

	CLASS_DEFAULT=$(uapi_define sfc_genl.h SFC_GENEVE_CLASS_DEFAULT)
	TYPE_DEFAULT=$(uapi_define sfc_genl.h SFC_GENEVE_TYPE_DEFAULT)
	VERSION=$(uapi_define sfc_common.h SFC_VERSION)
	CMD_SET=$(uapi_enum sfc_genl.h SFC_GENL_CMD_SET)
	A_CLASS=$(uapi_enum sfc_genl.h SFC_GENL_A_OPT_CLASS)
	A_TYPE=$(uapi_enum sfc_genl.h SFC_GENL_A_OPT_TYPE)
	A_STAT_GET=$(uapi_enum sfc_genl.h SFC_GENL_A_STAT_GET)
	for f in CMD_SET A_CLASS A_TYPE A_STAT_GET CLASS_DEFAULT TYPE_DEFAULT \
		 VERSION; do
		if [ -z "${!f}" ]; then
			echo "FAIL: $f not found in include/uapi"
			exit $KSFT_FAIL
		fi
	done

	# A copy nobody can surely run, whatever the build dir's modes are.
	TMP=$(mktemp -d)
	chmod 755 "$TMP"
	install -m 755 "$SFC_BUILD/sfcctl" "$TMP/sfcctl"
	SFCCTL=$TMP/sfcctl

	trap cleanup EXIT
	grep -q "^$MOD " /proc/modules && rmmod "$MOD"
	dmesg_mark
}

check_load() {
	expect_fail "not loaded" "$SFCCTL" module show
	log_test $? "show before insmod: not loaded"
	insmod "$SFC_BUILD/kmod/$MOD.ko"
	log_test $? "insmod $MOD.ko"
	[ "$(cat /sys/module/$MOD/version 2>/dev/null)" = "$VERSION" ]
	log_test $? "module version is $VERSION"
}

check_defaults() {
	show_matches ".version == \"$VERSION\" and
		.opt_class == $((CLASS_DEFAULT)) and
		.opt_type == $((TYPE_DEFAULT)) and .critical == false and
		.stats == {\"get\": 0, \"set\": 0, \"err\": 0, \"crit\": 0} and
		.mode == \"kfunc\""
	log_test $? "defaults: class $CLASS_DEFAULT type $TYPE_DEFAULT, zero counters"
	"$SFCCTL" module show | grep -q "class $CLASS_DEFAULT type"
	log_test $? "text output shows the class in hex"
}

check_set() {
	"$SFCCTL" module set class 0x1234 type 0x85 && settings_are 0x1234 0x85 &&
		show_matches ".critical == true"
	log_test $? "set class 0x1234 type 0x85 (critical bit) and read back"
	"$SFCCTL" module set type 7 && settings_are 0x1234 7
	log_test $? "set type alone keeps the class"
	"$SFCCTL" module set class 4660 && settings_are 0x1234 7
	log_test $? "set class alone (decimal) keeps the type"
	"$SFCCTL" module set class 0 type 0 && settings_are 0 0 &&
		"$SFCCTL" module set class 65535 type 255 &&
		settings_are 65535 255 &&
		"$SFCCTL" module set class 0x1234 type 7
	log_test $? "bounds 0/0 and 65535/255 accepted"
	"$SFCCTL" module reset && show_matches '.stats.get == 0'
	log_test $? "reset as root"
}

check_nonadmin() {
	"${NOBODY[@]}" "$SFCCTL" -j module show | jq -e '.opt_class == 4660' >/dev/null
	log_test $? "non-admin can show"
	expect_fail "permission denied" "${NOBODY[@]}" "$SFCCTL" module set class 1
	log_test $? "non-admin set: permission denied"
	expect_fail "permission denied" "${NOBODY[@]}" "$SFCCTL" module reset
	log_test $? "non-admin reset: permission denied"
	settings_are 0x1234 7
	log_test $? "non-admin attempts changed nothing"
}

check_netns() {
	ip netns add "$NS"
	log_test $? "netns $NS created"
	settings_are -n "$CLASS_DEFAULT" "$TYPE_DEFAULT"
	log_test $? "new netns starts with the defaults"
	ip netns exec "$NS" "$SFCCTL" module set class 0x2222 type 0x22 &&
		settings_are -n 0x2222 0x22
	log_test $? "set inside the netns"
	settings_are 0x1234 7
	log_test $? "init_net unaffected by the netns"
	"$SFCCTL" module set type 9 && settings_are -n 0x2222 0x22
	log_test $? "netns unaffected by init_net"
	ip netns del "$NS"
	log_test $? "netns deleted while the module is loaded"
}

check_malformed() {
	local input
	for input in "class 70000" "class -1" "class 0x" "class 1x" \
		     "class ''" "type 256" "type 0x100"; do
		eval "expect_fail bad \"\$SFCCTL\" module set $input"
		log_test $? "sfcctl rejects $input"
	done
	expect_fail "nothing to set" "$SFCCTL" module set
	log_test $? "sfcctl rejects an empty set"
	settings_are 0x1234 9
	log_test $? "rejected input changed nothing"

	command -v /usr/bin/python3 >/dev/null || {
		echo "SKIP: no /usr/bin/python3 for the raw netlink checks"
		return
	}
	[ "$(genl_raw "$CMD_SET" "$A_CLASS":H:0x4242)" = 0 ] && settings_are 0x4242 9 &&
		"$SFCCTL" module set class 0x1234
	log_test $? "raw netlink: valid u16 class accepted (control)"
	[ "$(genl_raw "$CMD_SET" "$A_CLASS":I:70000)" = -22 ]
	log_test $? "kernel rejects a u32 class (70000) with EINVAL"
	[ "$(genl_raw "$CMD_SET" "$A_TYPE":H:256)" = -22 ]
	log_test $? "kernel rejects a u16 type (256) with EINVAL"
	[ "$(genl_raw "$CMD_SET")" = -22 ]
	log_test $? "kernel rejects SET without attributes"
	[ "$(genl_raw "$CMD_SET" "$A_STAT_GET":Q:1)" = -22 ]
	log_test $? "kernel rejects an attribute SET does not take"
	[ "$(genl_raw 99)" = -95 ]
	log_test $? "kernel rejects an unknown command (EOPNOTSUPP)"
	settings_are 0x1234 9
	log_test $? "rejected netlink requests changed nothing"
}

check_unload() {
	rmmod "$MOD"
	log_test $? "rmmod $MOD"
	expect_fail "sfc_geneve module not loaded" "$SFCCTL" module show
	log_test $? "show after rmmod: not loaded, exit 1"
	"$SFCCTL" -j module show 2>/dev/null | jq -e '.error | test("not loaded")' >/dev/null
	log_test $? "JSON error after rmmod"
	insmod "$SFC_BUILD/kmod/$MOD.ko" &&
		settings_are "$CLASS_DEFAULT" "$TYPE_DEFAULT" && rmmod "$MOD"
	log_test $? "reload starts from the defaults"
}

setup
check_load
check_defaults
check_set
check_nonadmin
check_netns
check_malformed
check_unload
check_dmesg
exit $rc
