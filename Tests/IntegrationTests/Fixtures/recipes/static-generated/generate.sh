#!/bin/sh
# A tiny site generator: each pages/NAME.txt (its title on the first line,
# paragraphs after) becomes OUT/NAME.html.
set -eu
out=$1
rm -rf "$out"
mkdir -p "$out"
for page in pages/*.txt; do
  name=$(basename "$page" .txt)
  {
    printf '<!doctype html>\n<title>%s</title>\n' "$(head -n 1 "$page")"
    tail -n +2 "$page" | sed 's/^/<p>/'
  } >"$out/$name.html"
done
