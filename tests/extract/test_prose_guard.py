"""prose_figures skips sentences without any of `_MAY_STATE`'s words: such a sentence states no
figure, checked per pattern on sentences made to match it and on the gold texts."""

import re
from pathlib import Path

from extract.prose import _JOINT, _MAY_STATE, _SENTENCE, PATTERNS, _candidates

GOLDS = Path(__file__).resolve().parents[2] / "benchmarks" / "golds"
# One sentence each pattern matches (in PATTERNS order).
MATCHING = ["主动公开政府信息120条", "公开政府信息1236条", "全年共收到政府信息公开申请35件",
            "收到15件信息公开申请", "依申请公开情况：无", "行政复议：无", "行政诉讼：0件",
            "本年度未收到政府信息公开申请",
            "予以公开12件", "无予以公开", "部分公开3件", "没有部分公开", "没有不予公开",
            "不予公开2件", "行政复议1件", "共1件行政复议", "未发生行政复议", "行政诉讼2件",
            "未发生行政诉讼", "依申请公开收取费用30元", "政府信息公开收费情况：无",
            "政府信息公开未收取任何费用"]


def test_every_pattern_needs_a_guard_word():
    for (_key, pattern, _), sentence in zip(PATTERNS, MATCHING, strict=True):
        match = re.search(pattern, sentence)
        assert match, pattern
        assert _MAY_STATE.search(match.group(0)), pattern
    assert _MAY_STATE.search(_JOINT.pattern)


def test_unguarded_sentences_state_nothing():
    for gold in sorted(GOLDS.glob("*.txt")):
        for sentence in _SENTENCE.findall(gold.read_text("utf-8")):
            if not _MAY_STATE.search(sentence):
                assert _candidates(sentence.strip()) == []
