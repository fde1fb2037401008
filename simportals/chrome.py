"""Page chrome shared by the portal templates: meta tags, header, breadcrumb, info bar,
metadata table, share/print widgets, previous/next, related links and footer — everything an
extractor must strip (ogi-format §3.5/§3.6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass
class Detail:
    """What a detail template needs; built by the testbed from a report spec or a news item."""

    title: str
    pubdate: str  # YYYY-MM-DD HH:MM
    source: str  # 来源 in the info bar (may differ from the issuer on re-posts)
    agency: str  # 发布机构 in the metadata table
    index_no: str
    doc_no: str | None
    written: str | None  # 成文日期 YYYY-MM-DD
    body_html: str
    url: str  # the page's own path
    prev: tuple[str, str] | None = None  # (title, href)
    next: tuple[str, str] | None = None
    related: list[tuple[str, str]] = field(default_factory=list)
    meta: bool = True  # emit the 政府网站发展指引 meta tags
    print_copy: bool = False  # hidden print copy repeating metadata + article
    article_id: int = 0


def meta_tags(site: str, domain: str, site_id: str, column: str, d: Detail | None) -> str:
    tags = [("SiteName", site), ("SiteDomain", domain), ("SiteIDCode", site_id),
            ("ColumnName", column), ("ColumnType", "政府信息公开")]
    if d is not None:
        tags += [("ArticleTitle", d.title), ("PubDate", d.pubdate), ("ContentSource", d.source),
                 ("Keywords", "政府信息公开,年度报告"), ("Description", d.title)]
    return "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in tags)


# A CMS that stamps one line into the body container of every article of a portal: chrome that
# no single page gives away, only the portal's other pages (issue 12, template lines). Never
# report text; the ground truth (report_text) does not hold it.
BODY_STAMPS = {"beilun": "（本栏目信息由北仑区政务公开办统一维护）"}


def body_stamp(portal: str) -> str:
    """The stamp line the portal's CMS appends to every article body, as a block, or ''."""
    stamp = BODY_STAMPS.get(portal)
    return f'\n<p style="text-align:right">{escape(stamp)}</p>' if stamp else ""


NAV = ("首页", "政务公开", "政府信息公开", "政务服务", "互动交流", "走进{short}", "专题专栏")


def header(site: str, short: str, style: str) -> str:
    links = "".join(f'<li><a href="/{"" if i == 0 else f"col{i}/"}">{n.format(short=short)}</a></li>'
                    for i, n in enumerate(NAV))
    return f"""<div class="{style}-top">
<div class="top-bar"><span class="date" id="today"></span>
<a href="/wza/">无障碍</a> | <a href="/zzb/">长者版</a> | <a href="javascript:void(0)" id="st_gb">繁體版</a> |
<a href="/english/">ENGLISH</a> | <a href="/wzdt/">网站地图</a> | <a href="/search/?searchword=%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A">年报检索</a></div>
<div class="logo"><a href="/"><img src="/images/logo.png" alt="{escape(site)}"></a></div>
<form class="search" action="/search/" method="get"><input type="text" name="searchword" placeholder="请输入关键字">
<button type="submit">搜索</button></form>
<ul class="nav">{links}</ul>
</div>"""


def breadcrumb(trail: list[tuple[str, str]], style: int) -> str:
    label = ("当前位置：", "您当前所在位置：", "您现在的位置是：")[style % 3]
    sep = ("&gt;", "&gt;&gt;", "&nbsp;&gt;&nbsp;")[style % 3]
    parts = [f'<a href="{h}" class="CurrChnlCls">{escape(t)}</a>' for t, h in trail]
    return f'<div class="position">{label}{sep.join(parts)}</div>'


def info_bar(d: Detail, style: int) -> str:
    count = ('<script language="javascript">document.write(Math.floor(Math.random()*900+100));'
             "</script>")
    zoom = ('字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(14)">小</a>')
    if style == 0:
        return (f'<div class="info"><span>发布时间：{d.pubdate}</span><span>来源：{escape(d.source)}'
                f"</span><span>浏览次数：{count}</span><span>{zoom}</span></div>")
    return (f'<table class="info" width="90%"><tr><td>发布日期：{d.pubdate[:10]}</td>'
            f"<td>来源：{escape(d.source)}</td><td>浏览次数：{count}</td><td>字体：[ {zoom[3:]} ]"
            "</td></tr></table>")


