#!/usr/bin/env bash
# Captures real replies for the store decoders' fuzz seeds (fuzz/seeds/TARGET/, committed; scripts/fuzz.sh copies
# them into each corpus). Starts Redis, PostgreSQL and moto on free loopback ports, puts a recording proxy in
# front of each, drives them with costplan's own clients (`costplan store` and a short `costplan bench` per
# backend and layout, plus refused passwords and missing buckets and tables), and keeps what the servers sent,
# one file per connection: resp/ (Redis), pg/ (PostgreSQL, from the startup on), http/ (moto: S3 and DynamoDB; its
# server closes each connection after one response); s3xml/ and dynamo/ get the bodies of those responses (XML,
# objects, JSON). Of responses alike (status line, header names, kind of body) http/ keeps four.
# The PostgreSQL user's SCRAM secret is made with 16 iterations for the password "pencil", the one the pg
# target answers with, so that the captured server-final messages verify there.
#   fuzz/capture.sh [COSTPLAN]     (default .build/debug/costplan; servers removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
CP=$(realpath "${1:-.build/debug/costplan}")
OUT=$PWD/fuzz/seeds
WORK=$(mktemp -d /tmp/costplan-capture.XXXXXX)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  python3 -c 'import socket,sys,time
for _ in range(300):
    try: socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.1).close(); break
    except OSError: time.sleep(0.1)' "$1"
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  redis-cli -p "$RP" shutdown nosave >/dev/null 2>&1 || true
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A recording proxy: LISTEN → TARGET, what the server sends on connection N goes to DIR/NAME-N.
proxy() {
  python3 - "$1" "$2" "$3" "$4" <<'PY' &
import os, socket, sys, threading
listen, target, out, name = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
os.makedirs(out, exist_ok=True)
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen)); srv.listen(16)
def pipe(a, b, f):
    while True:
        try: d = a.recv(65536)
        except OSError: d = b""
        if not d: break
        if f: f.write(d); f.flush()
        try: b.sendall(d)
        except OSError: break
    try: b.shutdown(socket.SHUT_WR)
    except OSError: pass
    if f: f.close()
n = 0
while True:
    c, _ = srv.accept(); n += 1
    s = socket.create_connection(("127.0.0.1", target))
    f = open(f"{out}/{name}-{n:02d}", "wb")
    threading.Thread(target=pipe, args=(c, s, None), daemon=True).start()
    threading.Thread(target=pipe, args=(s, c, f), daemon=True).start()
PY
  PIDS+=($!)
  wait_port "$1"
}

RP=$(free_port); PP=$(free_port); MP=$(free_port)
RX=$(free_port); PX=$(free_port); MX=$(free_port)
rm -rf "$OUT"/{resp,pg,http,s3xml,dynamo}
mkdir -p "$OUT"/{resp,pg,http,s3xml,dynamo}
printf 'a first record\n' > "$WORK/r1"
head -c 3000 /dev/urandom > "$WORK/r2"
store() { "$CP" store --backend "$1" "${@:2}" >/dev/null 2>&1 || true; }
exercise() { # URL PREFIX: appends, loads, a short bench
  store "$1" append "$2-a" < "$WORK/r1"
  store "$1" append "$2-a" < "$WORK/r2"
  store "$1" append "$2-b/é" < "$WORK/r1"
  store "$1" load "$2-a"
  store "$1" load "$2-a" --since 2020-01-01T00:00:00Z
  "$CP" bench --backend "$1" --operations 12 >/dev/null 2>&1 || true
}

# --- Redis: a password, a refused one, a database other than 0.
redis-server --port "$RP" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$WORK" \
  --requirepass pencil >/dev/null
wait_port "$RP"
proxy "$RX" "$RP" "$OUT/resp" redis
exercise "redis://:pencil@127.0.0.1:$RX/0" r
exercise "redis://:pencil@127.0.0.1:$RX/3?ttlDays=7" t
store "redis://:wrong@127.0.0.1:$RX/0" load x
store "redis://127.0.0.1:$RX/0" load x

# --- PostgreSQL: SCRAM (16 iterations), md5, a refused password.
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
echo pencil > "$WORK/pw"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pw"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres --pwfile="$WORK/pw" --auth=scram-sha-256 --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
  -o "-p $PP -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null
