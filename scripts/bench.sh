#!/usr/bin/env bash
# costplan's reference clients against the reference tools, on the same servers, in one run (README.md
# "Performance"; every run in docs/measurements.md):
#   Redis:      costplan append (RPUSH + EXPIRE, one round trip) and load (LRANGE) p50
#               vs redis-benchmark, one connection, the same commands and a 2 KB payload.
#   PostgreSQL: costplan append (INSERT … RETURNING seq) and load (SELECT … ORDER BY seq) p50
#               vs pgbench -M prepared, one connection, the same SQL.
#   S3 (moto):  costplan append (PutObject) and load (ListObjectsV2 + GetObject per record) p50 vs boto3 making
#               the same requests with the same 2 KB records on the same moto server (S3_OPERATIONS, default 1000).
#   DynamoDB (moto): costplan append (conditional PutItem) and load (Query) p50 vs boto3's put_item and query
#               of the same items on the same moto server (same count).
#   AWS client CPU: against moto, wall time is moto's, so the S3 and DynamoDB runs also measure what each client
#               itself spends: CPU time (user + system) per operation, read around every request in both
#               (costplan bench's cpuMsPerOp, its calling thread's; resource.getrusage(RUSAGE_SELF) in Python).
# Goals: within 1.25x of redis-benchmark, within 1.3x of pgbench, 1.5x boto3's speed (p50 ratio <= 0.67x), and
# at most a third of boto3's CPU per operation (ratio <= 0.33x).
# Prints the ratios (costplan ÷ tool).
# Usage: scripts/bench.sh [OPERATIONS]   (release build; servers on free loopback ports, removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
swift build -c release >/dev/null
CP=.build/release/costplan
WORK=$(mktemp -d /tmp/costplan-bench.XXXXXX)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
RP=$(free_port); PP=$(free_port); MP=$(free_port)
NS3=${S3_OPERATIONS:-1000}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  redis-cli -p "$RP" shutdown nosave >/dev/null 2>&1 || true
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${MOTO_PID:-}" ] && kill -9 "$MOTO_PID" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

redis-server --port "$RP" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$WORK" >/dev/null
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
echo benchpw > "$WORK/pw"; [ "$(id -u)" = 0 ] && chown postgres "$WORK/pw"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U costplan --pwfile="$WORK/pw" --auth=trust --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o "-p $PP -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null
sleep 0.5

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
json_p50() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["operations"][sys.argv[1]]["p50Ms"])' "$1"; }
json_cpu() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["operations"][sys.argv[1]]["cpuMsPerOp"])' "$1"; }
ratio() { python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f"{a/b:.2f}x" if b > 0 else "n/a")' "$1" "$2"; }

PAYLOAD=$(head -c 2048 /dev/zero | tr '\0' 'a')

# --- Redis ---
REDIS_URL="redis://127.0.0.1:$RP/0"
"$CP" bench --backend "$REDIS_URL" --operations "$N" --format json > "$WORK/redis.json"
CP_RA=$(json_p50 append < "$WORK/redis.json"); CP_RL=$(json_p50 load < "$WORK/redis.json")
# redis-benchmark runs one custom command: RPUSH alone (costplan's append also carries the EXPIRE in the same
# round trip, so the comparison is slightly in the tool's favour).
RB_RA=$(redis-benchmark -h 127.0.0.1 -p "$RP" -c 1 -n "$N" --csv -P 1 RPUSH rb:append "$PAYLOAD" | tail -1 | cut -d, -f5 | tr -d '"')
# Load: LRANGE of a list of 5 records of 2 KB (the conversation mix reads 5.5 on average).
for i in 1 2 3 4 5; do redis-cli -p "$RP" RPUSH rb:load "$PAYLOAD" >/dev/null; done
RB_RL=$(redis-benchmark -h 127.0.0.1 -p "$RP" -c 1 -n "$N" --csv LRANGE rb:load 0 -1 | tail -1 | cut -d, -f5 | tr -d '"')

