# SPDX-License-Identifier: GPL-2.0
#
# sfc: service function chaining data plane on eBPF.
#
#   make            build BPF objects, skeletons, user space, kernel module
#   make deps       install the Debian packages everything needs (idempotent)
#   make check      deps + build + all three test tiers (unit, netns, guest)
#   make demo       deps + build + the namespace demo
#   make image      sfc-cni's container image, a tarball (docs/kubernetes.md)
#   make fuzz       libFuzzer runs of the parsers, FUZZ_TIME s each (docs/robustness.md)
#   make V=1        show the commands
#
# All outputs go to $(O) (default build/), which git ignores.

O	?= build
V	?= 0
ifeq ($(V),1)
Q	:=
msg	:= @true
else
Q	:= @
msg	= @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

ARCH_INC := /usr/include/$(shell uname -m)-linux-gnu
CLANG	?= clang
CC	?= cc
BPFTOOL	?= bpftool
PKGS	:= libbpf libnl-3.0 libnl-genl-3.0 libnl-route-3.0 json-c

# Guest kernel: the newest Debian 6.1 headers installed (make deps installs them).
KVER	?= $(shell ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(6\.1\.[0-9.-]*-amd64\)$$/\1/p' | sort -V | tail -1)
KDIR	?= /usr/src/linux-headers-$(KVER)

BPF_CFLAGS := -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
	      -I include -I bpf -I $(ARCH_INC)
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	      -I include -I user/lib -I $(O)/skel \
	      $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
USER_LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lelf -lz

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(O)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(O)/skel/%.skel.h,$(BPF_SRCS))
BPF_HDRS  := $(wildcard bpf/lib/*.h include/uapi/*.h)

LIB_SRCS  := $(wildcard user/lib/*.c)
LIB_OBJS  := $(patsubst %.c,$(O)/%.o,$(LIB_SRCS))
LIB_HDRS  := $(wildcard user/lib/*.h include/uapi/*.h)
LIBSFC    := $(O)/user/libsfc.a

SFCCTL_SRCS := $(wildcard user/sfcctl/*.c)
SFCCTL_OBJS := $(patsubst %.c,$(O)/%.o,$(SFCCTL_SRCS))
SFCCTL      := $(O)/sfcctl

CNI_SRCS  := $(wildcard user/sfc-cni/*.c)
CNI_OBJS  := $(patsubst %.c,$(O)/%.o,$(CNI_SRCS))
SFC_CNI   := $(O)/sfc-cni

UNIT_SRCS := $(wildcard selftests/unit/*.c)
UNIT_BINS := $(patsubst selftests/unit/%.c,$(O)/selftests/unit/%,$(UNIT_SRCS))

KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h kmod/Kbuild)
KMOD	  := $(O)/kmod/sfc_geneve.ko

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all bpf user kmod deps check check-unit check-net check-guest demo \
	bench clean distclean help image

all: bpf user kmod

help:
	@sed -n 's/^#   //p' Makefile

deps:
	$(Q)scripts/deps.sh

bpf: $(BPF_OBJS) $(BPF_SKELS)
user: $(SFCCTL) $(SFC_CNI) $(UNIT_BINS)
kmod: $(KMOD)

$(O)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/skel/%.skel.h: $(O)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@

$(O)/%.o: %.c $(LIB_HDRS) $(BPF_SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIBSFC): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(SFCCTL): $(SFCCTL_OBJS) $(LIBSFC)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(CNI_OBJS): $(wildcard user/sfc-cni/*.h)

$(SFC_CNI): $(CNI_OBJS) $(LIBSFC)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(O)/selftests/unit/%: $(O)/selftests/unit/%.o $(LIBSFC)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

# The image's binaries are static: a node need not have our libraries.
IMAGE	  := $(O)/sfc-cni-image.tar
STATIC_LDLIBS := $(shell pkg-config --static --libs $(PKGS) 2>/dev/null) -lelf -lz

image: $(IMAGE)

$(O)/image/sfc-cni: $(CNI_OBJS) $(LIBSFC)
$(O)/image/sfcctl: $(SFCCTL_OBJS) $(LIBSFC)
$(O)/image/sfc-cni $(O)/image/sfcctl:
	$(call msg,LINK,$@ [static])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -static -s -Wl,--no-warnings -o $@ $^ $(STATIC_LDLIBS)

$(IMAGE): $(O)/image/sfc-cni $(O)/image/sfcctl $(wildcard deploy/*)
	$(call msg,IMAGE,$@)
	$(Q)deploy/mkimage.sh $(O)/image $@ \
		$$(sed -n 's/^#define SFC_VERSION "\(.*\)"/\1/p' include/uapi/sfc_common.h)

# Kbuild cannot put out-of-tree objects elsewhere on 6.1: build a copy.
# O= on the sub-make: our O (build dir) must not become kbuild's O.
# The headers package has no vmlinux: kbuild skips module BTF, so
# scripts/kmod_btf.sh adds it (base: the guest kernel's own BTF) and
# resolves the kfunc ids, caching its tools in $(KBTF_CACHE).
KBTF_CACHE := $(O)/cache/kbtf-$(KVER)
GUEST_VMLINUZ := $(O)/cache/guest-kernel/$(KVER)/boot/vmlinuz-$(KVER)

$(KMOD): $(KMOD_SRCS) include/uapi/sfc_genl.h include/uapi/sfc_common.h \
	 include/uapi/sfc_geneve.h scripts/kmod_btf.sh
	$(call msg,KMOD,$@ [$(KVER)])
	$(Q)test -n "$(KVER)" || { echo "no Debian 6.1 headers: run 'make deps'" >&2; exit 1; }
	$(Q)rm -rf $(O)/kmod && mkdir -p $(O)/kmod
	$(Q)cp $(KMOD_SRCS) $(O)/kmod/
	$(Q)$(MAKE) -s -C $(KDIR) M=$(abspath $(O)/kmod) O= \
		SFC_UAPI=$(abspath include/uapi) KBUILD_VERBOSE=$(V) modules \
		$(if $(filter 1,$(V)),,>/dev/null)
	$(call msg,BTF,$@)
	$(Q)scripts/kmod_btf.sh $(KBTF_CACHE) $(GUEST_VMLINUZ) $@

check: deps
	$(Q)$(MAKE) --no-print-directory all fuzz-build
	$(Q)selftests/run_tests.sh --build $(O)

check-unit check-net check-guest: all
	$(Q)selftests/run_tests.sh --build $(O) --tier $(patsubst check-%,%,$@)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh $(O)

bench: all
	$(Q)bench/run.sh $(O)

clean:
	$(Q)find $(O) -mindepth 1 -maxdepth 1 ! -name cache -exec rm -rf {} +

distclean:
	$(Q)rm -rf $(O)

# Fixture frames are built by scapy (Debian's python3-scapy lives under
# /usr/bin/python3, not a pyenv python3 that may come first on PATH).
FIXTURE_GENS := $(wildcard selftests/unit/fixtures/*.py)
FIXTURE_GENS := $(filter-out %/fixlib.py,$(FIXTURE_GENS))
FIXTURES     := $(patsubst selftests/unit/fixtures/%.py,$(O)/selftests/fixtures/%.fix,$(FIXTURE_GENS))
user: $(FIXTURES)

$(O)/selftests/fixtures/%.fix: selftests/unit/fixtures/%.py selftests/unit/fixtures/fixlib.py
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)/usr/bin/python3 $< > $@

# The benchmark's BPF_PROG_TEST_RUN runner (bench/run.sh builds its own
# copy): built with everything, so a change to the programs' globals or maps
# cannot break `make bench` unseen.
BENCH_PROG_COST := $(O)/bench/prog_cost
user: $(BENCH_PROG_COST)

$(BENCH_PROG_COST): bench/prog_cost.c $(BPF_SKELS) $(wildcard include/uapi/*.h)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) $< -o $@ $(USER_LDLIBS)

# The hostile packet corpus test_corpus runs (selftests/unit/corpus/).
CORPUS_GENS := $(wildcard selftests/unit/corpus/*.py)
CORPORA     := $(patsubst selftests/unit/corpus/%.py,$(O)/selftests/corpus/%.corpus,$(CORPUS_GENS))
user: $(CORPORA)

$(O)/selftests/corpus/%.corpus: selftests/unit/corpus/%.py selftests/unit/fixtures/fixlib.py
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)/usr/bin/python3 $< > $@

# libFuzzer harnesses (fuzz/, docs/robustness.md): libsfc and sfc-cni's
# sources again, instrumented, under ASan and UBSan.
# `make fuzz` builds, then runs each harness FUZZ_TIME seconds;
# `make fuzz-build` only builds ($(O)/fuzz/fuzz_*).
FUZZ_TIME   ?= 300
FUZZ_CC     ?= clang
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -D_GNU_SOURCE \
	       -I include -I user/lib -I $(O)/skel \
	       $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_SRCS   := $(LIB_SRCS) $(filter-out %/main.c,$(CNI_SRCS))
FUZZ_OBJS   := $(patsubst %.c,$(O)/fuzz/obj/%.o,$(FUZZ_SRCS))
FUZZ_LIB    := $(O)/fuzz/libsfc-fuzz.a
FUZZERS     := $(patsubst fuzz/%.c,$(O)/fuzz/%,$(wildcard fuzz/fuzz_*.c))

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZERS)

$(O)/fuzz/obj/%.o: %.c $(LIB_HDRS) $(wildcard user/sfc-cni/*.h) $(BPF_SKELS)
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/fuzz/%: fuzz/%.c $(FUZZ_LIB)
	$(call msg,FUZZER,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) \
		-Wl,--wrap=cni_log_open -o $@ $< $(FUZZ_LIB) $(USER_LDLIBS)

fuzz: fuzz-build
	$(Q)fuzz/run.sh --build $(O) --time $(FUZZ_TIME)

# BPF programs of test VNFs (selftests/net/vnf/), loaded by iproute2.
TEST_BPF_SRCS := $(wildcard selftests/net/vnf/*.bpf.c)
TEST_BPF_OBJS := $(patsubst selftests/net/vnf/%.bpf.c,$(O)/selftests/vnf/%.bpf.o,$(TEST_BPF_SRCS))
bpf: $(TEST_BPF_OBJS)

$(O)/selftests/vnf/%.bpf.o: selftests/net/vnf/%.bpf.c
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# kmod_kfunc.sh's TC programs and their loader (selftests/guest/): the
# loader chooses kfunc or fallback mode from the module's BTF, as the
# data plane does, and sets the programs' const volatile knobs.
GUEST_BPF_SRCS := $(wildcard selftests/guest/*.bpf.c)
GUEST_SKELS    := $(patsubst selftests/guest/%.bpf.c,$(O)/selftests/guest/%.skel.h,$(GUEST_BPF_SRCS))
GUEST_LOADERS  := $(patsubst %.c,$(O)/%,$(wildcard selftests/guest/*_load.c))
user: $(GUEST_LOADERS)

$(O)/selftests/guest/%.bpf.o: selftests/guest/%.bpf.c $(BPF_HDRS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/selftests/guest/%.skel.h: $(O)/selftests/guest/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@

$(O)/selftests/guest/%_load: selftests/guest/%_load.c $(GUEST_SKELS) $(LIB_HDRS)
	$(call msg,CCLD,$@)
	$(Q)$(CC) $(USER_CFLAGS) -I $(O)/selftests/guest -o $@ $< $(USER_LDLIBS)
