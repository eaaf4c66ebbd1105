#!/usr/bin/env python3
"""Tables for run_eval.py's scoring: UTF-16 offsets, negative categories, Presidio spans and
thresholds. No phiguard and no eval data needed."""
import argparse
import contextlib
import io
import json
import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import run_eval  # noqa: E402


def finding(category, start, end):
    return {'category': category, 'start': start, 'end': end}


class QuoteSpans(unittest.TestCase):
    CASES = [
        # text, quote, UTF-16 spans
        ('MRN 123', '123', [(4, 7)]),
        ('a 123 b 123', '123', [(2, 5), (8, 11)]),
        ('caf\u00e9 123', '123', [(5, 8)]),            # one code unit for U+00E9
        ('\U0001F4F8 123', '123', [(3, 6)]),           # two code units for an emoji
        ('\U0001F4F8\U0001F4F8 \U0001F382 9', '9', [(8, 9)]),
        ('none here', '123', []),
    ]

    def test_table(self):
        for text, quote, spans in self.CASES:
            with self.subTest(text=text):
                self.assertEqual(run_eval.quote_spans(text, quote), spans)


class Covered(unittest.TestCase):
    CASES = [
        # findings, category, span, covered
        ([finding('mrn', 4, 7)], 'mrn', (4, 7), True),
        ([finding('mrn', 0, 5)], 'mrn', (4, 7), True),       # overlap is enough
        ([finding('mrn', 0, 4)], 'mrn', (4, 7), False),      # end is exclusive
        ([finding('account', 4, 7)], 'mrn', (4, 7), False),  # category must match
        ([], 'mrn', (4, 7), False),
    ]

    def test_table(self):
        for findings, category, span, expected in self.CASES:
            with self.subTest(findings=findings, span=span):
                self.assertEqual(run_eval.covered(findings, category, span), expected)


class NegativeCategories(unittest.TestCase):
    def test_negatives_take_the_category_of_the_positives_before_them(self):
        records = [
            {'id': 'n0', 'phi': False, 'expect': []},  # before any positive: no category
            {'id': 'p1', 'phi': True, 'expect': [{'category': 'ssn', 'quote': 'x'}]},
            {'id': 'n1', 'phi': False, 'expect': []},
            {'id': 'n2', 'phi': False, 'expect': []},
            {'id': 'p2', 'phi': True, 'expect': [{'category': 'phone', 'quote': 'x'}]},
            {'id': 'n3', 'phi': False, 'expect': []},
        ]
        self.assertEqual(run_eval.negative_categories(records),
                         {'n1': 'ssn', 'n2': 'ssn', 'n3': 'phone'})


class PresidioAgrees(unittest.TestCase):
    CASES = [
        # text, expected code-point spans, findings (UTF-16), agrees
        ('SSN 219-44-7816', [[4, 15]], [finding('ssn', 4, 15)], True),
        ('SSN 219-44-7816', [[4, 15]], [finding('phone', 4, 15)], False),
        ('SSN 219-44-7816', [], [finding('ssn', 4, 15)], False),
        ('SSN 219-44-7816', [], [finding('phone', 4, 15)], True),
        # After an emoji, code points and UTF-16 units differ by one.
        ('\U0001F4F8 078-05-1123', [[2, 13]], [finding('ssn', 3, 14)], True),
        ('\U0001F4F8 078-05-1123', [[2, 13]], [finding('ssn', 0, 2)], False),
        # Every expected span must be covered.
        ('a 1 b 2', [[2, 3], [6, 7]], [finding('ssn', 2, 3)], False),
    ]

    def test_table(self):
        for text, expected, findings, agrees in self.CASES:
            with self.subTest(text=text, expected=expected, findings=findings):
                case = {'entity': 'US_SSN', 'text': text, 'expected': expected}
                self.assertEqual(run_eval.presidio_agrees(case, findings), agrees)


class Thresholds(unittest.TestCase):
    REPORT = {'posts': {'dev': {'post_recall': 0.8, 'false_alarms': 0.04}},
              'identifiers': {'recall': 0.95, 'negatives_flagged': 0.02},
              'presidio': {'agreement': 0.9}}

    def check(self, report=None, **limits):
        args = argparse.Namespace(**{flag: None for flag, *_ in run_eval.THRESHOLDS})
        for key, value in limits.items():
            setattr(args, key, value)
        return run_eval.check_thresholds(args, report or self.REPORT)

    def test_none_given_checks_nothing(self):
        self.assertEqual(self.check(), (0, []))

    def test_equal_values_pass(self):
        checked, failed = self.check(min_post_recall=0.8, max_false_alarms=0.04,
                                     min_presidio=0.9)
        self.assertEqual((checked, failed), (3, []))

    def test_worse_values_fail_in_either_direction(self):
        checked, failed = self.check(min_identifier_recall=0.96, max_identifier_negatives=0.01)
        self.assertEqual(checked, 2)
        self.assertEqual(len(failed), 2)

    def test_post_thresholds_hold_for_each_posts_set_and_name_it(self):
        report = {'posts': {'dev': {'post_recall': 0.9, 'false_alarms': 0.0},
                            'shared posts': {'post_recall': 0.7, 'false_alarms': 0.0}}}
        checked, failed = self.check(report, min_post_recall=0.8)
        self.assertEqual(checked, 2)
        self.assertEqual(len(failed), 1)
        self.assertTrue(failed[0].startswith('shared posts: post recall'))

    def test_the_blind_split_is_reported_but_never_held_to_a_threshold(self):
        report = {'posts': {'dev': {'post_recall': 0.9, 'false_alarms': 0.0},
                            'blind posts-2.jsonl': {'post_recall': 0.1, 'false_alarms': 0.9}}}
        self.assertEqual(self.check(report, min_post_recall=0.8, max_false_alarms=0.01), (2, []))

    def test_sets_that_were_not_measured_are_not_checked(self):
        report = {'posts': {'dev': {'post_recall': 0.9, 'false_alarms': 0.0}}}
        self.assertEqual(self.check(report, min_presidio=0.99, min_identifier_recall=0.99), (0, []))


