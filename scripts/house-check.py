#!/usr/bin/env python3
"""House rules, checked on every `make lint`: no source file over 400 lines
(tests may be longer: integration tests under `tests/`, and a module's unit
tests in its own `tests.rs`) and no import circle between the modules of a
crate.

A module is one file. File A depends on module B when A names a path into B
(`crate::b::…`, `super::…`, `self::…`, or a child it declares with `mod`),
resolved to the deepest module file that exists. A `pub use child::*` facade
counts as the parent depending on the child, so a child must import its
siblings directly (`super::sibling::X`), never through the parent. Circles are
strongly connected components of more than one file; each is printed with
its files.

    scripts/house-check.py            check, exit 1 on a breach
    scripts/house-check.py --graph    also print every edge
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_LINES = 400
# Crate source roots: (name, directory, root files).
CRATES = [
    ("patron", "src", ["lib.rs", "main.rs"]),
    ("patron-core", "crates/core/src", ["lib.rs"]),
    ("patron-server", "crates/server/src", ["lib.rs", "main.rs"]),
]
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    text = re.sub(r"//[^\n]*", " ", text)
    return text


def module_files(src):
    """Map module path (tuple) -> file, for one crate directory."""
    mods = {}
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), src)
            parts = rel[:-3].split(os.sep)
            if parts[-1] == "mod":
                parts = parts[:-1]
            if parts in (["lib"], ["main"]):
                parts = []
            key = tuple(parts)
            # lib.rs and main.rs are both the root: keep them apart.
            if key == () and rel == "main.rs":
                key = ("<main>",)
            mods[key] = os.path.join(src, rel)
    return mods


def use_paths(text):
    """Every `a::b::c` path that starts with crate/super/self or a use tree,
    expanded from `{…}` groups, as lists of segments."""
    out = []
    # use trees: expand braces
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        out.extend(expand(m.group(1).replace("\n", " ")))
    # inline paths
    for m in re.finditer(rf"\b((?:{IDENT}::)+{IDENT})", text):
        out.append(m.group(1).split("::"))
    return out


def expand(tree):
    tree = tree.strip()
    depth, cut = 0, None
    for i, ch in enumerate(tree):
        if ch == "{" and depth == 0:
            cut = i
            break
    if cut is None:
        path = re.sub(r"\s+as\s+\w+$", "", tree).replace(" ", "")
        return [path.split("::")] if path else []
    prefix = tree[:cut].rstrip(":").replace(" ", "")
    inner = tree[cut + 1 : tree.rfind("}")]
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    out = []
    for p in parts:
        for sub in expand(p):
            if sub == ["self"]:
                out.append(prefix.split("::"))
            else:
                out.append(prefix.split("::") + sub)
    return out


def crate_graph(src, roots):
    mods = module_files(src)
    edges = {}
    for key, path in mods.items():
        here = () if key == ("<main>",) else key
        text = strip_comments_and_strings(open(path, encoding="utf-8").read())
        # Unit tests sit at the end of a file in `#[cfg(test)] mod tests`;
        # what they import is not the module's dependency.
        text = re.split(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)[0]
        children = set(re.findall(rf"\bmod\s+({IDENT})\s*;", text))
        # `use crate::routes;` names a module: paths through the name count,
        # the bare import does not.
        aliases = {}
        for m in re.finditer(r"\buse\s+([^;]+);", text):
            for segs in expand(m.group(1).replace("\n", " ")):
                if segs and segs[0] == "crate" and tuple(segs[1:]) in mods:
                    aliases[segs[-1]] = tuple(segs[1:])
        deps = set()
        for segs in use_paths(text):
            if segs[0] == "crate" and tuple(segs[1:]) in mods and segs[-1] in aliases:
                continue
            if segs[0] in aliases and segs[0] not in children:
                segs = ["crate", *aliases[segs[0]], *segs[1:]]
            if segs[0] == "crate":
                base, rest = (), segs[1:]
            elif segs[0] == "super":
                base, rest = here, segs
                while rest and rest[0] == "super":
                    base, rest = base[:-1], rest[1:]
            elif segs[0] == "self":
                base, rest = here, segs[1:]
            elif segs[0] in children:
                base, rest = here, segs
            else:
                continue
            target = base
            for s in rest:
                if base + (s,) in mods or (target + (s,)) in mods:
                    target = target + (s,)
                else:
                    break
            if target in mods and target != here and target != key:
                deps.add(target)
        edges[key] = deps
    return mods, edges


def sccs(edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    for v in list(edges):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


def main():
    show = "--graph" in sys.argv
    bad = 0
    for name, src, roots in CRATES:
        mods, edges = crate_graph(os.path.join(ROOT, src), roots)
        rel = lambda k: os.path.relpath(mods[k], ROOT)
        for k, path in sorted(mods.items()):
            n = sum(1 for _ in open(path, encoding="utf-8"))
            # Unit tests moved out of a module into its `tests.rs` may be longer.
            if n > MAX_LINES and not path.endswith(os.sep + "tests.rs"):
                print(f"too long: {rel(k)} has {n} lines (at most {MAX_LINES})")
                bad += 1
        for comp in sccs(edges):
            files = sorted(rel(k) for k in comp)
            print(f"import circle in {name}: " + " <-> ".join(files))
            for k in sorted(comp):
                inside = sorted(rel(d) for d in edges[k] if d in comp)
                print(f"    {rel(k)} uses {', '.join(inside)}")
            bad += 1
        if show:
            for k in sorted(edges):
                for d in sorted(edges[k]):
                    print(f"{name}: {rel(k)} -> {rel(d)}")
    if bad:
        print(f"house-check: {bad} breach(es); see docs/architecture.md (the map)")
        sys.exit(1)
    print("house-check: no file over 400 lines, no import circle")


if __name__ == "__main__":
    main()
