#!/usr/bin/env bash
# Starts the Release dashboard on a large embedded ledger and measures what a user of it waits for:
#   bench/scale.sh LEDGER_FOLDER [LABEL]
# LEDGER_FOLDER holds audit.db (kept between runs; CI never builds one) and, when the ledger is sealed, signing.pem.
# Without audit.db the folder gets the ledger-scale issue's ledger first: 100,000 accounts of 90 events and one of
# 1,000,000 (10 M events; about 25 minutes on 2 cores). Prints: a start on an empty ledger (3 runs), the first start
# (which builds the read models when the folder has none) and a restart, each until /health/ready; the first latest
# state of the longest account nobody has open, 300 states at random revisions and 300 at random times of it and of
# random accounts, 100 windows of 50 events, 50 searches (p50 / p99 over HTTP); the longest account's page in Chromium
# (open, 40 slider steps: the `page` bench); RSS after the lookups, after the page, and after opening up to 200 other
# accounts; when the background
# quick_check of the file finished.
# Build first: dotnet build -c Release src/AuditDashboard && dotnet build -c Release bench/AuditDashboard.Benchmarks
set -u
ledger=$(cd "$1" && pwd); label=${2:-scale}; port=${PORT:-5111}; key=dev-operator-key-7f3a9c
app=$(cd "$(dirname "$0")/../src/AuditDashboard/bin/Release/net10.0" && pwd)
bench=$(cd "$(dirname "$0")/AuditDashboard.Benchmarks/bin/Release/net10.0" && pwd)
if [ ! -f "$ledger/audit.db" ]; then
  (cd "$app" && ASPNETCORE_ENVIRONMENT=Development dotnet AuditDashboard.dll seed --accounts 100000 --events-per-account 90 \
    --accounts 1 --events-per-account 1000000 --seed 15 "--EventStore:ConnectionString=Data Source=$ledger/audit.db" \
    --EventStore:CreateIfMissing=true | tail -1)
fi
# A sealed ledger keeps its key beside it; an unsealed one is measured without the sealer (it would seal all of it first).
signing=(--Integrity:Enabled=false); [ -f "$ledger/signing.pem" ] && signing=("--Exports:SigningKey:Path=$ledger/signing.pem")
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

start_app() { # folder log
  (cd "$app" && ASPNETCORE_ENVIRONMENT=Development exec dotnet AuditDashboard.dll --urls "http://127.0.0.1:$port" \
    "--EventStore:ConnectionString=Data Source=$1/audit.db" --EventStore:CreateIfMissing=true "${signing[@]}" \
    --Kafka:Enabled=false --DemoData:SeedOnFirstStart=false > "$2" 2>&1) &
  pid=$!
}
wait_ready() { # started
  until curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$port/health/ready" 2>/dev/null | grep -q 200; do
    sleep 0.1; [ "$(echo "$(since "$1") > 1800" | bc)" = 1 ] && { echo "not ready after 30 min"; break; }
  done
}
percentiles() { # what  (reads "status seconds" lines)
  awk '$1!=200{bad++} {print $2} END {if (bad) print "non-200 answers: " bad > "/dev/stderr"}' | sort -n |
    awk -v what="$1" '{a[NR]=$1} END {printf "%s: p50 %.1f ms, p99 %.1f ms (n=%d)\n", what, a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000, NR}'
}
get() { curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -H "X-Api-Key: $key" "http://127.0.0.1:$port$1"; }

empty=$(mktemp -d)
for i in 1 2 3; do s=$(now); start_app "$empty" "$empty/log"; wait_ready "$s"; echo "$label empty ledger, start $i until ready: $(since "$s") s"; kill $pid; wait $pid 2>/dev/null; done
rm -rf "$empty"

log=$(mktemp); s=$(now); start_app "$ledger" "$log"; wait_ready "$s"
echo "$label first start until ready: $(since "$s") s; $(grep -hoE "(Building|Rebuilding|Resuming) the read models.*" "$log" | head -1)"
kill $pid; wait $pid 2>/dev/null
s=$(now); start_app "$ledger" "$log"; wait_ready "$s"
echo "$label restart until ready: $(since "$s") s; RSS $(ps -o rss= -p $pid) KB"
grep -ho "Checking the event store file.*" "$log" | head -1
until grep -q "PRAGMA quick_check in" "$log"; do sleep 0.5; done
echo "$label quick_check finished at $(since "$s") s: $(grep -ho "passed PRAGMA quick_check in [0-9]* ms" "$log")"
ids=($(curl -s -H "X-Api-Key: $key" "http://127.0.0.1:$port/api/accounts?take=500" | python3 -c "import json,sys; print(' '.join(a['accountId'] for a in json.load(sys.stdin)['items']))"))
long=$(python3 -c "import sqlite3,sys; print(sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True).execute('SELECT account_id FROM accounts ORDER BY event_count DESC LIMIT 1').fetchone()[0])" "$ledger/readmodels.db")
pick() { echo "${ids[$((RANDOM % ${#ids[@]}))]}"; }
last_of() { curl -s -H "X-Api-Key: $key" "http://127.0.0.1:$port/api/accounts/$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['revision'])"; }
random_time() { date -u -d "$(date -u -d '-730 days' +%F) + $((RANDOM % 730)) days + $((RANDOM % 86400)) seconds" +%Y-%m-%dT%H:%M:%SZ; }
long_last=$(last_of "$long")
t=$(now); get "/api/accounts/$long/state" > /dev/null; echo "$label first latest state of $long ($((long_last + 1)) events, nothing open): $(since "$t") s"
for i in $(seq 300); do get "/api/accounts/$long/state?revision=$(( (RANDOM * 32768 + RANDOM) % (long_last + 1) ))"; done | percentiles "$label $long, state at a random revision"
for i in $(seq 300); do get "/api/accounts/$long/state?at=$(random_time)"; done | percentiles "$label $long, state at a random time"
for i in $(seq 300); do a=$(pick); get "/api/accounts/$a/state?revision=$(( (RANDOM * 32768 + RANDOM) % ($(last_of "$a") + 1) ))"; done | percentiles "$label state at a random revision of a random account"
for i in $(seq 300); do get "/api/accounts/$(pick)/state?at=$(random_time)"; done | percentiles "$label state at a random time of a random account"
for i in $(seq 100); do a=$(pick); get "/api/accounts/$a/events?fromRevision=$(( (RANDOM * 32768 + RANDOM) % ($(last_of "$a") + 1) ))&count=50"; done | percentiles "$label window of 50 events"
for i in $(seq 50); do get "/api/accounts?search=$(pick | cut -c1-7)&take=50"; done | percentiles "$label search"
echo "$label RSS after the lookups: $(ps -o rss= -p $pid) KB"
(cd "$bench" && dotnet AuditDashboard.Benchmarks.dll page "http://127.0.0.1:$port" "$long")
echo "$label RSS after the page of $long: $(ps -o rss= -p $pid) KB"
# Up to 200 other accounts opened as their pages open them (the corrected view reads an account whole and keeps it).
others=(); for a in "${ids[@]}"; do [ "$a" != "$long" ] && [ ${#others[@]} -lt 200 ] && others+=("$a"); done
for a in "${others[@]}"; do get "/api/accounts/$a/state?view=corrected"; done | percentiles "$label ${#others[@]} other accounts opened"
echo "$label RSS after opening $long and ${#others[@]} other accounts: $(ps -o rss= -p $pid) KB"
kill $pid; wait $pid 2>/dev/null; rm -f "$log"
