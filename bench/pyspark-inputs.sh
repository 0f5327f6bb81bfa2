# The inputs the whole-tree benchmarks share, made once under target/bench and
# reused: the Python sources of the pyspark sdist, and the same tree copied 1, 2, 4
# and 8 times (hard links: the copies take no disk). Sourced, not run: it expects
# `work` (target/bench), `pyspark_version` and a `log` function, and sets `tree`
# and `copies`.

tree="$work/pyspark-$pyspark_version"
copies="$work/copies-$pyspark_version"

pyspark_sdist="$work/dl/pyspark-$pyspark_version.tar.gz"
if [[ ! -f "$tree.extracted" ]]; then
    if [[ ! -f "$pyspark_sdist" ]]; then
        log "downloading the pyspark $pyspark_version sdist into $work/dl"
        mkdir -p "$work/dl"
        python3 -m pip download --quiet --disable-pip-version-check \
            --no-deps --no-binary :all: "pyspark==$pyspark_version" -d "$work/dl"
    fi
    log "extracting its Python sources into $tree"
    rm -rf "$tree"
    mkdir -p "$tree"
    tar -xzf "$pyspark_sdist" -C "$tree" --strip-components=1 --wildcards '*.py'
    touch "$tree.extracted"
fi
if [[ ! -f "$copies.made" ]]; then
    rm -rf "$copies"
    for n in 1 2 4 8; do
        for ((i = 1; i <= n; i++)); do
            mkdir -p "$copies/x$n"
            cp -al "$tree" "$copies/x$n/copy$i"
        done
    done
    touch "$copies.made"
fi
