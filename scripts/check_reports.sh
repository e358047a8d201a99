#!/usr/bin/env bash
# Checks the committed example reports as a reader's tools see them: every Markdown
# table parses as a table in cmark-gfm, and every SVG renders to PNG with rsvg-convert.
# Also checks that reports/regenerate.sh leaves them unchanged (they never drift), that every
# summary sentence agrees with its report's results table, and that the README's excerpt is what
# its first command writes (scripts/check_statements.py).
set -euo pipefail
cd "$(dirname "$0")/.."
failures=0
for md in reports/*.md reports/sweep-*/*.md; do
    [ "$(basename "$md")" = README.md ] && continue
    pipe_tables=$(grep -c '^| --- |' "$md" || true)
    html_tables=$(cmark-gfm -e table "$md" | grep -c '<table>' || true)
    if [ "$pipe_tables" != "$html_tables" ]; then
        echo "$md: $pipe_tables tables written, $html_tables parsed by cmark-gfm"; failures=$((failures + 1))
    fi
done
for svg in reports/*.svg reports/sweep-*/*.svg; do
    if ! rsvg-convert "$svg" -o /tmp/lpsim-check.png 2>/tmp/lpsim-rsvg.log; then
        echo "$svg: rsvg-convert failed: $(cat /tmp/lpsim-rsvg.log)"; failures=$((failures + 1))
    fi
done
before=$(cat reports/*.md reports/*.svg reports/*.json reports/sweep-*/* | sha256sum)
reports/regenerate.sh
after=$(cat reports/*.md reports/*.svg reports/*.json reports/sweep-*/* | sha256sum)
if [ "$before" != "$after" ]; then echo "reports/: regenerate.sh changed the committed reports"; failures=$((failures + 1)); fi
if ! python3 scripts/check_statements.py reports/*.md --readme "$(swift build --show-bin-path)/lpsim"; then
    echo "reports/: statements disagree with their tables, or the README excerpt with its command"; failures=$((failures + 1))
fi
echo "report check: $failures failed"
[ "$failures" -eq 0 ]
