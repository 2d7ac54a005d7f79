#!/usr/bin/env bash
# Coverage-guided fuzzing of costplan's parsers and decoders with libFuzzer (not a test: run by hand).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      600 s each; default: all targets, one after another
# CostModel's parsers: json scenario rates offer. StorageKit's decoders of what servers send: resp (RESP2 replies),
# pg (PostgreSQL backend messages, SCRAM), http (HTTP/1.1 responses), s3xml (S3's XML replies and objects),
# dynamo (DynamoDB's JSON replies and the records in them).
# Each target is compiled with its module's sources as one module (swiftc -sanitize=fuzzer,address; the store
# targets with fuzz/support/*.swift too), seeded, and run for SECONDS; a crash, a failed property (fuzz/*.swift
# says which each checks), a timeout or an out-of-memory input leaves crash-*, timeout-* or oom-* files in
# .fuzz/<target>/ and makes the script exit 1. Executions and findings are printed per target.
# Seeds: CostModel's targets get the shipped scenarios and rate tables and the JSON fixtures; the store targets get
# the replies fuzz/capture.sh recorded from real servers (fuzz/seeds/TARGET/), the inputs of past findings
# (fuzz/regressions/TARGET/), the replies the tests' scripted servers send, and small hand-made ones, written below.
# The store targets run with -malloc_limit_mb=64: an allocation sized by a length prefix before the bytes have
# arrived (up to 1 GB for a PostgreSQL message, 512 MB for a RESP bulk string) is a finding. Leak detection is off:
# the process keeps global caches (rate books, type metadata) for its lifetime by design; a leak per input would
# still show as growing memory, which -rss_limit_mb stops. Swift's own crash backtracer is off (SWIFT_BACKTRACE):
# under AddressSanitizer it reports a crash of its own instead of the finding.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json scenario rates offer resp pg http s3xml dynamo)

