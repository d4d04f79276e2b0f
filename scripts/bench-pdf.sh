#!/usr/bin/env bash
# bench-pdf.sh: corpora's PDF text extraction against poppler's pdftotext,
# side by side on the same PDFs.
#
#   scripts/bench-pdf.sh [PDF_OR_DIR...]
#
# Default input: $CORPORA_TEST_CORPUS/srd/rendered/*.pdf, else the sample
# books' PDFs. corpora is built once and runs ONE `corpora parse --ocr off -o DIR`
# over all PDFs (so the WebAssembly engine starts once, as in a batch);
# pdftotext runs once per PDF. ROUNDS (default 3) repeats both and keeps the
# fastest round of each. Prints pages/s for each tool and the ratio
# corpora/pdftotext (>= 1.0 means corpora is at least as fast).
# Needs: go, pdftotext and pdfinfo (poppler-utils).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}
for tool in pdftotext pdfinfo; do
	command -v "$tool" >/dev/null || { echo "bench-pdf: $tool not found (apt-get install poppler-utils)" >&2; exit 1; }
done

inputs=("$@")
if [[ ${#inputs[@]} -eq 0 ]]; then
	if [[ -n ${CORPORA_TEST_CORPUS:-} && -d $CORPORA_TEST_CORPUS/srd/rendered ]]; then
		inputs=("$CORPORA_TEST_CORPUS"/srd/rendered/*.pdf)
	else
		inputs=("$root"/examples/books/*.pdf)
	fi
fi
pdfs=()
for in in "${inputs[@]}"; do
	if [[ -d $in ]]; then
		while IFS= read -r f; do pdfs+=("$f"); done < <(find "$in" -type f -iname '*.pdf' | sort)
	else
		pdfs+=("$in")
	fi
done
[[ ${#pdfs[@]} -gt 0 ]] || { echo "bench-pdf: no PDFs" >&2; exit 66; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/corpora
(cd "$root" && go build -o "$bin" ./cmd/corpora)

pages=0
for f in "${pdfs[@]}"; do
	n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}')
	pages=$((pages + ${n:-0}))
done

now() { date +%s.%N; }
best_corpora=
best_poppler=
for ((r = 1; r <= rounds; r++)); do
	rm -rf "$tmp/out"
	t0=$(now)
	"$bin" parse --ocr off -o "$tmp/out" --flat "${pdfs[@]}" 2>"$tmp/corpora.err" || {
		echo "bench-pdf: corpora parse failed:" >&2; cat "$tmp/corpora.err" >&2; exit 1; }
	t1=$(now)
	for f in "${pdfs[@]}"; do pdftotext -q "$f" "$tmp/poppler.txt" || true; done
	t2=$(now)
	best_corpora=$(awk -v a="$t0" -v b="$t1" -v m="$best_corpora" 'BEGIN{d=b-a; if (m=="" || d<m) m=d; print m}')
	best_poppler=$(awk -v a="$t1" -v b="$t2" -v m="$best_poppler" 'BEGIN{d=b-a; if (m=="" || d<m) m=d; print m}')
done

printf '%d PDFs, %d pages, best of %d rounds\n' "${#pdfs[@]}" "$pages" "$rounds"
awk -v n="$pages" -v c="$best_corpora" -v p="$best_poppler" 'BEGIN{
	printf "corpora parse : %7.3f s  %8.1f pages/s\n", c, n/c
	printf "pdftotext     : %7.3f s  %8.1f pages/s\n", p, n/p
	printf "ratio (corpora/pdftotext pages/s): %.2f\n", p/c
}'
