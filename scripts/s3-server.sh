#!/bin/bash
# s3-server.sh -- a throwaway S3 server on 127.0.0.1 for the quickstart and the
# integration tests, with the bucket `neuralake-bucket`.
#
#   scripts/s3-server.sh start   start it (MinIO when installed, else Ceph's
#                                RADOS Gateway as a one-node in-memory cluster)
#   scripts/s3-server.sh env     print the environment to use it:
#                                  eval "$(scripts/s3-server.sh env)"
#   scripts/s3-server.sh stop    stop it and delete its state
#   scripts/s3-server.sh status  exit 0 when it answers
#
# Settings (environment): NL_S3_PORT (7480), NL_S3_STATE (state directory,
# ${TMPDIR:-/tmp}/neuralake-s3-<port>), NL_S3_BUCKET (neuralake-bucket),
# NL_S3_ACCESS_KEY / NL_S3_SECRET_KEY. Distinct ports and state directories
# let several servers run at once (the tests use 7481).
#
# The Ceph cluster: one monitor, one OSD on the memstore backend (data in RAM,
# capped by NL_S3_MEMSTORE_BYTES, 2 GiB), no manager, pool size 1 and 8
# placement groups, a short paxos interval so it starts in seconds, lifecycle
# threads off so it stops at once. The gateway checks SigV4 signatures and
# honours If-None-Match: *.
set -euo pipefail

PORT=${NL_S3_PORT:-7480}
STATE=${NL_S3_STATE:-${TMPDIR:-/tmp}/neuralake-s3-$PORT}
# NL_S3_PORT=auto: a free port (and monitor port) picked at start and kept in
# $STATE/env, so several checkouts can run their tests at once.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ "$PORT" = auto ]; then
    if [ -s "$STATE/port" ] && [ -d "$STATE/run" ]; then
        PORT=$(cat "$STATE/port")
        NL_S3_MON_PORT=$(cat "$STATE/mon_port")
    else
        PORT=$((20000 + $(printf '%s' "$STATE" | cksum | cut -d' ' -f1) % 20000))
        while port_busy "$PORT" || port_busy "$((PORT - 10000))"; do PORT=$((PORT + 1)); done
        NL_S3_MON_PORT=$((PORT - 10000))
    fi
fi
BUCKET=${NL_S3_BUCKET:-neuralake-bucket}
ACCESS_KEY=${NL_S3_ACCESS_KEY:-NEURALAKEACCESSKEY01}
SECRET_KEY=${NL_S3_SECRET_KEY:-neuralake-secret-key-0000000000000000001}
REGION=us-east-1
MON_PORT=${NL_S3_MON_PORT:-$((PORT - 4180))}
MEM_BYTES=${NL_S3_MEMSTORE_BYTES:-2147483648}
ENDPOINT=http://127.0.0.1:$PORT

log() { echo "s3-server: $*" >&2; }

print_env() {
    cat <<ENV
export AWS_ENDPOINT_URL=$ENDPOINT
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export AWS_REGION=$REGION
export NEURALAKE_S3_BUCKET=$BUCKET
ENV
}

answers() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$ENDPOINT/" 2>/dev/null | grep -q '^[234]'; }

signed() {
    curl -sS -m 10 --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"
}

make_bucket() {
    for _ in $(seq 1 100); do
        code=$(signed -o /dev/null -w '%{http_code}' -X PUT "$ENDPOINT/$BUCKET" || true)
        case "$code" in 200|409) return 0 ;; esac
        sleep 0.2
    done
    log "could not create bucket $BUCKET (HTTP $code)"
    return 1
}

wait_up() {
    for _ in $(seq 1 300); do
        answers && return 0
        sleep 0.2
    done
    log "the server did not answer on $ENDPOINT; logs in $STATE/log"
    return 1
}

start_minio() {
    mkdir -p "$STATE/data" "$STATE/run" "$STATE/log"
    MINIO_ROOT_USER=$ACCESS_KEY MINIO_ROOT_PASSWORD=$SECRET_KEY \
        nohup minio server --address "127.0.0.1:$PORT" --console-address "127.0.0.1:$((PORT + 1000))" \
        "$STATE/data" >"$STATE/log/minio.log" 2>&1 &
    echo $! >"$STATE/run/minio.pid"
    wait_up
}