# One backend message: type, Int32 length (itself included), body (a printf format).
pgmsg() {
  local n
  n=$(($(printf "$2" | wc -c) + 4))
  printf '%s' "$1"
  printf "\\x$(printf %02x $((n >> 24 & 255)))\\x$(printf %02x $((n >> 16 & 255)))"
  printf "\\x$(printf %02x $((n >> 8 & 255)))\\x$(printf %02x $((n & 255)))"
  printf "$2"
}
# An HTTP/1.1 response with a Content-Length body.
http() { printf 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' "$1" "$2" "${#3}" "$3"; }

# The replies of the tests' scripted servers (Tests/StorageKitTests) and hand-made ones, into corpus dir $2.
seed() {
  local c=$2 a60
  a60=$(printf 'a%.0s' {1..60})
  case $1 in
    resp)
      printf '+OK\r\n' >"$c/hand-ok"
      printf -- '-WRONGPASS invalid username-password pair or user is disabled.\r\n' >"$c/hand-wrongpass"
      printf -- '-NOAUTH Authentication required.\r\n+OK\r\n' >"$c/hand-noauth"
      printf ':-42\r\n:0\r\n:9223372036854775807\r\n' >"$c/hand-integers"
      printf '$3\r\na\r\n\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n' >"$c/hand-bulk"
      printf ':3\r\n:1\r\n' >"$c/hand-rpush-expire"
      printf '*2\r\n$1\r\nx\r\n:7\r\n+rest\r\n' >"$c/test-decodes"
      printf '*2\r\n$5\r\nhello\r\n*1\r\n:1\r\n' >"$c/test-incomplete"
      printf '*1\r\n$60\r\n%s\r\n' "$a60" >"$c/test-trickle"
      printf '*2\r\n$13\r\n\x00\x00\x01\x9a\x8b\x7c\x6d\x5ehello\r\n$12\r\n\x00\x00\x01\x9a\x8b\x7c\x6d\x5fhi!!\r\n' >"$c/hand-lrange"
      printf '*3\r\n*2\r\n:1\r\n$0\r\n\r\n*0\r\n-ERR nested\r\n' >"$c/hand-nested"
      { for _ in $(seq 31); do printf '*1\r\n'; done; printf ':1\r\n'; } >"$c/hand-deep"
      printf '*16777215\r\n:1\r\n' >"$c/test-absurd-array"
      printf '$536870912\r\nabc' >"$c/test-absurd-bulk"
      ;;
    pg)
      { pgmsg R '\x00\x00\x00\x00'; pgmsg S 'server_version\x0015.18\x00'; pgmsg K '\x00\x00\x12\x34\x56\x78\x9a\xbc'
        pgmsg Z 'I'; } >"$c/hand-trust"
      { pgmsg R '\x00\x00\x00\x05\x01\x02\x03\x04'; pgmsg R '\x00\x00\x00\x00'; pgmsg Z 'I'; } >"$c/hand-md5"
      { pgmsg R '\x00\x00\x00\x0aSCRAM-SHA-256-PLUS\x00SCRAM-SHA-256\x00\x00'
        pgmsg R '\x00\x00\x00\x0br=rOprNGfwEbeRWgbNEkqO%%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=16'
        pgmsg R '\x00\x00\x00\x0cv=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='; pgmsg R '\x00\x00\x00\x00'
        pgmsg Z 'I'; } >"$c/hand-scram"
      pgmsg R '\x00\x00\x00\x03' >"$c/test-cleartext"
      { pgmsg R '\x00\x00\x00\x00'; pgmsg x '\x01\x02\x03'; pgmsg Z 'I'; } >"$c/test-unknown-type"
      { pgmsg R '\x00\x00\x00\x00'; pgmsg S "$(printf 'a%.0s' {1..60})"; } >"$c/test-trickle"
      pgmsg E 'SFATAL\x00VFATAL\x00C28P01\x00Mpassword authentication failed for user "costplan"\x00Fauth.c\x00L326\x00Rauth_failed\x00\x00' >"$c/hand-auth-failed"
      { pgmsg 1 ''; pgmsg 2 ''
        pgmsg T '\x00\x01seq\x00\x00\x00\x40\x01\x00\x03\x00\x00\x00\x14\x00\x08\xff\xff\xff\xff\x00\x01'
        pgmsg D '\x00\x03\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x08\x00\x00\x01\x9a\x8b\x7c\x6d\x5e\x00\x00\x00\x05hello'
        pgmsg D '\x00\x02\xff\xff\xff\xff\x00\x00\x00\x00'
        pgmsg N 'SNOTICE\x00C42P07\x00Mrelation "costplan_records" already exists, skipping\x00\x00'
        pgmsg C 'SELECT 2\x00'; pgmsg Z 'I'; } >"$c/hand-rows"
      { pgmsg E 'SERROR\x00C23505\x00Mduplicate key value violates unique constraint\x00DKey (entity, seq)=(a, 1) already exists.\x00\x00'
        pgmsg Z 'E'; } >"$c/hand-unique"
      printf 'R\x40\x00\x00\x00\x00\x00' >"$c/hand-absurd-length"
      ;;
    http)
      http '200 OK' text/plain done >"$c/test-done"
      http '503 Slow Down' application/xml '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' >"$c/test-slowdown"
      http '500 Internal Server Error' application/xml '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' >"$c/test-internal"
      http '403 Forbidden' application/xml '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' >"$c/test-denied"
      http '400 Bad Request' application/x-amz-json-1.0 '{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"Rate exceeded"}' >"$c/test-throttled"
      printf 'HTTP/1.1 404 Not Found\r\nX-Pad: %s\r\nContent-Length: 0\r\n\r\n' "$a60" >"$c/test-trickle"
      { for _ in $(seq 20); do printf 'HTTP/1.1 100 Continue\r\n\r\n'; done; } >"$c/test-continue"
      printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\na\r\n7fffffffffffffff\r\n' >"$c/test-chunk-size"
      printf 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nETag: "9b2cf535f27731c974343645a3985328"\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n' >"$c/hand-keepalive"
      printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' >"$c/hand-chunked"
      printf 'HTTP/1.0 200 OK\r\nConnection: close\r\n\r\na body to the end of the connection' >"$c/hand-to-end"
      ;;
    s3xml)
      printf '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>r/e/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><Contents><Key>r/e/0000001767225600000-w1-0000000001</Key><Size>42</Size></Contents><Contents><Key>r/e%%2Fx/caf%%C3%%A9%%26</Key><Size>7</Size></Contents><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&amp;</NextContinuationToken></ListBucketResult>' >"$c/hand-list"
      printf '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' >"$c/test-slowdown"
      printf '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>b&lt;&#x41;&#66;&gt;</BucketName></Error>' >"$c/hand-nosuchbucket"
      printf '<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match &quot;the signature&quot; you provided.</Message></Error>' >"$c/hand-signature"
      ;;
    dynamo)
      printf '{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}' >"$c/test-not-found"
      printf '{"Count":1,"Items":[{"entity":{"S":"e"},"seq":{"N":"1"},"at":{"N":"5"},"body":{"B":"cjE="}}],"LastEvaluatedKey":{"entity":{"S":"e"},"seq":{"N":"1"}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}' >"$c/test-query"
      printf '{"Count":0,"Items":[],"ConsumedCapacity":{"CapacityUnits":0.5}}' >"$c/test-query-empty"
      printf '{"Items":[{"entity":{"S":"e"},"seq":{"N":"1"},"at":{"N":"5"},"body":{"B":"cjE="},"ttl":{"N":"604800"}}]}' >"$c/test-scan"
      printf '{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"TimeToLive is already enabled"}' >"$c/test-ttl-enabled"
      printf '{"Item":{"entity":{"S":"e"},"records":{"L":[{"M":{"at":{"BOOL":true}}}]}}}' >"$c/test-bad-element"
      printf '{"Item":{"entity":{"S":"e"},"records":{"L":[{"M":{"seq":{"N":"1"},"at":{"N":"1767225600000"},"body":{"B":"aGVsbG8="}}},{"M":{"seq":{"N":"2"},"at":{"N":"1767225600001"},"body":{"B":""}}}]},"ttl":{"N":"1767830400"}},"ConsumedCapacity":{"CapacityUnits":0.5}}' >"$c/hand-entity"
      printf '{"Table":{"TableName":"t","TableStatus":"ACTIVE"},"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"ttl"}}' >"$c/hand-describe"
      printf '{"Item":{"m":{"M":{"ss":{"SS":["a"]},"ns":{"NS":["1"]},"bs":{"BS":["AA=="]},"n":{"NULL":true},"x":{"Q":1}}}}}' >"$c/hand-types"
      printf '{"__type":"UnrecognizedClientException","Message":"The security token included in the request is invalid."}' >"$c/hand-unrecognized"
      ;;
  esac
}

