#!/usr/bin/env python3
"""The trainer splits words as the scanner does (host/src/scan/voice_score.cc; the same
sentence is in tests/unit/voice_model_test.cc), and training is deterministic."""
import importlib.util
import json
import pathlib
import tempfile
import unittest

TRAINER = pathlib.Path(__file__).resolve().parents[2] / 'rules' / 'tools' / 'train_voice_model.py'
spec = importlib.util.spec_from_file_location('train_voice_model', TRAINER)
trainer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(trainer)


class Words(unittest.TestCase):
    def test_as_the_scanner_splits_them(self):
        self.assertEqual(trainer.words("My MOM, the patient's 2nd visit 2024"),
                         ['my', 'mom', 'the', "patient's", '0', 'nd', 'visit', '0'])

    def test_accents_and_curly_apostrophes_fold_like_the_normaliser(self):
        self.assertEqual(trainer.words('Señora Núñez’s café'), ['senora', "nunez's", 'cafe'])

    def test_other_scripts_separate_words(self):
        self.assertEqual(trainer.words('pt пациент bed'), ['pt', 'bed'])

    def test_pairs_cross_punctuation(self):
        self.assertEqual(trainer.features('proud. Our team')['proud our'], 1)


class Training(unittest.TestCase):
    def test_is_deterministic_and_learns_the_direction(self):
        records = [{'text': 'my patient in bed 4', 'phi': True},
                   {'text': 'so proud of our team', 'phi': False}] * 20
        first = trainer.train(records)
        self.assertEqual(first, trainer.train(records))
        weights, _ = first
        self.assertGreater(weights['patient'], 0)
        self.assertLess(weights['proud'], 0)


class WriteModel(unittest.TestCase):
    def test_writes_the_threshold_it_is_given(self):
        # Cross-validation compares thresholds by writing each into a copy of the packs.
        with tempfile.TemporaryDirectory() as tmp:
            packs = pathlib.Path(tmp)
            (packs / 'lists').mkdir()
            (packs / trainer.PACK.name).write_text('{"pack": "p", "rules": []}', encoding='utf-8')
            trainer.write_model(packs, {'proud': -1.5}, -0.5, 0.25)
            model = json.loads((packs / trainer.PACK.name).read_text(encoding='utf-8'))['voice_model']
            self.assertEqual((model['bias'], model['threshold']), (-0.5, 0.25))
            self.assertIn('proud\t-1.5', (packs / trainer.WEIGHTS).read_text(encoding='utf-8'))
            trainer.write_model(packs, {'proud': -1.5}, -0.5)
            model = json.loads((packs / trainer.PACK.name).read_text(encoding='utf-8'))['voice_model']
            self.assertEqual(model['threshold'], trainer.THRESHOLD)
            self.assertEqual(model['raise_threshold'], trainer.RAISE)

    def test_a_raise_threshold_of_zero_leaves_the_model_lowering_only(self):
        with tempfile.TemporaryDirectory() as tmp:
            packs = pathlib.Path(tmp)
            (packs / 'lists').mkdir()
            (packs / trainer.PACK.name).write_text('{"pack": "p", "rules": []}', encoding='utf-8')
            trainer.write_model(packs, {'weaned': 2.0}, -0.5, 0.1, 0.97)
            model = json.loads((packs / trainer.PACK.name).read_text(encoding='utf-8'))['voice_model']
            self.assertEqual(model['raise_threshold'], 0.97)
            trainer.write_model(packs, {'weaned': 2.0}, -0.5, 0.1, 0)
            model = json.loads((packs / trainer.PACK.name).read_text(encoding='utf-8'))['voice_model']
            self.assertNotIn('raise_threshold', model)


if __name__ == '__main__':
    unittest.main()
