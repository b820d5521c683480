#!/usr/bin/env python3
"""docs/uapi.md covers the user <-> kernel headers: prints TAP.

For each of include/uapi/vascend_{davinci,svm,manager,hdc}.h, every
#define (ioctl numbers, flags, constants), every struct and every struct
field must be named in docs/uapi.md, and every size the page states for a
struct ("`struct vascend_x` (N bytes)", "`vascend_x` (N)") must be its
sizeof, so the page cannot drift from the contract.

    doc_check.py [CC]        CC compiles the sizeof probe (default cc)
"""
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
HEADERS = ["vascend_davinci.h", "vascend_svm.h", "vascend_manager.h", "vascend_hdc.h"]
DOC = os.path.join(TOP, "docs", "uapi.md")

n = 0
failed = 0


def check(ok, desc, missing=()):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + " %d - %s" % (n, desc))
    for m in missing:
        print("#   missing from docs/uapi.md: %s" % m)
    if not ok:
        failed = 1


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def parse(path):
    """(defines, {struct: [fields]}) of a header."""
    text = strip_comments(open(path).read())
    defines = [d for d in re.findall(r"^#define\s+(\w+)", text, re.M)
               if not d.startswith("_UAPI_")]
    structs = {}
    for m in re.finditer(r"^struct (\w+) \{\n(.*?)^\};", text, re.M | re.S):
        fields = re.findall(r"(\w+)(?:\[[^\]]*\])?;", m.group(2))
        structs[m.group(1)] = fields
    return defines, structs


def named(doc, name):
    """The doc names it as a whole word (in code, a table or prose)."""
    return re.search(r"(?<![\w])" + re.escape(name) + r"(?![\w])", doc) is not None


def field_named(doc, field):
    """A field is named in backticks, alone or as a member (`a.b`, `u.raw[]`)."""
    return re.search(r"`[^`\n]*(?<![\w])" + re.escape(field) + r"(?![\w])[^`\n]*`",
                     doc) is not None


def sizes(cc, structs):
    """sizeof of each struct, from the compiler."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "sizes.c")
        with open(src, "w") as f:
            f.write("#include <stdio.h>\n")
            for h in HEADERS:
                f.write('#include "%s"\n' % h)
            f.write("int main(void)\n{\n")
            for s in structs:
                f.write('\tprintf("%s %%zu\\n", sizeof(struct %s));\n' % (s, s))
            f.write("\treturn 0;\n}\n")
        exe = os.path.join(tmp, "sizes")
        subprocess.run([cc, "-std=c11", "-I", os.path.join(TOP, "include", "uapi"),
                        "-o", exe, src], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return {k: int(v) for k, v in (line.split() for line in out.splitlines())}


def main():
    cc = sys.argv[1] if len(sys.argv) > 1 else "cc"
    doc = open(DOC).read()
    all_structs = {}
    for h in HEADERS:
        defines, structs = parse(os.path.join(TOP, "include", "uapi", h))
        all_structs.update(structs)
        ioctls = [d for d in defines if d.startswith("VASCEND_IOCTL_") and d != "VASCEND_IOCTL_MAGIC"]
        check(ioctls, "%s defines ioctls (%d) the check can see" % (h, len(ioctls)))
        miss = [d for d in defines if not named(doc, d)]
        check(not miss, "every #define of %s is in docs/uapi.md (%d: %d ioctls, %d constants)"
              % (h, len(defines), len(ioctls), len(defines) - len(ioctls)), miss)
        miss = ["struct " + s for s in structs if not named(doc, s)]
        check(not miss, "every struct of %s is in docs/uapi.md (%d)" % (h, len(structs)), miss)
        miss = ["%s.%s" % (s, f) for s, fields in structs.items() for f in fields
                if not field_named(doc, f)]
        check(not miss, "every struct field of %s is in docs/uapi.md (%d)"
              % (h, sum(len(f) for f in structs.values())), miss)

    # Sizes the page states: "`struct vascend_x` (N bytes)" or "`vascend_x` (N)".
    real = sizes(cc, all_structs)
    stated = re.findall(r"`(?:struct )?(vascend_\w+)`\s*\((\d+)(?: bytes)?\)", doc)
    wrong = ["%s: the page says %s, sizeof is %d" % (s, v, real[s])
             for s, v in stated if s in real and int(v) != real[s]]
    check(stated and not wrong, "the %d struct sizes docs/uapi.md states are the real ones"
          % len(stated))
    for w in wrong:
        print("#   " + w)
    print("1..%d" % n)
    return failed


if __name__ == "__main__":
    sys.exit(main())
