#!/usr/bin/env bash
# The JSD memory/time A/B of docs/benchmarks.md (session 13): one JsdProbe child JVM per setting, library A
# and library B alternating. Usage, from the checkout's root:
#   docs/bench/jsd-ab.sh OLD_JAR NEW_JAR [REPEATS]
# where each jar has ai.goldkd.bench.JsdProbe (for an older library, copy this checkout's bench package into
# its tree before building it), and gold-lib/target/lib holds the dependencies.
set -euo pipefail
old="$1"; new="$2"; repeats="${3:-3}"
for i in $(seq "$repeats"); do
  for lib in new old; do
    jar="$new"; [ "$lib" = old ] && jar="$old"
    for setting in "64 logits" "64 head"; do
      set -- $setting
      echo "$lib $setting: $(java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp "$jar:gold-lib/target/lib/*" \
        ai.goldkd.bench.JsdProbe 4096 32000 "$1" 5 "$2" 2>&1 | grep '^{')"
    done
  done
done