# --- PostgreSQL ---
PG_URL="postgres://costplan@127.0.0.1:$PP/postgres"
"$CP" bench --backend "$PG_URL" --operations "$N" --format json > "$WORK/pg.json"
CP_PA=$(json_p50 append < "$WORK/pg.json"); CP_PL=$(json_p50 load < "$WORK/pg.json")
cat > "$WORK/append.sql" <<SQL
\set e random(1, 1000000000)
INSERT INTO costplan_records (entity, seq, at, body) SELECT convert_to(:e::text, 'UTF8'), coalesce(max(seq), 0) + 1, 1767225600000, convert_to(repeat('a', 2048), 'UTF8') FROM costplan_records WHERE entity = convert_to(:e::text, 'UTF8') RETURNING seq;
SQL
cat > "$WORK/load.sql" <<SQL
\set e random(2000000001, 2000001000)
SELECT seq, at, body FROM costplan_records WHERE entity = convert_to(:e::text, 'UTF8') AND at >= 0 ORDER BY seq;
SQL
psql -q -h 127.0.0.1 -p "$PP" -U costplan postgres -c "INSERT INTO costplan_records SELECT convert_to(e::text, 'UTF8'), s, 0, convert_to(repeat('a', 2048), 'UTF8') FROM generate_series(2000000001, 2000001000) e, generate_series(1, 5) s" >/dev/null
(cd "$WORK" && pgbench -n -M prepared -c 1 -t "$N" -f append.sql -l --log-prefix=append -h 127.0.0.1 -p "$PP" -U costplan postgres >/dev/null 2>&1)
(cd "$WORK" && pgbench -n -M prepared -c 1 -t "$N" -f load.sql -l --log-prefix=load -h 127.0.0.1 -p "$PP" -U costplan postgres >/dev/null 2>&1)
PB_PA=$(cat "$WORK"/append.* | awk '{print $3/1000}' | median)
PB_PL=$(cat "$WORK"/load.* | awk '{print $3/1000}' | median)

# --- S3 on moto ---
moto_server -H 127.0.0.1 -p "$MP" >/dev/null 2>&1 &
MOTO_PID=$!
disown "$MOTO_PID" 2>/dev/null || true
python3 -c 'import socket,sys,time
for _ in range(300):
    try: socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.1).close(); break
    except OSError: time.sleep(0.1)' "$MP"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
