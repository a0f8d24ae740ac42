#!/usr/bin/env bash
# Regenerates packages/bench/results/README.md: runs the Tammes experiment for n = 13, 14, 24 with the
# paper's preset, then again with restarts and a cosine learning-rate decay, and the default synthetic
# run; writes each printed table under its exact command, and under each Tammes table one line on the
# best method (from that run's results.json, by scripts/tammes-summary.mjs).
# Usage (from the repo root, after `pnpm build`): bash packages/bench/scripts/results-readme.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=packages/bench/results/README.md
cli="node packages/bench/dist/cli.js"
summary="node packages/bench/scripts/tammes-summary.mjs"
tmp=$(mktemp -d)
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem/ {print $2}') GiB, Node $(node --version), cpu backend"
# The proven optimum for n = 24 (Robinson 1961, the snub cube); tammes.json lists 48.5353° instead.
proven24=43.69077
# The restarts section's setting: generic flags, the same for every method and n.
restarts=8
decay=cosine

# tammes_section <name> <extra flags...>: one table and its summary line per n = 13, 14, 24.
tammes_section() {
  local name=$1
  shift
  for n in 13 14 24; do
    local dir="$tmp/$name-$n"
    echo
    echo "### n = $n"
    echo
    echo '```'
    echo "\$ keepdist-bench tammes --preset paper --n $n $* --out $dir" | sed 's/  */ /g'
    $cli tammes --preset paper --n "$n" "$@" --out "$dir" | grep -v '^Results written'
    echo '```'
    echo
    if [ "$n" = 24 ]; then $summary "$dir/results.json" "$proven24"; else $summary "$dir/results.json"; fi
  done
}

{
  echo "# keepdist-bench results"
  echo
  echo "Each table below is exactly what the command above it printed (tables only; the JSON and SVG"
  echo "files went to the temporary folder the command names). The line under each Tammes table is read"
  echo "from that run's \`results.json\` by \`packages/bench/scripts/tammes-summary.mjs\`. Regenerate with"
  echo "\`pnpm build && bash packages/bench/scripts/results-readme.sh\`."
  echo
  echo "Machine: $machine. Date: $(date -u +%Y-%m-%d)."
  echo
  echo "## Tammes problem (n points on S², the paper's preset: RiemannianAdam lr 0.005, 2500 iterations, expmap)"
  echo
  echo "Optimum column: \`testdata/tammes.json\` (the values the paper's authors used). Note: for n = 24"
  echo "that file lists 48.5353°, while the proven optimum (Robinson 1961, the snub cube) is $proven24°;"
  echo "gaps for n = 24 are against the file's value, as the issue asks, and the line under each n = 24"
  echo "table also gives the best method's gap against $proven24°. The goal: for each n the best method"
  echo "within 1% of the optimum."
  tammes_section paper
  echo
  echo "## Tammes problem with $restarts restarts and a $decay learning-rate decay"
  echo
  echo "The paper's preset plus two generic flags, the same for every method and every n:"
  echo "\`--restarts $restarts\` runs each method from $restarts independent uniform starts (seeds 42–$((42 + restarts - 1)))"
  echo "and reports the best start (largest minimum angle; \`median (°)\` is the median over the starts,"
  echo "time and iter/s cover all starts), and \`--lr-decay $decay\` anneals lr from 0.005 towards 0 as"
  echo "lr·(1 + cos(πt/T))/2 over the steps t = 0, …, T−1 of the T = 2500 iterations. The setting was"
  echo "chosen after trying 8 restarts with \`--lr-decay\` none, cosine and linear for each n, and 16"
  echo "restarts with cosine for n = 24. No method or per-method setting differs from the paper's preset."
  tammes_section restarts --restarts "$restarts" --lr-decay "$decay"
  echo
  echo "## Synthetic dispersion (defaults: n = 2000, d = 64, 500 iterations, power-spherical start κ = 100, batch 256, float32)"
  echo
  cmd="keepdist-bench synthetic --out $tmp/synthetic"
  echo '```'
  echo "\$ $cmd"
  $cli synthetic --out "$tmp/synthetic" | grep -v '^Results written'
  echo '```'
} > "$out"
echo "wrote $out"
