"""Property tests (hypothesis): mutated WARCs — truncated, bytes flipped, gzip members dropped
or duplicated — never make the reader or replay's index raise or loop, and every gzip member
left intact is read (issue 11)."""

from __future__ import annotations

import gzip
import os
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.reader import iter_records, iter_responses
from archive.records import request_record, response_record
from archive.verify import gzip_members
from archive.warcfile import WarcFile
from crawler.replay import ArchiveIndex

N_EXCHANGES = 5
PROPERTY = settings(max_examples=int(os.environ.get("NIANBAO_HYPOTHESIS_EXAMPLES", 150)), deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@cache
def base_warc() -> tuple[bytes, tuple[tuple[int, int, str, str], ...]]:
    """A small WARC of ours: its bytes and (offset, length, record id, header) of each member."""
    with tempfile.TemporaryDirectory() as tmp:
        warc = WarcFile(tmp, info={"software": "nianbao/test"})
        for i in range(N_EXCHANGES):
            url = f"http://e.gov.cn/{i}.html"
            body = gzip.compress(f"<p>2023年度报告 {i}</p>".encode() * (20 + 30 * i))
            resp = response_record(warc.builder, url, 200, [("Content-Type", "text/html"),
                                                             ("Content-Encoding", "gzip")], body)
            req = request_record(warc.builder, url, "GET", [], b"",
                                 concurrent_to=resp.rec_headers.get_header("WARC-Record-ID"))
            warc.write([resp, req])
        warc.close()
        (path,) = Path(tmp).glob("*.warc.gz")
        raw = path.read_bytes()
        members = []
        for m in gzip_members(path, print):
            head = gzip.decompress(raw[m.offset:m.offset + m.length])
            fields = dict(line.decode().split(": ", 1) for line in head.split(b"\r\n\r\n")[0].split(b"\r\n")[1:])
            members.append((m.offset, m.length, fields["WARC-Record-ID"], fields))
        return raw, tuple(members)


@st.composite
def mutated(draw):
    """(bytes, ids of the members left intact) after drops, duplicates, flips and a cut."""
    raw, members = base_warc()
    order = list(range(len(members)))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.sampled_from(order))
        if draw(st.booleans()):
            order.remove(i) if len(order) > 1 else None
        else:
            order.insert(order.index(i), i)
    parts = [bytearray(raw[members[i][0]:members[i][0] + members[i][1]]) for i in order]
    damaged = set()
    for _ in range(draw(st.integers(0, 4))):
        k = draw(st.integers(0, len(parts) - 1))
        pos = draw(st.integers(0, len(parts[k]) - 1))
        parts[k][pos] ^= draw(st.integers(1, 255))
        damaged.add(k)
    data = b"".join(parts)
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    intact, offset = set(), 0
    for k, part in enumerate(parts):
        offset += len(part)
        if k not in damaged and (cut is None or offset <= cut):
            intact.add(members[order[k]][2])
    return data if cut is None else data[:cut], intact


def read_all(path: Path) -> tuple[set[str], int]:
    problems, ids, steps = [], set(), 0
    for record, _offset, length in iter_records(path, problems.append):
        ids.add(record.rec_headers.get_header("WARC-Record-ID"))
        try:
            length()
        except Exception:
            pass  # a damaged body; the reader resyncs past it
        steps += 1
        assert steps < 10 * (N_EXCHANGES * 2 + 1) * 2, "the reader is looping"
    return ids, len(problems)


@PROPERTY
@given(mutated())
def test_reader_yields_every_intact_member(case):
    data, intact = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.warc.gz"
        path.write_bytes(data)
        ids, _problems = read_all(path)
        assert intact <= ids
        responses = list(iter_responses([path], on_problem=lambda p: None))
        assert len(responses) <= len(data)  # it ends


@PROPERTY
@given(mutated())
def test_replay_index_keeps_every_intact_response(case):
    data, intact = case
    _raw, members = base_warc()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "x.warc.gz").write_bytes(data)
        index = ArchiveIndex.build(tmp)
        urls = {fields["WARC-Target-URI"] for _o, _n, record_id, fields in members
                if record_id in intact and fields["WARC-Type"] == "response"}
        assert urls <= {key.split(" ")[1] for key in index.by_request}


@PROPERTY
@given(st.data())
def test_plain_warc_mutations_never_raise(data):
    raw, _ = base_warc()
    plain = bytearray(gzip.decompress(raw))
    for _ in range(data.draw(st.integers(0, 4))):
        plain[data.draw(st.integers(0, len(plain) - 1))] ^= data.draw(st.integers(1, 255))
    cut = data.draw(st.integers(0, len(plain)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.warc"
        path.write_bytes(bytes(plain[:cut]))
        read_all(path)
        ArchiveIndex.build(tmp)


def test_unmutated_plain_warc_reads_whole():
    raw, members = base_warc()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.warc"
        path.write_bytes(gzip.decompress(raw))
        ids, problems = read_all(path)
        assert ids == {m[2] for m in members} and problems == 0
