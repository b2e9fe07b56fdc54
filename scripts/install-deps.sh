#!/usr/bin/env bash
# Installs what Neuralake needs on Debian 12, and nothing else. Safe to run again:
# it installs only the packages that are missing, and says which.
#
#   build:   cmake, ninja, pkg-config, a C compiler
#   libs:    zstd, snappy, zlib, lz4, brotli (Parquet codecs); xxhash (hashing);
#            libcurl + OpenSSL (S3, HTTP, SigV4); jansson (JSON); PCRE2 (regex);
#            utf8proc (display widths); libedit (shell); libmicrohttpd (server)
#   tests:   cmocka (unit tests); clang (libFuzzer, for scripts/fuzz-parquet.sh)
#   s3:      Ceph's RADOS Gateway (a real S3 server for tests and the quickstart)
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl uuid-runtime
  libzstd-dev libsnappy-dev zlib1g-dev liblz4-dev libbrotli-dev
  libxxhash-dev libcurl4-openssl-dev libssl-dev libjansson-dev libpcre2-dev
  libutf8proc-dev libedit-dev libmicrohttpd-dev
  libcmocka-dev clang
  ceph-mon ceph-osd radosgw ceph-common
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
