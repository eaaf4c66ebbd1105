#!/usr/bin/env python3
"""Fails when a host source file includes a layer above its own.

The layers and what each may use are stated once, in host/CMakeLists.txt, which links the
per-layer libraries from that table and writes it to build/<preset>/host/layers.txt as
"layer: dep dep ...". A file in host/src/<layer>/ may include its own layer and any layer
its layer reaches through the table; every folder of host/src must be in the table.

Usage: check_layers.py LAYERS_TXT HOST_SRC      (CTest lint.layers)
       check_layers.py --self-test               (proves the check catches an upward include)
"""
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/', re.MULTILINE)


def read_table(path):
    table = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if line.strip():
            layer, _, deps = line.partition(':')
            table[layer.strip()] = deps.split()
    return table


def reach(table, layer, seen=None):
    """Every layer `layer` may use: its own dependencies and theirs."""
    seen = set() if seen is None else seen
    for dep in table.get(layer, []):
        if dep not in seen:
            seen.add(dep)
            reach(table, dep, seen)
    return seen


def problems(table, src):
    found = []
    src = pathlib.Path(src)
    for folder in sorted(p for p in src.iterdir() if p.is_dir()):
        layer = folder.name
        if layer not in table:
            found.append(f'{folder}: not a layer in host/CMakeLists.txt (add it to PHIGUARD_LAYERS)')
            continue
        allowed = reach(table, layer) | {layer}
        for source in sorted(folder.glob('*.[ch]*')):
            for match in INCLUDE.finditer(source.read_text(errors='replace')):
                used = match.group(1)
                if used in table and used not in allowed:
                    line = source.read_text(errors='replace').count('\n', 0, match.start()) + 1
                    found.append(f'{source}:{line}: layer {layer} includes {used}, '
                                 f'which is not below it')
    return found


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / 'layers.txt').write_text('util: \nscan: util\n')
        (root / 'src' / 'util').mkdir(parents=True)
        (root / 'src' / 'scan').mkdir()
        (root / 'src' / 'scan' / 'a.cc').write_text('#include "util/x.h"\n#include "scan/a.h"\n')
        table = read_table(root / 'layers.txt')
        assert problems(table, root / 'src') == [], 'a downward include was reported'
        (root / 'src' / 'util' / 'b.cc').write_text('// upward\n#include "scan/a.h"\n')
        upward = problems(table, root / 'src')
        assert len(upward) == 1 and 'b.cc:2: layer util includes scan' in upward[0], upward
        (root / 'src' / 'extra').mkdir()
        assert any('extra: not a layer' in p for p in problems(table, root / 'src'))
    print('self-test passed')
    return 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    table = read_table(argv[1])
    found = problems(table, argv[2])
    for problem in found:
        print(problem)
    print(f'{len(table)} layers checked: {"no upward includes" if not found else f"{len(found)} problem(s)"}')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
