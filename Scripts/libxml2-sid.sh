#!/usr/bin/env bash
# The package against Debian sid's libxml2 (2.15 and later, soname libxml2.so.16), next to the
# system's (Debian 12: 2.9.14, libxml2.so.2).
#
#   Scripts/libxml2-sid.sh            fetch and build sid's libxml2 (once), then build and test
#                                     the package against it and compare the CLI's output
#   Scripts/libxml2-sid.sh libxml2    only fetch and build sid's libxml2
#   Scripts/libxml2-sid.sh env        print the exports that point pkg-config and the loader at it
#   Scripts/libxml2-sid.sh bench [ARGS…]   callconsult-bench (release, from the Benchmarks package)
#                                     on it, with ARGS (e.g. --quick)
#
# The source comes from Debian sid's source package (`apt-get source`, Debian's patches applied),
# through a temporary apt configuration: its own sources list, with one `deb-src … sid main` line on
# the Debian mirror this machine is already configured with, and its own lists and caches. The
# system's apt configuration, lists and caches are left as they are. LIBXML2_SID_MIRROR=URI picks
# another mirror.
#
# It is built (threads on, no ICU, no Python) and installed into .build-libxml2-sid/install; the
# package is then built and tested with PKG_CONFIG_PATH and LD_LIBRARY_PATH pointing there, in its
# own scratch path (.build-sid), and `callconsult validate --json` on every example must print the
# same as the system build (.build, built here if missing), in JSON and as text. The benchmark is
# built from the Benchmarks package (which depends on this one by path) in a scratch path of its own,
# .build-sid-bench (.build-sid is the root package's).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work="$root/.build-libxml2-sid"
prefix="$work/install"
scratch="$root/.build-sid"
bench_scratch="$root/.build-sid-bench"
step="${1:-all}"

say() { echo "libxml2-sid: $*"; }

# The first Debian archive (a URI whose path ends in /debian) among the sources apt reads: deb822
# `.sources` files (`URIs:`), then one-line `.list` files and /etc/apt/sources.list.
debian_mirror() {
    if [ -n "${LIBXML2_SID_MIRROR:-}" ]; then
        echo "$LIBXML2_SID_MIRROR"
        return
    fi
    local uri
    uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' |
        grep -E '^[a-z+]+://[^ ]+/debian/?$' | head -n 1 || true)
    if [ -z "$uri" ]; then
        uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            sed -E 's/\[[^]]*\]//' |
            awk '$1 == "deb" || $1 == "deb-src" { print $2 }' |
            grep -E '^[a-z+]+://[^ ]+/debian/?$' | head -n 1 || true)
    fi
    [ -n "$uri" ] || { echo "libxml2-sid: no Debian mirror in /etc/apt (set LIBXML2_SID_MIRROR)" >&2; exit 1; }
    echo "${uri%/}"
}

