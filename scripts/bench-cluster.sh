#!/usr/bin/env bash
# bench-cluster.sh: documents per minute of `corpora batch --nats` against the
# number of `corpora worker` processes on this machine, and the cluster
# path's overhead against a local run with the same parallelism.
#
#   scripts/bench-cluster.sh [INPUT_DIR]
#
# INPUT_DIR defaults to $CORPORA_TEST_CORPUS/srd/rendered, else examples/books.
# WORKERS (default "1 2") are the worker-process counts, each with -w 1; the
# local run uses -w N. NATS_SERVER runs a nats-server binary already
# installed; otherwise it is built with `go build` from the module the tests
# use. Offline classifier, cold classification caches, --force every run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
input=${1:-}
if [[ -z $input ]]; then
	if [[ -n ${CORPORA_TEST_CORPUS:-} && -d $CORPORA_TEST_CORPUS/srd/rendered ]]; then
		input=$CORPORA_TEST_CORPUS/srd/rendered
	else
		input=$root/examples/books
	fi
fi
workers=${WORKERS:-1 2}

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[[ -n ${KEEP:-} ]] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
bin=$tmp/corpora
(cd "$root" && go build -o "$bin" ./cmd/corpora)
nats=${NATS_SERVER:-}
if [[ -z $nats ]]; then
	nats=$tmp/nats-server
	(cd "$root" && go build -o "$nats" github.com/nats-io/nats-server/v2)
fi
unset ANTHROPIC_API_KEY OPENAI_API_KEY OPENAI_BASE_URL CORPORA_NATS_URL

port=$((20000 + RANDOM % 20000))
"$nats" -js -sd "$tmp/js" -a 127.0.0.1 -p "$port" >"$tmp/nats.log" 2>&1 &
pids+=($!)
url=nats://127.0.0.1:$port
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

docs=$("$bin" batch "$input" -o "$tmp/probe" --dry-run --classifier offline 2>&1 | sed -n 's/^dry run: \([0-9]*\) documents found.*/\1/p')
echo "input: $input ($docs documents), $(nproc) cores, $(go env GOVERSION)"
printf '%-8s %10s %10s %14s %10s\n' workers local_s cluster_s docs_per_min overhead

for w in $workers; do
	t0=$(now)
	"$bin" batch "$input" -o "$tmp/local-$w" -w "$w" --classifier offline --quiet --force 2>"$tmp/local-$w.log" || true
	t1=$(now)
	local_s=$(secs "$t0" "$t1")

	wp=()
	for i in $(seq "$w"); do
		"$bin" worker --nats "$url" -w 1 --name "bench$i" --cache "$tmp/cache-$w-$i.db" 2>"$tmp/worker-$w-$i.log" &
		wp+=($!)
		pids+=($!)
	done
	t0=$(now)
	"$bin" batch "$input" -o "$tmp/cluster-$w" --classifier offline --quiet --force --nats "$url" 2>"$tmp/cluster-$w.log" || true
	t1=$(now)
	cluster_s=$(secs "$t0" "$t1")
	for p in "${wp[@]}"; do kill -INT "$p" 2>/dev/null || true; done
	for p in "${wp[@]}"; do wait "$p" 2>/dev/null || true; done

	dpm=$(echo "$docs * 60 / $cluster_s" | bc -l)
	over=$(echo "($cluster_s - $local_s) * 100 / $local_s" | bc -l)
	printf '%-8s %10.2f %10.2f %14.1f %9.1f%%\n' "$w" "$local_s" "$cluster_s" "$dpm" "$over"
done
