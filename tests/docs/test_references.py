#!/usr/bin/env python3
"""Fails when a comment in host/src or extension/src names a test that does not exist.

Comments like "tests/unit/limits_test.cc holds the host to them" or "see
RequestHandler.TextOverTheLimitIsTooLarge" are promises to a reader; a renamed or never
written test turns them into wrong directions. Checked here:

  - paths under tests/ (globs allowed): the file or folder must exist;
  - bare test file names (foo_test.cc, foo.test.mjs, foo_test.py): some file under tests/
    must have that name;
  - GoogleTest names Suite.Name in a comment: a TEST/TEST_F/TEST_P(Suite, Name) must exist
    under tests/.

Usage: test_references.py [REPO_ROOT]   (default: two folders up from this file)
"""

import glob
import os
import re
import sys

SOURCE_DIRS = ('host/src', 'extension/src')
SOURCE_EXTS = ('.h', '.cc', '.js', '.mjs')

TEST_PATH = re.compile(r'\btests/[A-Za-z0-9_./*-]*[A-Za-z0-9_*]')
TEST_FILE = re.compile(r'(?<![/\w.-])([A-Za-z0-9_-]+(?:_test\.(?:cc|py)|\.test\.mjs))\b')
# Suite.Name, both CamelCase with a lower-case letter: not SECURITY.md or std::x.y.
GTEST_NAME = re.compile(r'(?<![\w:.])([A-Z][a-z][A-Za-z0-9]*)\.([A-Z][a-z][A-Za-z0-9]*)\b(?!\()')
GTEST_DEF = re.compile(r'\bTEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)')
# Comment text: // to end of line, or a line inside /* */ starting with *.
LINE_COMMENT = re.compile(r'(?:^|\s)//(.*)$')
BLOCK_LINE = re.compile(r'^\s*(?:/\*+|\*)(.*)$')


def comments(path):
    """Yields (line number, comment text) of a source file."""
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            match = LINE_COMMENT.search(line) or BLOCK_LINE.match(line)
            if match:
                yield number, match.group(1)


def defined_tests(root):
    names = set()
    for path in glob.glob(os.path.join(root, 'tests', '**', '*.cc'), recursive=True):
        with open(path, encoding='utf-8', errors='replace') as f:
            names.update(GTEST_DEF.findall(f.read()))
    return names


def test_file_names(root):
    names = set()
    for _, _, files in os.walk(os.path.join(root, 'tests')):
        names.update(files)
    return names


def problems_in(path, root, tests, files):
    relative = os.path.relpath(path, root)
    for number, text in comments(path):
        where = f'{relative}:{number}'
        for ref in TEST_PATH.findall(text):
            ref = ref.rstrip('.')
            if not glob.glob(os.path.join(root, ref)):
                yield f'{where}: names {ref}, which does not exist'
        for name in TEST_FILE.findall(text):
            if name not in files:
                yield f'{where}: names test file {name}, which is nowhere under tests/'
        for suite, name in GTEST_NAME.findall(text):
            if (suite, name) not in tests:
                yield f'{where}: names test {suite}.{name}, which no TEST() under tests/ defines'


def check(root):
    tests = defined_tests(root)
    files = test_file_names(root)
    problems = []
    for folder in SOURCE_DIRS:
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if name.endswith(SOURCE_EXTS):
                    problems.extend(problems_in(os.path.join(dirpath, name), root, tests, files))
    return problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(here))
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f'{len(problems)} reference(s) to tests that do not exist')
        return 1
    print('every test named in host/src and extension/src exists')
    return 0


if __name__ == '__main__':
    sys.exit(main())
