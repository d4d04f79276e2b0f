#!/usr/bin/env bash
# bench-ocr.sh: corpora's OCR of scanned PDFs against the naive pipeline
# `pdftoppm -r 300 -gray | tesseract - -`, side by side on the same scans.
#
#   scripts/bench-ocr.sh [SCAN_PDF_OR_DIR...]
#
# Default input: scans made from the SRD (SCAN_PAGES pages, default 6, of
# $CORPORA_TEST_CORPUS/srd/rendered/srd_spellcasting.book.pdf rendered at
# 300 dpi gray, saved as JPEG pages and wrapped into one PDF with ImageMagick
# or img2pdf) plus the corpus's real scans ocrmypdf__linn.pdf and
# ocrmypdf__c02-22.pdf. Without the corpus: examples/books/hollowmere-fragment.pdf.
#
# corpora is built once and runs ONE `corpora parse --ocr auto -o DIR` over
# all scans (as a batch would). The naive pipeline renders and recognises
# each page with its own pdftoppm | tesseract, two pages at a time (xargs -P
# 2). ROUNDS (default 3) pairs are run one after the other; printed: each
# pair's times, and the median of the pairs' ratios
#   time ratio = corpora wall s / pipeline wall s   (issue 18 bar: <= 0.80)
# then, for ocrmypdf__linn.pdf when present, the word recall and word error
# rate of both against ocrmypdf__linn.txt.
# CORPORA_BIN=path runs that corpora binary instead of building the tree's
# (to measure an older build).
# Needs: go, pdftoppm and pdfinfo (poppler-utils), tesseract.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}
for tool in pdftoppm pdfinfo tesseract; do
	command -v "$tool" >/dev/null || { echo "bench-ocr: $tool not found (apt-get install poppler-utils tesseract-ocr tesseract-ocr-eng)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
corpus=${CORPORA_TEST_CORPUS:-}

inputs=("$@")
if [[ ${#inputs[@]} -eq 0 ]]; then
	if [[ -n $corpus && -d $corpus/srd/rendered ]]; then
		src=$corpus/srd/rendered/srd_spellcasting.book.pdf
		n=${SCAN_PAGES:-6}
		mkdir -p "$tmp/scan"
		pdftoppm -r 300 -gray -jpeg -jpegopt quality=85 -f 2 -l $((n + 1)) "$src" "$tmp/scan/p"
		if command -v img2pdf >/dev/null; then
			img2pdf "$tmp"/scan/p*.jpg -o "$tmp/srd-scan.pdf"
		elif command -v convert >/dev/null; then
			convert -density 300 -units PixelsPerInch "$tmp"/scan/p*.jpg "$tmp/srd-scan.pdf"
		else
			echo "bench-ocr: neither img2pdf nor ImageMagick's convert found: give the scans as arguments" >&2
			exit 1
		fi
		inputs=("$tmp/srd-scan.pdf" "$corpus/pdf/ocrmypdf__linn.pdf" "$corpus/pdf/ocrmypdf__c02-22.pdf")
	else
		inputs=("$root/examples/books/hollowmere-fragment.pdf")
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
[[ ${#pdfs[@]} -gt 0 ]] || { echo "bench-ocr: no PDFs" >&2; exit 66; }

bin=${CORPORA_BIN:-}
if [[ -z $bin ]]; then
	bin=$tmp/corpora
	(cd "$root" && go build -o "$bin" ./cmd/corpora)
fi

# jobs lists "file page" pairs for the pipeline.
pages=0
: >"$tmp/jobs"
for f in "${pdfs[@]}"; do
	n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}')
	for ((i = 1; i <= ${n:-0}; i++)); do printf '%s\t%d\n' "$f" "$i" >>"$tmp/jobs"; done
	pages=$((pages + ${n:-0}))
done
mkdir -p "$tmp/naive"
naive() {
	# One page: render and recognise, text into $tmp/naive/<base>-<page>.txt.
	tr '\n' '\0' <"$tmp/jobs" | xargs -0 -P 2 -n 1 bash -c '
		f=${0%%	*} p=${0##*	}
		pdftoppm -r 300 -gray -f "$p" -l "$p" "$f" | tesseract - - 2>/dev/null >"'"$tmp"'/naive/$(basename "$f" .pdf)-$(printf %05d "$p").txt"'
}

now() { date +%s.%N; }
# Warm the compilation cache (a first run on a machine compiles PDFium).
"$bin" parse --ocr off -o "$tmp/warm" --flat "${pdfs[0]}" >/dev/null 2>&1 || true
ratios=()
for ((r = 1; r <= rounds; r++)); do
	rm -rf "$tmp/out"
	t0=$(now)
	"$bin" parse --ocr auto -o "$tmp/out" --flat "${pdfs[@]}" 2>"$tmp/corpora.err" || {
		echo "bench-ocr: round $r: corpora parse reported failures:" >&2; grep -v '^OK ' "$tmp/corpora.err" >&2 || true; }
	t1=$(now)
	naive
	t2=$(now)
	ratios+=("$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN{printf "%.3f", (b-a)/(c-b)}')")
	printf 'round %d: corpora %.1f s, pipeline %.1f s\n' "$r" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$(awk -v a="$t1" -v b="$t2" 'BEGIN{print b-a}')"
done
printf '%d scans, %d pages, %s cores, load %s\n' "${#pdfs[@]}" "$pages" \
	"$(nproc 2>/dev/null || echo '?')" "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
printf 'median time ratio corpora/pipeline over %d pairs: %s  (bar: <= 0.80)\n' "$rounds" \
	"$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')"

# Quality against the ground truth of linn.pdf: word recall (share of the
# truth's words found, as a multiset) and word error rate (word-level edit
# distance / truth words), both on casefolded words of letters and digits.
truth=
for f in "${pdfs[@]}"; do
	[[ $(basename "$f") == ocrmypdf__linn.pdf && -f ${f%.pdf}.txt ]] && truth=${f%.pdf}.txt
done
[[ -n $truth ]] || exit 0
words() { tr '[:upper:]' '[:lower:]' | tr -cs '[:alnum:]' '\n' | sed '/^$/d'; }
words <"$truth" >"$tmp/truth.w"
[[ -f $tmp/out/ocrmypdf__linn.json ]] || echo '{"content": []}' >"$tmp/out/ocrmypdf__linn.json"
python3 - "$tmp/out/ocrmypdf__linn.json" >"$tmp/corpora.txt" <<'EOF' 2>/dev/null || jq -r '.content[].text' "$tmp/out/ocrmypdf__linn.json" >"$tmp/corpora.txt"
import json, sys
print("\n".join(b["text"] for b in json.load(open(sys.argv[1]))["content"]))
EOF
words <"$tmp/corpora.txt" >"$tmp/corpora.w"
cat "$tmp"/naive/ocrmypdf__linn-*.txt | words >"$tmp/naive.w"
score() {
	awk '
	FNR == NR { t[++n] = $0; c[$0]++; next }
	{ g[++m] = $0; if (c[$0] > 0) { c[$0]--; hit++ } }
	END {
		n += 0; m += 0
		if (n == 0) { print "recall -  word error -"; exit }
		# word-level Levenshtein distance, two rows
		for (j = 0; j <= m; j++) prev[j] = j
		for (i = 1; i <= n; i++) {
			cur[0] = i
			for (j = 1; j <= m; j++) {
				d = prev[j-1] + (t[i] != g[j])
				if (prev[j] + 1 < d) d = prev[j] + 1
				if (cur[j-1] + 1 < d) d = cur[j-1] + 1
				cur[j] = d
			}
			for (j = 0; j <= m; j++) prev[j] = cur[j]
		}
		printf "recall %.3f  word error %.3f", hit / n, prev[m] / n
	}' "$tmp/truth.w" "$1"
}
printf 'ocrmypdf__linn.pdf vs ocrmypdf__linn.txt: corpora %s | pipeline %s\n' "$(score "$tmp/corpora.w")" "$(score "$tmp/naive.w")"