def meta_table(d: Detail, style: int) -> str:
    doc = escape(d.doc_no or "")
    written = d.written or ""
    if style == 0:
        return f"""<table class="xxgk_table" width="100%" border="1" cellspacing="0">
<tr><td class="hd">索引号：</td><td>{d.index_no}</td><td class="hd">发布机构：</td><td>{escape(d.agency)}</td></tr>
<tr><td class="hd">成文日期：</td><td>{written}</td><td class="hd">发布日期：</td><td>{d.pubdate[:10]}</td></tr>
<tr><td class="hd">文号：</td><td>{doc}</td><td class="hd">主题分类：</td><td>综合政务</td></tr>
<tr><td class="hd">名称：</td><td colspan="3">{escape(d.title)}</td></tr></table>"""
    if style == 1:
        return f"""<table border="1" width="100%" cellpadding="0" cellspacing="0" class="xxgk">
<tr><td>索引号: {d.index_no}</td><td>文件编号: {doc}</td><td>发布机构: {escape(d.agency)}</td></tr>
<tr><td>生成日期: {written}</td><td>主题分类: 政务公开</td><td>公开方式: 主动公开</td></tr></table>"""
    return f"""<div class="openness-meta"><ul>
<li><span>索 引 号：</span>{d.index_no}</li><li><span>组配分类：</span>政府信息公开年报</li>
<li><span>发布机构：</span>{escape(d.agency)}</li><li><span>主题分类：</span>综合政务</li>
<li><span>名　　称：</span>{escape(d.title)}</li><li><span>文　　号：</span>{doc}</li>
<li><span>生成日期：</span>{written}</li><li><span>发布日期：</span>{d.pubdate[:10]}</li>
</ul></div>"""


def share_tools() -> str:
    return """<div class="share-tools"><div class="bdsharebuttonbox"><span>分享到：</span>
<a href="#" class="bds_weixin" title="分享到微信">微信</a><a href="#" class="bds_tsina" title="分享到新浪微博">微博</a>
<a href="#" class="bds_qzone" title="分享到QQ空间">QQ空间</a></div>
<div class="print-close"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a><a href="#top">【返回顶部】</a></div>
<div class="qrcode"><img src="/images/qrcode.png" alt=""><p>扫一扫在手机打开当前页</p></div></div>"""


def prev_next(d: Detail) -> str:
    def a(label: str, pn: tuple[str, str] | None) -> str:
        if pn is None:
            return f"<p>{label}：没有了</p>"
        return f'<p>{label}：<a href="{pn[1]}">{escape(pn[0])}</a></p>'

    return f'<div class="prev-next">{a("上一篇", d.prev)}{a("下一篇", d.next)}</div>'


def related(items: list[tuple[str, str]], caption: str = "相关链接") -> str:
    if not items:
        return ""
    lis = "".join(f'<li><a href="{h}" target="_blank">{escape(t)}</a></li>' for t, h in items)
    return f'<div class="related"><h3>{caption}</h3><ul>{lis}</ul></div>'


def footer(site: str, site_id: str, icp: str, police: str) -> str:
    return f"""<div class="footer">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/sybz/">使用帮助</a> | <a href="/ysbh/">隐私声明</a></p>
<p>主办单位：{escape(site)}办公室　　承办单位：{escape(site)}大数据中心</p>
<p>网站标识码：{site_id}　　<a href="https://beian.miit.gov.cn/" target="_blank">{icp}</a>
<img src="/images/ga.png" alt="">公安机关备案号：{police}</p>
<p>建议使用1366×768分辨率，IE10以上版本浏览器浏览本网站</p>
<span id="_ideConac"><img src="/images/red.png" alt="党政机关"></span><span id="_span_jiucuo">政府网站找错</span>
</div>
<script type="text/javascript">function doZoom(s){{var z=document.getElementById('zoom');if(z){{z.style.fontSize=s+'px';}}}}</script>"""


def sidebar(items: list[tuple[str, str]], caption: str) -> str:
    lis = "".join(f'<li><a href="{h}">{escape(t)}</a></li>' for t, h in items)
    return f'<div class="sidebar"><h3>{caption}</h3><ul>{lis}</ul></div>'
