#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The AscendCL API coverage table, docs/api-coverage.md, made from the tree
so it cannot drift: every function the public headers declare, whether
libascendcl.so exports it, and which tests and samples call it.

    api_coverage.py --write     regenerate docs/api-coverage.md
    api_coverage.py [--check]   TAP: the page is current; every exported
                                symbol is declared and in the table; every
                                function issues 6 and 7 list is declared,
                                exported and called by a test

Needs build/userspace/lib/libascendcl.so (built here with make if missing
or stale). A test "calls" a function when its name appears followed by "("
in it; the header tests, which take every function's address, do not count.
"""
import os
import re
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
INC = os.path.join(TOP, "userspace", "include")
LIB = os.path.join(TOP, "build", "userspace", "lib", "libascendcl.so")
PAGE = os.path.join(TOP, "docs", "api-coverage.md")

# Where tests and samples live, and the files that only check declarations.
TEST_GLOBS = [
    ("tests/host/acl", (".c", ".h")),
    ("tests/host/install", (".c",)),
    ("tests/e2e/guest", (".c",)),
    ("samples", (".c",)),
]
NOT_TESTS = {"tests/host/acl/test_headers.c", "tests/host/acl/test_op_headers.c"}
# How each place is run, for the legend.
WHERE = [
    ("tests/host/acl/", "host unit tests on fake cards (`make -C tests/host/acl run`)"),
    ("tests/host/install/", "built against `make install`, run on the host and in the VM"),
    ("tests/e2e/guest/", "in the VM against the real device (`tests/e2e/run.sh`)"),
    ("samples/", "samples: in the VM (`make run`, e2e `samples`) and on fake cards "
     "with the reference op library (`tests/host/samples`)"),
]

# The functions issue 6 (items 2-4) and issue 7 (item 3) name. "Getters",
# "friends" and "every aclopSetAttr* type" are spelled out.
ISSUE6 = """
aclInit aclFinalize aclrtSetDevice aclrtResetDevice aclrtGetDevice aclrtGetDeviceCount
aclrtGetRunMode aclrtGetSocName aclrtSynchronizeDevice aclrtCreateContext
aclrtDestroyContext aclrtSetCurrentContext aclrtGetCurrentContext aclrtCreateStream
aclrtDestroyStream aclrtSynchronizeStream aclrtStreamWaitEvent aclrtCreateEvent
aclrtDestroyEvent aclrtRecordEvent aclrtResetEvent aclrtSynchronizeEvent
aclrtQueryEventStatus aclrtEventElapsedTime aclrtMalloc aclrtFree aclrtMallocHost
aclrtFreeHost aclrtMemcpy aclrtMemcpyAsync aclrtMemset aclrtMemsetAsync aclrtGetMemInfo
aclrtSubscribeReport aclrtLaunchCallback aclrtProcessReport aclrtUnSubscribeReport
aclGetRecentErrMsg
aclCreateTensorDesc aclDestroyTensorDesc aclGetTensorDescType aclGetTensorDescFormat
aclGetTensorDescSize aclGetTensorDescElementCount aclGetTensorDescNumDims
aclGetTensorDescDim aclGetTensorDescDimV2
aclCreateDataBuffer aclDestroyDataBuffer aclGetDataBufferAddr aclGetDataBufferSizeV2
aclUpdateDataBuffer
aclopCreateAttr aclopDestroyAttr aclopSetAttrBool aclopSetAttrInt aclopSetAttrFloat
aclopSetAttrString aclopSetAttrDataType aclopSetAttrListBool aclopSetAttrListInt
aclopSetAttrListFloat aclopSetAttrListString aclopSetAttrListDataType
aclopSetAttrListListInt
aclopExecuteV2 aclopCompileAndExecute aclopSetModelDir aclopLoad
aclblasGemmEx aclblasHgemm aclblasS8gemm
""".split()
ISSUE7 = """
aclmdlLoadFromFile aclmdlLoadFromMem aclmdlLoadFromFileWithMem aclmdlQuerySize
aclmdlExecute aclmdlExecuteAsync aclmdlUnload aclmdlCreateDesc aclmdlGetDesc
aclmdlDestroyDesc aclmdlGetNumInputs aclmdlGetNumOutputs aclmdlGetInputSizeByIndex
aclmdlGetOutputSizeByIndex aclmdlGetInputDims aclmdlGetOutputDims
aclmdlGetInputDataType aclmdlGetOutputDataType aclmdlGetInputFormat
aclmdlGetOutputFormat aclmdlGetInputNameByIndex aclmdlGetOutputNameByIndex
aclmdlCreateDataset aclmdlAddDatasetBuffer aclmdlGetDatasetBuffer
aclmdlGetDatasetNumBuffers aclmdlDestroyDataset
""".split()

DECL = re.compile(r"ACL_FUNC_VISIBILITY\s+[^;(){}]*?\b(acl\w+)\s*\(")
DEPRECATED = re.compile(r"ACL_DEPRECATED_MESSAGE\([^)]*\)\s*ACL_FUNC_VISIBILITY\s+[^;(){}]*?\b(acl\w+)\s*\(")


def headers():
    """[(header path relative to INC, [function, ...], {deprecated})] in a stable order."""
    out = []
    for root, _, files in os.walk(os.path.join(INC, "acl")):
        for f in files:
            if f.endswith(".h"):
                path = os.path.join(root, f)
                text = open(path, encoding="utf-8").read()
                names = []
                for n in DECL.findall(text):
                    if n not in names:
                        names.append(n)
                dep = set(DEPRECATED.findall(text))
                out.append((os.path.relpath(path, INC), names, dep))
    order = ["acl/acl.h", "acl/acl_base.h", "acl/acl_rt.h", "acl/acl_op.h",
             "acl/acl_op_compiler.h", "acl/ops/acl_cblas.h", "acl/acl_mdl.h"]
    out.sort(key=lambda h: (order.index(h[0]) if h[0] in order else len(order), h[0]))
    return out


def exported():
    """acl* functions libascendcl.so exports (built first if need be)."""
    subprocess.run(["make", "-s", "-C", os.path.join(TOP, "userspace"),
                    "O=" + os.path.join(TOP, "build", "userspace"), LIB],
                   check=True, stdout=subprocess.DEVNULL)
    nm = subprocess.run(["nm", "-D", "--defined-only", LIB], check=True,
                        capture_output=True, text=True).stdout
    return {l.split()[-1] for l in nm.splitlines() if l.split() and l.split()[1] in "TtWi"
            and l.split()[-1].startswith("acl")}


def test_files():
    """{relative path: text} of every test and sample source."""
    out = {}
    for d, exts in TEST_GLOBS:
        base = os.path.join(TOP, d)
        for root, _, files in os.walk(base):
            for f in sorted(files):
                rel = os.path.relpath(os.path.join(root, f), TOP)
                if f.endswith(exts) and rel not in NOT_TESTS:
                    out[rel] = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
    return out


def callers(name, tests):
    pat = re.compile(r"\b" + re.escape(name) + r"\s*\(")
    return sorted(p for p, text in tests.items() if pat.search(text))


def short(path):
    return path.replace("tests/host/", "host/").replace("tests/e2e/guest/", "e2e/") \
        .replace("/main.c", "")


def render(hdrs, exp, tests):
    lines = [
        "# AscendCL API coverage",
        "",
        "Every function vascend's public headers (`userspace/include/acl/`) declare:",
        "whether `libascendcl.so` implements it, and which tests and samples call it.",
        "Generated by `tests/host/headers/api_coverage.py --write`; `make test`",
        "(suite `host-api-coverage`) fails when a function or its status here is",
        "out of date, when the library exports a function no header declares, or",
        "when a function issue 6 (runtime, single op, BLAS) or issue 7 (models)",
        "lists is missing, not exported, or called by no test. Functions those",
        "issues list are marked **6** or **7**. The \"called by\" column is as of",
        "the last `--write`.",
        "",
        "Where the tests run:",
        "",
    ]
    for prefix, what in WHERE:
        lines.append("- `%s` (shown as `%s`): %s" % (prefix, short(prefix), what))
    lines += [
        "",
        "A test calls a function when it names it followed by `(`; the header tests",
        "(`host/acl/test_headers.c`, `test_op_headers.c`, `tests/host/headers`), which",
        "take every function's address and check CANN's types and values, come on",
        "top of what is listed here.",
        "",
    ]
    body = []
    total = impl = covered = 0
    for hdr, names, dep in hdrs:
        if not names:
            continue
        body += ["## `%s`" % hdr, "", "| function | issue | status | called by |",
                 "| --- | --- | --- | --- |"]
        for n in names:
            total += 1
            issue = "6" if n in ISSUE6 else "7" if n in ISSUE7 else ""
            st = "implemented" if n in exp else "declared only"
            if n in dep:
                st += " (deprecated in CANN)"
            impl += n in exp
            who = callers(n, tests)
            covered += bool(who)
            body.append("| `%s` | %s | %s | %s |" % (
                n, "**%s**" % issue if issue else "", st,
                ", ".join("`%s`" % short(w) for w in who) if who else "none"))
        body.append("")
    lines += ["%d functions declared, %d implemented, %d called by a test or sample."
              % (total, impl, covered), ""]
    return "\n".join(lines + body)


def skeleton(page):
    """The page without what other people's new tests change: the "called by"
    column and the counts. A function added, removed or (un)implemented
    still shows."""
    out = []
    for line in page.splitlines():
        if line.startswith("| `acl"):
            line = line.rsplit("|", 2)[0]
        elif line.endswith("called by a test or sample."):
            continue
        out.append(line)
    return out


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "--check"
    hdrs = headers()
    exp = exported()
    tests = test_files()
    page = render(hdrs, exp, tests)
    if mode == "--write":
        with open(PAGE, "w", encoding="utf-8") as f:
            f.write(page)
        return 0
    if mode != "--check":
        print("usage: api_coverage.py [--write | --check]", file=sys.stderr)
        return 2

    n = 0
    failed = 0

    def check(ok, what, detail=""):
        nonlocal n, failed
        n += 1
        failed += not ok
        print("%sok %d - %s%s" % ("" if ok else "not ", n, what,
                                  "" if ok or not detail else ": " + detail))

    old = open(PAGE, encoding="utf-8").read() if os.path.exists(PAGE) else ""
    check(skeleton(old) == skeleton(page),
          "docs/api-coverage.md lists every declared function with its current status",
          "regenerate with tests/host/headers/api_coverage.py --write")
    declared = {n for _, names, _ in hdrs for n in names}
    hidden = sorted(exp - declared)
    check(not hidden, "every acl* symbol libascendcl.so exports (%d) is declared in a "
          "public header and in the table" % len(exp), " ".join(hidden))
    for issue, names in (("6", ISSUE6), ("7", ISSUE7)):
        missing = [x for x in names if x not in declared]
        check(not missing, "every function issue %s lists (%d) is declared" % (issue, len(names)),
              " ".join(missing))
        unimpl = [x for x in names if x in declared and x not in exp]
        check(not unimpl, "every function issue %s lists is exported by libascendcl.so" % issue,
              " ".join(unimpl))
        untested = [x for x in names if not callers(x, tests)]
        check(not untested, "every function issue %s lists is called by a test or sample" % issue,
              " ".join(untested))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
