"""Report blocks → the HTML that sits inside a detail page's content container.

Three styles, like real pages: clean editor HTML (word=0), a Word paste with MsoNormal
paragraphs, `<o:p>` and `&nbsp;` padding (word=1), and a messier paste whose table labels are
split into one span per character or one `<p>` per line (word=2).
"""

from __future__ import annotations

from html import escape

from .document import Block, TCell, build
from .reports import ReportSpec

_SPAN = '<span style="font-family:仿宋_GB2312;font-size:16.0pt">'
_SPLIT_WORDS = {"商业企业": ("商业", "企业"), "科研机构": ("科研", "机构"),
                "社会公益组织": ("社会公益", "组织"), "法律服务机构": ("法律服务", "机构"),
                "法人或其他组织": ("法人或其他", "组织")}


def _para(text: str, word: int, style: str = "text-indent:2em") -> str:
    t = escape(text)
    if word == 0:
        return f'<p style="{style}">{t}</p>'
    return (f'<p class="MsoNormal" style="{style};line-height:28.0pt">{_SPAN}{t}</span>'
            f"<o:p></o:p></p>")


def _cell_text(text: str, word: int, header: bool) -> str:
    if word == 0:
        return escape(text) if text else ""
    if not text:
        return '<p class="MsoNormal" align="center"><span>&nbsp;<o:p></o:p></span></p>'
    if word == 2 and header and text in _SPLIT_WORDS:
        return "".join(f'<p class="MsoNormal" align="center"><span>{p}</span></p>'
                       for p in _SPLIT_WORDS[text])
    if word == 2 and (text.startswith("三、") or text.startswith("（三）") or text in
                      ("结果维持", "结果纠正", "其他结果", "尚未审结")):
        inner = "".join(f"<span>{escape(ch)}</span>" for ch in text)
        return f'<p class="MsoNormal" align="center">{inner}</p>'
    pad = "&nbsp;" if text[:1].isdigit() or text in ("/", "—") else ""
    if word == 1:
        return f'<p class="MsoNormal" align="center">{pad}{escape(text)}{pad}<o:p></o:p></p>'
    return (f'<p class="MsoNormal" align="center"><span style="font-size:10.5pt">{pad}'
            f"{escape(text)}{pad}<o:p></o:p></span></p>")


def _table(rows: list[list[TCell]], word: int) -> str:
    attrs = ('border="1" cellspacing="0" cellpadding="0" width="100%"' if word == 0 else
             'class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
             'style="border-collapse:collapse;border:none"')
    out = [f"<table {attrs}><tbody>"]
    for row in rows:
        out.append("<tr>")
        for text, rs, cs, head in row:
            span = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            style = ' style="border:solid 1pt"' if word == 2 else ""
            out.append(f'<td{span}{style} valign="middle">{_cell_text(text, word, head)}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def blocks_html(blocks: list[Block], word: int) -> str:
    out: list[str] = []
    for kind, payload in blocks:
        if kind == "title":
            out.append(_para(payload, word, "text-align:center;font-weight:bold"))
        elif kind == "h":
            out.append(_para(payload, word, "text-indent:2em;font-weight:bold")
                       if word else f"<p><strong>{escape(payload)}</strong></p>")
        elif kind == "sub":
            out.append(_para(payload, word, "text-indent:2em;font-family:楷体"))
        elif kind == "p":
            out.append(_para(payload, word))
        elif kind == "table":
            out.append(_table(payload, word))
        elif kind == "sign":
            for line in payload:
                out.append(_para(line, word, "text-align:right"))
    html = "\n".join(out)
    if word:
        html = "<!--StartFragment-->" + html + "\n<!--EndFragment-->"
    return html


def report_html(spec: ReportSpec) -> str:
    return blocks_html(build(spec), spec.word)


def report_text(spec: ReportSpec) -> str:
    """Plain text of a report (used to make spam-mirror copies and for checks)."""
    lines: list[str] = []
    for kind, payload in build(spec):
        if kind == "table":
            lines += ["\t".join(c[0] for c in row) for row in payload]
        elif kind == "sign":
            lines += list(payload)
        else:
            lines.append(payload)
    return "\n".join(lines)
