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
# fastest round of each. Prints, for each tool, wall-clock pages/s and CPU
# time (user+sys of the tool and its children, from bash's `times`), then two
# ratios, both >= 1.0 when corpora is at least as fast:
#   wall ratio = corpora pages/s / pdftotext pages/s (the SPEC bar; corpora
#                may use several cores, pdftotext uses one)
#   CPU ratio  = pdftotext CPU s / corpora CPU s (robust on a loaded machine)
# A third row runs corpora with its fast path off (CORPORA_PDF_ENGINE=pdfium:
# every page through PDFium as WebAssembly), to show what the fast path buys.
# Then a whole book, as a user parses one: BOOK=path.pdf, else the inputs
# joined with pdfunite (repeated up to at least BOOK_PAGES pages, default
# 400). corpora and pdftotext run on it in ROUNDS pairs, one after the
# other; the line printed is the median of the pairs' time ratios
#   book time ratio = corpora wall s / pdftotext wall s  (issue bar: <= 0.80)
# Needs: go, pdftotext and pdfinfo (poppler-utils); pdfunite for the book.
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
# cpu sets CPU to the user+sys seconds of this shell's finished children so
# far: the second line of bash's `times` ("1m2.345s 0m0.123s"), written to a
# file because `times` in a $(...) subshell would see the subshell's
# children only.
cpu() {
	times >"$tmp/times"
	CPU=$(awk 'NR == 2 {
		s = 0
		for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] }
		printf "%.3f", s
	}' "$tmp/times")
}
keepmin() { awk -v d="$1" -v m="$2" 'BEGIN{if (m == "" || d < m) m = d; print m}'; }
best_corpora= best_poppler= cpu_corpora= cpu_poppler= best_pdfium= cpu_pdfium=
# Warm the compilation cache (a first run on a machine compiles PDFium).
"$bin" parse --ocr off -o "$tmp/out" --flat "${pdfs[0]}" 2>/dev/null || true
for ((r = 1; r <= rounds; r++)); do
	rm -rf "$tmp/out"
	cpu; c0=$CPU; t0=$(now)
	"$bin" parse --ocr off -o "$tmp/out" --flat "${pdfs[@]}" 2>"$tmp/corpora.err" || {
		echo "bench-pdf: corpora parse failed:" >&2; cat "$tmp/corpora.err" >&2; exit 1; }
	t1=$(now); cpu; c1=$CPU
	for f in "${pdfs[@]}"; do pdftotext -q "$f" "$tmp/poppler.txt" || true; done
	t2=$(now); cpu; c2=$CPU
	# corpora with its fast path off: every page through PDFium (WebAssembly).
	rm -rf "$tmp/out"
	CORPORA_PDF_ENGINE=pdfium "$bin" parse --ocr off -o "$tmp/out" --flat "${pdfs[@]}" 2>/dev/null || true
	t3=$(now); cpu; c3=$CPU
	best_pdfium=$(keepmin "$(awk -v a="$t2" -v b="$t3" 'BEGIN{print b-a}')" "$best_pdfium")
	cpu_pdfium=$(keepmin "$(awk -v a="$c2" -v b="$c3" 'BEGIN{print b-a}')" "$cpu_pdfium")
	best_corpora=$(keepmin "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$best_corpora")
	best_poppler=$(keepmin "$(awk -v a="$t1" -v b="$t2" 'BEGIN{print b-a}')" "$best_poppler")
	cpu_corpora=$(keepmin "$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" "$cpu_corpora")
	cpu_poppler=$(keepmin "$(awk -v a="$c1" -v b="$c2" 'BEGIN{print b-a}')" "$cpu_poppler")
done

printf '%d PDFs, %d pages, best of %d rounds, %s cores, load %s\n' "${#pdfs[@]}" "$pages" "$rounds" \
	"$(nproc 2>/dev/null || echo '?')" "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
awk -v n="$pages" -v c="$best_corpora" -v p="$best_poppler" -v cc="$cpu_corpora" -v cp="$cpu_poppler" \
	-v w="$best_pdfium" -v cw="$cpu_pdfium" 'BEGIN{
	if (cc <= 0) cc = 0.001
	if (cp <= 0) cp = 0.001
	if (cw <= 0) cw = 0.001
	printf "                          wall s    pages/s     CPU s  pages/CPU-s\n"
	printf "corpora parse           %8.3f  %9.1f  %8.3f  %11.1f\n", c, n/c, cc, n/cc
	printf "pdftotext               %8.3f  %9.1f  %8.3f  %11.1f\n", p, n/p, cp, n/cp
	printf "corpora, PDFium only    %8.3f  %9.1f  %8.3f  %11.1f\n", w, n/w, cw, n/cw
	printf "wall ratio (corpora pages/s / pdftotext pages/s): %.2f  (bar: >= 1.00)\n", p/c
	printf "CPU ratio  (pdftotext CPU s / corpora CPU s)    : %.2f\n", cp/cc
}'

# A whole book: one document, as a user parses it.
book=${BOOK:-}
if [[ -z $book ]]; then
	if ! command -v pdfunite >/dev/null; then
		echo "bench-pdf: pdfunite not found: no whole-book run (set BOOK=file.pdf)" >&2
		exit 0
	fi
	want=${BOOK_PAGES:-400}
	parts=() n=0
	while ((n < want)); do
		for f in "${pdfs[@]}"; do
			parts+=("$f")
			n=$((n + $(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}')))
			((n >= want)) && break
		done
		((pages > 0)) || break
	done
	book=$tmp/book.pdf
	pdfunite "${parts[@]}" "$book"
fi
bpages=$(pdfinfo "$book" 2>/dev/null | awk '/^Pages:/{print $2}')
ratios=()
for ((r = 1; r <= rounds; r++)); do
	t0=$(now)
	"$bin" parse --ocr off "$book" >"$tmp/book.json" 2>"$tmp/corpora.err" || {
		echo "bench-pdf: corpora parse of the book failed:" >&2; cat "$tmp/corpora.err" >&2; exit 1; }
	t1=$(now)
	pdftotext -q "$book" "$tmp/book.txt" || true
	t2=$(now)
	ratios+=("$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN{printf "%.3f", (b-a)/(c-b)}')")
	printf 'book round %d: corpora %.3f s, pdftotext %.3f s\n' "$r" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$(awk -v a="$t1" -v b="$t2" 'BEGIN{print b-a}')"
done
printf 'whole book (%s pages): median time ratio corpora/pdftotext over %d pairs: %s  (bar: <= 0.80)\n' "$bpages" "$rounds" \
	"$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')"