# The scenario target also renders, so the renderers (Sources/CostReports) join CostModel's module, their
# `import CostModel` dropped.
reports=.fuzz/reports-src
rm -rf "$reports" && mkdir -p "$reports"
for f in Sources/CostReports/*.swift; do grep -v '^import CostModel$' "$f" > "$reports/$(basename "$f")"; done

failed=0
for t in "${targets[@]}"; do
  case $t in
    json | scenario | rates | offer) module=CostModel extra=() ;;
    resp | pg | http | s3xml | dynamo) module=StorageKit extra=(-malloc_limit_mb=64) ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
  dir=.fuzz/$t
  mkdir -p "$dir/corpus"
  if [ "$module" = CostModel ]; then
    support=()
    cp scenarios/*.json pricing/aws/us-east-1/*.json "$dir/corpus/" 2>/dev/null || true
    find Tests/Fixtures -name '*.json' -size -200k -exec cp {} "$dir/corpus/" \; 2>/dev/null || true
  else
    support=(fuzz/support/*.swift)
    cp fuzz/seeds/"$t"/* fuzz/regressions/"$t"/* "$dir/corpus/" 2>/dev/null || true
    seed "$t" "$dir/corpus"
  fi
  sources=$(find "Sources/$module" -name '*.swift' | sort)
  watched=("Sources/$module")
  if [ "$module" = CostModel ]; then
    sources="$sources $(find "$reports" -name '*.swift' | sort)"
    watched+=(Sources/CostReports)
  fi
  # Rebuilt only when a source is newer than the fuzzer (a build takes minutes; one compile job at a time).
  if [ ! -x "$dir/fuzzer" ] || [ -n "$(find "${watched[@]}" "fuzz/$t.swift" "${support[@]}" -newer "$dir/fuzzer" -name '*.swift' | head -1)" ]; then
    swiftc -j 1 -sanitize=fuzzer,address -parse-as-library -O -module-name "$module" $sources "${support[@]}" "fuzz/$t.swift" \
      -o "$dir/fuzzer" 2>&1 | grep -v "ld.gold: warning: Cannot export local symbol" || true
  fi
  echo "== $t: ${seconds}s, $(ls "$dir/corpus" | wc -l) inputs in the corpus to start"
  # The whole output in .fuzz/<target>/log; shown: what failed, if anything, and the final stats.
  (cd "$dir" && ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no COSTPLAN_FUZZ_PRICING="$PWD/../../pricing" ./fuzzer -max_total_time="$seconds" -max_len=65536 \
    -rss_limit_mb=4096 -timeout=20 -detect_leaks=0 -print_final_stats=1 "${extra[@]}" corpus >log 2>&1) || failed=1
  grep -a -E "fuzz property failed|^==[0-9]+==ERROR|^SUMMARY|Test unit written|^Done|^stat::" "$dir/log" || true
  echo "   corpus now $(ls "$dir/corpus" | wc -l) inputs"
  if ls "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* >/dev/null 2>&1; then failed=1; ls "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* 2>/dev/null; fi
done
exit $failed