build_libxml2() {
    if [ -f "$prefix/lib/pkgconfig/libxml-2.0.pc" ]; then
        say "already built: $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion libxml-2.0) in $prefix"
        return
    fi
    local need=()
    command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
    command -v make >/dev/null 2>&1 || need+=(make)
    command -v cc >/dev/null 2>&1 || need+=(gcc)
    command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
    if [ ${#need[@]} -gt 0 ]; then
        say "installing ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq "${need[@]}" || { apt-get update -qq && apt-get install -y -qq "${need[@]}"; }
    fi

    rm -rf "$work"
    mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/source"
    local mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    mirror=$(debian_mirror)
    echo "deb-src [signed-by=$keyring] $mirror sid main" >"$work/apt/sources.list"
    local apt=(apt-get -q
        -o Dir::Etc::SourceList="$work/apt/sources.list"
        -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State::Lists="$work/apt/lists"
        -o Dir::Cache="$work/apt/cache"
        -o APT::Sandbox::User="$(id -un)")
    say "sid sources from $mirror"
    "${apt[@]}" update >"$work/apt/update.log" 2>&1 || { cat "$work/apt/update.log"; exit 1; }
    (cd "$work/source" && "${apt[@]}" source --download-only libxml2 >../apt/source.log 2>&1) ||
        { cat "$work/apt/source.log"; exit 1; }
    local dsc
    dsc=$(ls "$work"/source/libxml2_*.dsc)
    say "$(basename "$dsc")"
    dpkg-source -x "$dsc" "$work/source/libxml2" >"$work/source/extract.log" 2>&1 ||
        { cat "$work/source/extract.log"; exit 1; }

    local jobs
    jobs=$(nproc 2>/dev/null || echo 2)
    (
        cd "$work/source/libxml2"
        ./configure --prefix="$prefix" --with-threads --without-icu --without-python \
            --disable-static >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
        make -j"$jobs" >"$work/make.log" 2>&1 || { tail -n 50 "$work/make.log"; exit 1; }
        make install >"$work/install.log" 2>&1 || { tail -n 50 "$work/install.log"; exit 1; }
    )
    say "built $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion libxml-2.0) into $prefix (${SECONDS} s)"
}

# Every example through `callconsult validate --json` and the text form (which also names the
# element of each issue), responses also with --response, with the exit status.
validate_examples() {
    local cli=$1 file options
    for file in Examples/*.xml; do
        for options in "" "--response"; do
            case "$options/$file" in
            --response/Examples/response-* | --response/Examples/*-response.xml | /*) ;;
            *) continue ;;
            esac
            echo "== validate $options $file"
            # shellcheck disable=SC2086 # $options is one word or none
            "$cli" validate $options --json "$file" || echo "exit $?"
            "$cli" validate $options "$file" || echo "exit $?"
        done
    done
}

# Every binary built against the sid library finds it through its run path, whatever its environment.
rpath=(-Xlinker -rpath -Xlinker "$prefix/lib")

case "$step" in
libxml2)
    build_libxml2
    exit 0
    ;;
env)
    echo "export PKG_CONFIG_PATH=\"$prefix/lib/pkgconfig\""
    echo "export LD_LIBRARY_PATH=\"$prefix/lib\""
    exit 0
    ;;
bench)
    build_libxml2
    shift
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    bench_build=(swift build --package-path Benchmarks -c release --scratch-path "$bench_scratch" "${rpath[@]}")
    "${bench_build[@]}" --product callconsult-bench
    exec "$("${bench_build[@]}" --show-bin-path)/callconsult-bench" "$@"
    ;;
all) ;;
*)
    echo "usage: Scripts/libxml2-sid.sh [libxml2|env|bench [ARGS…]]" >&2
    exit 2
    ;;
esac

build_libxml2
sid_version=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion libxml-2.0)
system_version=$(pkg-config --modversion libxml-2.0)

# The system build, for the comparison: built with the environment this script was called with.
swift build --product callconsult
system_cli=$(swift build --show-bin-path)/callconsult

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
say "swift build against libxml2 $sid_version"
swift build --scratch-path "$scratch" "${rpath[@]}"
sid_bin=$(swift build --scratch-path "$scratch" "${rpath[@]}" --show-bin-path)

# The build must really load the sid library, not the system's, even from a process whose
# environment has no LD_LIBRARY_PATH (the CLI tests start the binaries with an environment of their
# own): the run path says where it is.
linked=$(env -u LD_LIBRARY_PATH ldd "$sid_bin/callconsult" | awk '/libxml2\.so/ { print $3 }')
case "$linked" in
"$prefix"/lib/*) say "callconsult loads $linked" ;;
*)
    echo "libxml2-sid: callconsult loads '$linked', not the library in $prefix/lib" >&2
    exit 1
    ;;
esac

say "swift test against libxml2 $sid_version (${SECONDS} s)"
test_log="$work/test.log"
swift test --scratch-path "$scratch" "${rpath[@]}" 2>&1 | tee "$test_log"
# The test process must have run on it too (SyntaxIssuePlaceTests prints what it runs on).
grep -E "^libxml2: built against [0-9]+, running [0-9]+$" "$test_log" | tail -n 1
running=$(grep -E "^libxml2: built against [0-9]+, running [0-9]+$" "$test_log" | tail -n 1 | sed -E 's/.*running //')
expected=$(awk -F. '{ printf "%d%02d%02d", $1, $2, $3 }' <<<"$sid_version")
[ "$running" = "$expected" ] || {
    echo "libxml2-sid: the tests ran on libxml2 '$running', not $expected" >&2
    exit 1
}
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?" "$test_log" | tail -n 1)
say "tests on $sid_version:${summary}"

say "callconsult validate on Examples/: libxml2 $system_version against $sid_version"
diff -u <(env -u LD_LIBRARY_PATH bash -c "$(declare -f validate_examples); validate_examples '$system_cli'" 2>&1) \
    <(validate_examples "$sid_bin/callconsult" 2>&1) || {
    echo "libxml2-sid: callconsult prints differently on libxml2 $sid_version" >&2
    exit 1
}
say "the same on both (${SECONDS} s in all)"