class PostsSets(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.folder.name)

    def tearDown(self):
        self.folder.cleanup()

    def write(self, name, records):
        path = self.dir / name
        path.write_text(''.join(json.dumps(r) + '\n' for r in records))
        return path

    def test_one_file_keeps_its_ids(self):
        a = self.write('a.jsonl', [{'id': 'd1', 'text': 'x'}])
        self.assertEqual([r['id'] for r in run_eval.load_posts([a])], ['d1'])

    def test_several_files_with_distinct_ids_keep_them(self):
        a = self.write('posts-a.jsonl', [{'id': 't1', 'text': 'x'}])
        b = self.write('posts-b.jsonl', [{'id': 'b1', 'text': 'y'}])
        self.assertEqual([r['id'] for r in run_eval.load_posts([a, b])], ['t1', 'b1'])

    def test_several_files_sharing_an_id_qualify_every_id_by_file(self):
        a = self.write('posts-a.jsonl', [{'id': 'd1', 'text': 'x'}])
        b = self.write('posts-b.jsonl', [{'id': 'd1', 'text': 'y'}, {'id': 'd2', 'text': 'z'}])
        self.assertEqual([r['id'] for r in run_eval.load_posts([a, b])],
                         ['posts-a:d1', 'posts-b:d1', 'posts-b:d2'])

    def test_a_repeated_id_within_a_set_is_an_error(self):
        a = self.write('a.jsonl', [{'id': 'd1', 'text': 'x'}, {'id': 'd1', 'text': 'y'}])
        with self.assertRaises(run_eval.EvalError):
            run_eval.load_posts([a])

    def test_absent_files_are_missing_data(self):
        with self.assertRaises(run_eval.MissingData):
            run_eval.load_posts([self.dir / 'absent.jsonl'])
        with self.assertRaises(run_eval.MissingData):
            run_eval.load_posts([])

    def sets(self, *argv):
        return [(name, [str(f) for f in files])
                for name, files in run_eval.posts_sets(run_eval.parse_args(list(argv)))]

    def test_files_given_are_the_dev_set_and_blind_and_shared_follow_it(self):
        blind = sorted(run_eval.BLIND_DIR.glob('*.jsonl'))
        self.assertEqual(self.sets('--posts', 'p.jsonl', '--blind', '--shared', 'S'),
                         [('dev', ['p.jsonl'])] +
                         [(f'blind {f.name}', [str(f)]) for f in blind] +
                         [('shared posts', [str(pathlib.Path('S/posts/posts.jsonl'))])])

    def test_a_blind_file_given_as_posts_is_still_a_blind_set(self):
        f = run_eval.BLIND_DIR / 'posts-2.jsonl'
        self.assertEqual(self.sets('--posts', str(f)), [('blind posts-2.jsonl', [str(f)])])
        report = {'posts': {'blind posts-2.jsonl': {'missed_quotes': [('v1', 'name')],
                                                    'missed_posts': ['v1'],
                                                    'false_alarm_posts': []}}}
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            run_eval.print_misses(report, {})
        self.assertNotIn('v1', out.getvalue())

    def test_posts_without_files_measures_the_shared_set_alone(self):
        self.assertEqual(self.sets('--posts', '--shared', 'S'),
                         [('shared posts', [str(pathlib.Path('S/posts/posts.jsonl'))])])

    def test_by_default_only_the_dev_corpus_is_measured(self):
        if not any(run_eval.DEV_POSTS.glob('*.jsonl')):
            with self.assertRaises(run_eval.MissingData):
                self.sets()
            return
        self.assertEqual([name for name, _ in self.sets()], ['dev'])

    def test_missing_shared_data_skips_with_a_message_when_asked(self):
        absent = str(self.dir / 'no-such-eval')
        argv = ['--phiguard', sys.executable, '--posts', '--shared', absent]
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(run_eval.main(argv + ['--skip-if-missing']), run_eval.EXIT_SKIPPED)
        self.assertIn('skipped', out.getvalue())
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(run_eval.main(argv), 2)


if __name__ == '__main__':
    unittest.main()