SECRET=$(python3 - <<'PY'
import base64, hashlib, hmac
salt = b"costplan-fuzz-salt"
salted = hashlib.pbkdf2_hmac("sha256", b"pencil", salt, 16)
client = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
server = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
b = lambda x: base64.b64encode(x).decode()
print(f"SCRAM-SHA-256$16:{b(salt)}${b(hashlib.sha256(client).digest())}:{b(server)}")
PY
)
PGPASSWORD=pencil psql -q -h 127.0.0.1 -p "$PP" -U postgres postgres \
  -c "CREATE ROLE costplan LOGIN PASSWORD '$SECRET'" \
  -c "SET password_encryption = 'md5'" -c "CREATE ROLE legacy LOGIN PASSWORD 'pencil'" \
  -c "CREATE DATABASE costplan OWNER costplan" -c "GRANT ALL ON DATABASE costplan TO legacy" >/dev/null
sed -i 's/^host *all *all *127.0.0.1\/32 .*/host all legacy 127.0.0.1\/32 md5\nhost all all 127.0.0.1\/32 scram-sha-256/' \
  "$WORK/pg/pg_hba.conf"
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" reload >/dev/null
proxy "$PX" "$PP" "$OUT/pg" postgres
exercise "postgres://costplan:pencil@127.0.0.1:$PX/costplan" p
store "postgres://legacy:pencil@127.0.0.1:$PX/costplan?table=legacy_records" load x
store "postgres://costplan:wrong@127.0.0.1:$PX/costplan" load x
store "postgres://costplan:pencil@127.0.0.1:$PX/nosuchdb" load x

# --- S3 and DynamoDB on moto.
moto_server -H 127.0.0.1 -p "$MP" >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$MP"
proxy "$MX" "$MP" "$OUT/http" moto
export AWS_ACCESS_KEY_ID=capture AWS_SECRET_ACCESS_KEY=capture
E="endpoint=http://127.0.0.1:$MX"
exercise "s3://fuzz-a?$E&create=true&layout=object-per-entity&expireDays=7" s
exercise "s3://fuzz-b?$E&create=true&layout=object-per-record&prefix=p/" s
store "s3://no-such-bucket?$E&layout=object-per-record" load x
exercise "dynamodb://fuzz-a?$E&create=true&layout=item-per-record&ttlDays=7" d
exercise "dynamodb://fuzz-b?$E&create=true&layout=item-per-entity" d
store "dynamodb://no-such-table?$E" load x
sleep 0.5

# The bodies of the HTTP responses: XML and objects for s3xml, JSON for dynamo.
python3 - "$OUT" <<'PY'
import os, sys
out = sys.argv[1]
n = 0
for name in sorted(os.listdir(f"{out}/http")):
    b = open(f"{out}/http/{name}", "rb").read()
    while b:
        head, sep, rest = b.partition(b"\r\n\r\n")
        if not sep: break
        headers = {l.split(b":", 1)[0].strip().lower(): l.split(b":", 1)[1].strip() for l in head.split(b"\r\n")[1:] if b":" in l}
        if b" 100 " in head.split(b"\r\n")[0]:
            b = rest; continue
        length = int(headers.get(b"content-length", b"0"))
        body, b = rest[:length], rest[length:]
        kind = "dynamo" if body.startswith(b"{") else "s3xml" if body.startswith((b"<", b"CPS1")) else None
        if kind:
            n += 1
            open(f"{out}/{kind}/moto-{n:03d}", "wb").write(body)
alike = {}
for name in sorted(os.listdir(f"{out}/http")):
    head, _, body = open(f"{out}/http/{name}", "rb").read().partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    key = (lines[0], tuple(sorted(l.split(b":", 1)[0].lower() for l in lines[1:] if b":" in l)), body[:1])
    alike.setdefault(key, []).append(name)
for names in alike.values():
    for name in names[4:]: os.remove(f"{out}/http/{name}")
PY
# Duplicates out, and anything over the fuzzers' -max_len.
for d in "$OUT"/*/; do
  find "$d" -type f -size +64k -delete
  find "$d" -type f -size 0 -delete
  (cd "$d" && md5sum * 2>/dev/null | sort | awk 'seen[$1]++ {print $2}' | xargs -r rm -f)
done
for d in "$OUT"/*/; do echo "$(basename "$d"): $(ls "$d" | wc -l) files, $(du -sk "$d" | cut -f1) KB"; done
