#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkimage.sh DIR OUT VERSION: the sfc-cni container image as one tarball,
# without a container engine or a registry. DIR holds the statically
# linked sfc-cni and sfcctl; the image's files are
#
#   /opt/sfc/bin/{sfc-cni,sfcctl}  /opt/sfc/install.sh
#   /opt/sfc/sfc.conflist.example  /bin/busybox and its applets (for the script)
#
# OUT is both an OCI image layout archive (index.json, blobs/sha256/...),
# which `ctr images import` and `podman load` read, and a docker-archive
# (manifest.json), which `docker load` reads; the image is named
# sfc-cni:VERSION. Every byte is reproducible: fixed times, owners, order.
set -euo pipefail

DIR=$1 OUT=$2 VERSION=$3
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUSYBOX=${BUSYBOX:-/bin/busybox}
NAME=sfc-cni:$VERSION
ROOT=$DIR/rootfs
ARCHIVE=$DIR/archive

# The image has no libc: the busybox must be static (no ELF interpreter).
if [ ! -x "$BUSYBOX" ] || readelf -l "$BUSYBOX" | grep -q INTERP; then
	echo "mkimage: $BUSYBOX is not a static busybox (package busybox-static)" >&2
	exit 1
fi

rm -rf "$ROOT" "$ARCHIVE"
mkdir -p "$ROOT/opt/sfc/bin" "$ROOT/bin" "$ROOT/tmp" "$ARCHIVE/blobs/sha256"
install -m 0755 "$DIR/sfc-cni" "$DIR/sfcctl" "$ROOT/opt/sfc/bin/"
install -m 0755 "$REPO/deploy/install.sh" "$ROOT/opt/sfc/"
install -m 0644 "$REPO/deploy/sfc.conflist.example" "$ROOT/opt/sfc/"
install -m 0755 "$BUSYBOX" "$ROOT/bin/busybox"
for applet in sh env cp mv rm mkdir chmod cat ls sed sleep dirname basename; do
	ln -s busybox "$ROOT/bin/$applet"
done
chmod 1777 "$ROOT/tmp"

# Reproducible tar: sorted, numeric root owner, epoch times.
repro_tar() {	# DIR OUT
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
		--format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
		-C "$1" -cf "$2" .
}

# blob FILE MEDIATYPE: stores FILE by digest, prints its descriptor.
blob() {
	local digest size
	digest=$(sha256sum "$1" | cut -d' ' -f1)
	size=$(stat -c %s "$1")
	mv "$1" "$ARCHIVE/blobs/sha256/$digest"
	jq -nc --arg m "$2" --arg d "sha256:$digest" --argjson s "$size" \
		'{mediaType: $m, digest: $d, size: $s}'
}

repro_tar "$ROOT" "$DIR/layer.tar"
diff_id=sha256:$(sha256sum "$DIR/layer.tar" | cut -d' ' -f1)
gzip -9nf "$DIR/layer.tar"
layer=$(blob "$DIR/layer.tar.gz" application/vnd.oci.image.layer.v1.tar+gzip)

jq -n --arg diff "$diff_id" --arg v "$VERSION" '{
	architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
	config: {
		Env: ["PATH=/opt/sfc/bin:/bin"],
		Entrypoint: ["/opt/sfc/install.sh"],
		Labels: {"org.opencontainers.image.title": "sfc-cni",
			 "org.opencontainers.image.version": $v}
	},
	rootfs: {type: "layers", diff_ids: [$diff]},
	history: [{created: "1970-01-01T00:00:00Z", created_by: "deploy/mkimage.sh"}]
}' >"$DIR/config.json"
config=$(blob "$DIR/config.json" application/vnd.oci.image.config.v1+json)

jq -n --argjson c "$config" --argjson l "$layer" '{
	schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
	config: $c, layers: [$l]}' >"$DIR/manifest.json"
manifest=$(blob "$DIR/manifest.json" application/vnd.oci.image.manifest.v1+json)

jq -n --argjson m "$manifest" --arg name "$NAME" '{
	schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
	manifests: [$m + {annotations: {"org.opencontainers.image.ref.name": $name}}]
}' >"$ARCHIVE/index.json"
echo '{"imageLayoutVersion": "1.0.0"}' >"$ARCHIVE/oci-layout"
jq -n --argjson c "$config" --argjson l "$layer" --arg name "$NAME" '[{
	Config: ("blobs/sha256/" + ($c.digest | ltrimstr("sha256:"))),
	RepoTags: [$name],
	Layers: [("blobs/sha256/" + ($l.digest | ltrimstr("sha256:")))]
}]' >"$ARCHIVE/manifest.json"

repro_tar "$ARCHIVE" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
