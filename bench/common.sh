# What the benchmark scripts share. Sourced, not run.
#
# The input of the whole-tree benchmarks, made once under target/bench and reused:
# the Python sources of the pyspark sdist, and for scaling the same tree copied 1,
# 2, 4 and 8 times (hard links: the copies take no disk). These expect `work`
# (target/bench), `pyspark_version` and a `log` function.

# Sets `tree`, extracting it when missing from the sdist (PYSPARK_SDIST, or one
# downloaded into target/bench/dl).
pyspark_tree() {
    tree="$work/pyspark-$pyspark_version"
    [[ -f "$tree.extracted" ]] && return
    local sdist="${PYSPARK_SDIST:-$work/dl/pyspark-$pyspark_version.tar.gz}"
    if [[ ! -f "$sdist" ]]; then
        log "downloading the pyspark $pyspark_version sdist into $work/dl"
        mkdir -p "$work/dl"
        python3 -m pip download --quiet --disable-pip-version-check \
            --no-deps --no-binary :all: "pyspark==$pyspark_version" -d "$work/dl"
    fi
    log "extracting its Python sources into $tree"
    rm -rf "$tree"
    mkdir -p "$tree"
    tar -xzf "$sdist" -C "$tree" --strip-components=1 --wildcards '*.py'
    touch "$tree.extracted"
}

# Sets `tree` and `copies`, the folder of the copies (`x1` to `x8`).
pyspark_copies() {
    pyspark_tree
    copies="$work/copies-$pyspark_version"
    [[ -f "$copies.made" ]] && return
    rm -rf "$copies"
    local n i
    for n in 1 2 4 8; do
        for ((i = 1; i <= n; i++)); do
            mkdir -p "$copies/x$n"
            cp -al "$tree" "$copies/x$n/copy$i"
        done
    done
    touch "$copies.made"
}

# `--no-cache` when the sparkguard binary $1 knows it (builds from before the
# results cache do not, and always check cold): a benchmark times the check, not a
# read of the results cache its previous run left.
cold() {
    if "$1" check --help 2>/dev/null | grep -q -- '--no-cache'; then
        echo --no-cache
    fi
}