start_ceph() {
    for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph-authtool monmaptool ceph; do
        command -v $tool >/dev/null || {
            log "neither minio nor Ceph's $tool is installed (run scripts/install-deps.sh)"
            exit 1
        }
    done
    mkdir -p "$STATE"/{run,log,crash,mon.a,osd.0,rgw.a}
    local fsid osd_uuid
    fsid=$(cat /proc/sys/kernel/random/uuid)
    osd_uuid=$(cat /proc/sys/kernel/random/uuid)
    export CEPH_CONF=$STATE/ceph.conf
    cat >"$CEPH_CONF" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$MON_PORT
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $STATE/keyring
run dir = $STATE/run
crash dir = $STATE/crash
log file = $STATE/log/\$name.log
admin socket = $STATE/run/\$name.asok
pid file = $STATE/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1

[mon]
mon data = $STATE/mon.\$id
mon cluster log file = $STATE/log/cluster.log
paxos propose interval = 0.01
paxos min wait = 0.001
auth allow insecure global id reclaim = false

[osd]
osd data = $STATE/osd.\$id
osd objectstore = memstore
memstore device bytes = $MEM_BYTES
osd crush update on start = false
osd class load list = *
osd class default list = *

[client]
log file = $STATE/log/\$name.log
admin socket = $STATE/run/\$name.\$pid.asok

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
rgw data = $STATE/rgw.a
rgw enable lc threads = false
admin socket = $STATE/run/\$name.asok
CONF
    local kr=$STATE/keyring
    ceph-authtool --create-keyring "$kr" --gen-key -n mon. --cap mon 'allow *' >/dev/null
    ceph-authtool "$kr" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
        --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
    ceph-authtool "$kr" --gen-key -n osd.0 --cap mon 'allow profile osd' \
        --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
    ceph-authtool "$kr" --gen-key -n client.rgw.a --cap mon 'allow rw' --cap osd 'allow rwx' \
        --cap mgr 'allow rw' >/dev/null
    monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON_PORT]" "$STATE/monmap" >/dev/null
    ceph-mon --mkfs -i a --monmap "$STATE/monmap" --keyring "$kr" 2>>"$STATE/log/mkfs.log"
    ceph-mon -i a
    timeout 60 ceph --connect-timeout 30 osd new "$osd_uuid" 0 >/dev/null
    timeout 30 ceph osd crush add osd.0 1.0 host=localhost root=default >/dev/null 2>&1
    ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" 2>>"$STATE/log/mkfs.log" >/dev/null
    ceph-osd -i 0 2>>"$STATE/log/osd.0.stderr"
    radosgw -n client.rgw.a
    wait_up
    radosgw-admin user create --uid=neuralake --display-name="Neuralake" \
        --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null 2>>"$STATE/log/radosgw-admin.log"
}

stop_server() {
    export CEPH_CONF=$STATE/ceph.conf
    for name in minio client.rgw.a osd.0 mon.a; do
        f=$STATE/run/$name.pid
        [ -s "$f" ] || continue
        pid=$(cat "$f")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        fi
        rm -f "$f"
    done
    rm -rf "$STATE"
}

case "${1:-}" in
start)
    if [ -d "$STATE/run" ] && answers; then
        log "already running on $ENDPOINT"
    else
        [ -e "$STATE" ] && stop_server
        mkdir -p "$STATE"
        echo "$PORT" >"$STATE/port"
        echo "$MON_PORT" >"$STATE/mon_port"
        if command -v minio >/dev/null; then start_minio; else start_ceph; fi
        make_bucket
        log "ready on $ENDPOINT, bucket $BUCKET (state in $STATE)"
    fi
    print_env >"$STATE/env"
    print_env
    ;;
stop) stop_server ;;
env) print_env ;;
status) answers ;;
*)
    echo "usage: $0 start|stop|env|status" >&2
    exit 2
    ;;
esac