S3URL="s3://costplan-bench?endpoint=http://127.0.0.1:$MP&create=true&layout=object-per-record"
$CP bench --backend "$S3URL" --operations "$NS3" --format json > "$WORK/s3.json"
CP_SA=$(json_p50 append < "$WORK/s3.json"); CP_SL=$(json_p50 load < "$WORK/s3.json")
CPU_SA=$(json_cpu append < "$WORK/s3.json"); CPU_SL=$(json_cpu load < "$WORK/s3.json")
read -r BT_SA BT_SL BCPU_SA BCPU_SL < <(python3 - "$MP" "$NS3" <<'PY'
import boto3, resource, statistics, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
port, n = sys.argv[1], int(sys.argv[2])
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1")
s3.create_bucket(Bucket="boto-bench")
body = b"a" * 2100  # a 2 KB record in costplan's object framing is about this size
appends, loads = [], []
append_cpu = load_cpu = 0.0
entities = max(1, n // 3 // 5)  # about 5 records each, as many as the conversation mix loads
for i in range(n // 3):
    c = cpu(); t = time.perf_counter()
    s3.put_object(Bucket="boto-bench", Key=f"r/e{i % entities}/{i:016d}", Body=body)
    appends.append(time.perf_counter() - t); append_cpu += cpu() - c
for i in range(2 * n // 3):
    c = cpu(); t = time.perf_counter()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="boto-bench", Prefix=f"r/e{i % entities}/", EncodingType="url").get("Contents", [])]
    for k in keys: s3.get_object(Bucket="boto-bench", Key=k)["Body"].read()
    loads.append(time.perf_counter() - t); load_cpu += cpu() - c
print(f"{statistics.median(appends) * 1000:.3f} {statistics.median(loads) * 1000:.3f} "
      f"{append_cpu * 1000 / len(appends):.4f} {load_cpu * 1000 / len(loads):.4f}")
PY
)

DDBURL="dynamodb://costplan-bench?endpoint=http://127.0.0.1:$MP&create=true&layout=item-per-record"
$CP bench --backend "$DDBURL" --operations "$NS3" --format json > "$WORK/ddb.json"
CP_DA=$(json_p50 append < "$WORK/ddb.json"); CP_DL=$(json_p50 load < "$WORK/ddb.json")
CPU_DA=$(json_cpu append < "$WORK/ddb.json"); CPU_DL=$(json_cpu load < "$WORK/ddb.json")
read -r BT_DA BT_DL BCPU_DA BCPU_DL < <(python3 - "$MP" "$NS3" <<'PY'
import boto3, resource, statistics, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
port, n = sys.argv[1], int(sys.argv[2])
ddb = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1")
ddb.create_table(TableName="boto-bench", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "entity", "AttributeType": "S"}, {"AttributeName": "seq", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "entity", "KeyType": "HASH"}, {"AttributeName": "seq", "KeyType": "RANGE"}])
body = b"a" * 2048
entities = max(1, n // 3 // 5)
appends, loads = [], []
append_cpu = load_cpu = 0.0
for i in range(n // 3):
    item = {"entity": {"S": f"e{i % entities}"}, "seq": {"N": str(i // entities + 1)}, "at": {"N": "1767225600000"}, "body": {"B": body}}
    c = cpu(); t = time.perf_counter()
    ddb.put_item(TableName="boto-bench", Item=item, ConditionExpression="attribute_not_exists(#s)",
                 ExpressionAttributeNames={"#s": "seq"}, ReturnConsumedCapacity="TOTAL")
    appends.append(time.perf_counter() - t); append_cpu += cpu() - c
for i in range(2 * n // 3):
    c = cpu(); t = time.perf_counter()
    ddb.query(TableName="boto-bench", KeyConditionExpression="#e = :e", ExpressionAttributeNames={"#e": "entity"},
              ExpressionAttributeValues={":e": {"S": f"e{i % entities}"}}, ReturnConsumedCapacity="TOTAL")
    loads.append(time.perf_counter() - t); load_cpu += cpu() - c
print(f"{statistics.median(appends) * 1000:.3f} {statistics.median(loads) * 1000:.3f} "
      f"{append_cpu * 1000 / len(appends):.4f} {load_cpu * 1000 / len(loads):.4f}")
PY
)

printf '%-34s %12s %12s %8s %s\n' "operation (p50, ms)" costplan reference ratio goal
printf '%-34s %12s %12s %8s %s\n' "redis append (RPUSH+EXPIRE)" "$CP_RA" "$RB_RA" "$(ratio "$CP_RA" "$RB_RA")" "<= 1.25x redis-benchmark"
printf '%-34s %12s %12s %8s %s\n' "redis load (LRANGE)" "$CP_RL" "$RB_RL" "$(ratio "$CP_RL" "$RB_RL")" "<= 1.25x redis-benchmark"
printf '%-34s %12s %12s %8s %s\n' "postgres append (INSERT)" "$CP_PA" "$PB_PA" "$(ratio "$CP_PA" "$PB_PA")" "<= 1.3x pgbench -M prepared"
printf '%-34s %12s %12s %8s %s\n' "postgres load (SELECT)" "$CP_PL" "$PB_PL" "$(ratio "$CP_PL" "$PB_PL")" "<= 1.3x pgbench -M prepared"
printf '%-34s %12s %12s %8s %s\n' "s3 append (PutObject)" "$CP_SA" "$BT_SA" "$(ratio "$CP_SA" "$BT_SA")" "<= 0.67x boto3 (1.5x its speed)"
printf '%-34s %12s %12s %8s %s\n' "s3 load (List + Get per record)" "$CP_SL" "$BT_SL" "$(ratio "$CP_SL" "$BT_SL")" "<= 0.67x boto3 (~5 records a load on both sides)"
printf '%-34s %12s %12s %8s %s\n' "dynamodb append (PutItem)" "$CP_DA" "$BT_DA" "$(ratio "$CP_DA" "$BT_DA")" "<= 0.67x boto3 (1.5x its speed)"
printf '%-34s %12s %12s %8s %s\n' "dynamodb load (Query)" "$CP_DL" "$BT_DL" "$(ratio "$CP_DL" "$BT_DL")" "<= 0.67x boto3 (~5 items a load on both sides)"
echo "($N operations each; costplan runs the conversation-history mix: appends and loads interleaved over sessions)"
echo
printf '%-34s %12s %12s %8s %s\n' "client CPU per operation (ms)" costplan boto3 ratio goal
printf '%-34s %12s %12s %8s %s\n' "s3 append (PutObject)" "$CPU_SA" "$BCPU_SA" "$(ratio "$CPU_SA" "$BCPU_SA")" "<= 0.33x boto3"
printf '%-34s %12s %12s %8s %s\n' "s3 load (List + Get per record)" "$CPU_SL" "$BCPU_SL" "$(ratio "$CPU_SL" "$BCPU_SL")" "<= 0.33x boto3"
printf '%-34s %12s %12s %8s %s\n' "dynamodb append (PutItem)" "$CPU_DA" "$BCPU_DA" "$(ratio "$CPU_DA" "$BCPU_DA")" "<= 0.33x boto3"
printf '%-34s %12s %12s %8s %s\n' "dynamodb load (Query)" "$CPU_DL" "$BCPU_DL" "$(ratio "$CPU_DL" "$BCPU_DL")" "<= 0.33x boto3"
echo "($NS3 S3/DynamoDB operations each; CPU time of each client's own process around its requests, getrusage)"
