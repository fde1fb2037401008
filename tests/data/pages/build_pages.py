"""Writes the synthetic fixture pages of tests/extract (run once; the outputs are committed).

Each page imitates one template family of the portals we crawl, with the chrome kinds of the
issue placed around a small report body. Expected fields live in expected.json.
"""

from pathlib import Path

HERE = Path(__file__).parent

CHROME_TOP = """
<div class="header"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a>
<a href="/wza/">无障碍</a><a href="/en/">ENGLISH</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
"""
CHROME_BOTTOM = """
<div class="fx">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="dy"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a> <a href="#">【收藏】</a></div>
<div class="sxp"><p>上一篇：<a href="/a.html">关于开展2021年政务公开培训的通知</a></p><p>下一篇：<a href="/b.html">2021年第四季度政府网站检查情况</a></p></div>
<div class="xgxx"><h3>相关信息</h3><ul><li><a href="/c.html">2020年度政府信息公开工作年度报告</a></li></ul></div>
<div class="ewm"><img src="/qr.png"><p>扫一扫在手机上查看当前页面</p></div>
<div class="jc"><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html">我要纠错</a></div>
<div class="footer"><p>主办单位：示例县人民政府办公室 | 承办单位：示例县大数据中心</p>
<p>网站标识码：3501280001 闽ICP备12345678号 闽公网安备 35012802000123号</p><p>版权所有：示例县人民政府</p></div>
"""
BODY_2021 = """
<p style="text-indent:2em">本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制。本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。</p>
<p><strong>一、总体情况</strong></p>
<p style="text-indent:2em">2022年，示例县人民政府坚持以公开为常态、不公开为例外，主动公开政府信息1234条，依申请公开工作依法规范。</p>
<p><strong>二、主动公开政府信息情况</strong></p>
<table border="1"><tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政规范性文件</td><td>12</td><td>3</td><td>45</td></tr></table>
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>
<table border="1"><tr><td rowspan="2" colspan="2">本列数据的勾稽关系</td><td colspan="3">申请人情况</td></tr>
<tr><td>自然人</td><td>商业企业</td><td>总计</td></tr>
<tr><td colspan="2">一、本年新收政府信息公开申请数量</td><td>30</td><td>2</td><td>32</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>20</td><td>1</td><td>21</td></tr>
<tr><td>（二）部分公开</td><td>5</td><td>0</td><td>5</td></tr></table>
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
<p style="text-indent:2em">本年度行政复议1件，行政诉讼0件。</p>
<p><strong>五、存在的主要问题及改进情况</strong></p>
<p style="text-indent:2em">政策解读形式还不够丰富。下一步将加强培训。</p>
<p><strong>六、其他需要报告的事项</strong></p>
<p style="text-indent:2em">本年度未收取信息处理费。</p>
"""

PAGES = {
    "trs_report.html": ("utf-8", f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>示例县人民政府2022年政府信息公开工作年度报告_政府信息公开年报_示例县人民政府</title>
<meta name="SiteName" content="示例县人民政府"><meta name="SiteIDCode" content="3501280001">
<meta name="ArticleTitle" content="示例县人民政府2022年政府信息公开工作年度报告">
<meta name="PubDate" content="2023-01-18 09:30"><meta name="ContentSource" content="示例县人民政府办公室">
</head><body>{CHROME_TOP}
<table class="xxgk_table"><tr><td>索引号：</td><td>003527460/2023-00012</td><td>发布机构：</td><td>示例县人民政府办公室</td></tr>
<tr><td>公开方式：</td><td>主动公开</td><td>成文日期：</td><td>2023-01-16</td></tr>
<tr><td>文号：</td><td>示政办〔2023〕3号</td><td>有效性：</td><td>有效</td></tr></table>
<h1 class="article_title">示例县人民政府2022年政府信息公开工作年度报告</h1>
<div class="info">发布时间：2023-01-18 来源：示例县人民政府办公室 浏览次数：<span id="c">1024</span> 字号：[ <a>大</a> <a>中</a> <a>小</a> ]</div>
<div class="TRS_Editor">{BODY_2021}
<p style="text-align:right">示例县人民政府</p>
<p style="text-align:right">二〇二三年一月十六日</p></div>
{CHROME_BOTTOM}</body></html>"""),
    "hanweb_report.html": ("utf-8", f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>示例市交通运输局2021年度政府信息公开工作年度报告 - 示例市人民政府</title></head><body>{CHROME_TOP}
<div class="xxgk_top">索引号：11350100MB1234567X/2022-00005 主题分类：其他 发布机构：示例市交通运输局 生成日期：2022-01-20 公开方式：主动公开</div>
<table class="xxgk"><tr><th>索引号</th><td>11350100MB1234567X/2022-00005</td><th>公开范围</th><td>面向全社会</td></tr>
<tr><th>发布机构</th><td>示例市交通运输局</td><th>生成日期</th><td>2022-01-20</td></tr></table>
<div class="tabs"><span>全真版</span><span>文字版</span></div>
<div class="biaoti">示例市交通运输局2021年度政府信息公开工作年度报告</div>
<div class="info">发布日期：2022-01-21 信息来源：示例市人民政府网站 【字体：大 中 小】</div>
<div id="zoom">{BODY_2021.replace("2022", "2021").replace("示例县人民政府", "示例市交通运输局")}
<p style="text-align:right">示例市交通运输局</p><p style="text-align:right">2022.1.20</p></div>
<div class="wjxz">文件下载：<a href="/module/download/downfile.jsp?id=1">示例.ofd</a></div>
<div class="zczx"><p>政策咨询</p><p>如果您对该政策文件有疑问，请点击此处进行咨询。</p></div>
<div class="bq">标签：政府信息公开 年度报告</div>
{CHROME_BOTTOM}</body></html>"""),
    "oldtable_report.html": ("gb18030", """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>示例镇2016年政府信息公开工作年度报告</title></head><body>
<table width="1000"><tr><td class="top">您现在所在的位置：<a href="/">首页</a> &gt;&gt; 信息公开年报</td></tr>
<tr><td align="center"><b>示例镇2016年政府信息公开工作年度报告</b></td></tr>
<tr><td align="center">发布日期：2017-02-10 点击数：<b>328</b> 【字体：大 中 小】 【打印本页】 【关闭窗口】</td></tr>
<tr><td class="wz">
<p>　　根据《中华人民共和国政府信息公开条例》规定，现公布示例镇2016年度政府信息公开工作年度报告。本报告所列数据的统计期限自2016年1月1日起至2016年12月31日止。</p>
<p>　　一、概述</p>
<p>　　2016年，示例镇主动公开政府信息356条，其中通过政府网站公开300条。全年未收到政府信息公开申请。</p>
<p>　　二、主动公开政府信息情况</p>
<p>　　全镇主动公开政府信息356条，涉及财政预决算、征地拆迁、扶贫救助等内容。</p>
<p>　　三、因政府信息公开申请提起行政复议、行政诉讼情况</p>
<p>　　本年度未发生因政府信息公开引起的行政复议和行政诉讼。</p>
<p>　　四、存在的主要问题及改进措施</p>
<p>　　公开内容不够全面，下一步将完善制度。</p>
<p>&emsp;&emsp;示例镇人民政府&nbsp;&nbsp;</p><p>2017年2月8日</p>
</td></tr>
<tr><td class="foot">版权所有：示例镇人民政府 建议使用IE8以上浏览器 技术支持：示例网络公司</td></tr></table>
</body></html>"""),
    "print_copy.html": ("utf-8", f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>示例区2020年政府信息公开工作年度报告</title><meta name="PubDate" content="2021-01-25"></head><body>{CHROME_TOP}
<div class="article"><h1>示例区2020年政府信息公开工作年度报告</h1>
<div class="content">{BODY_2021.replace("2022", "2020").replace("示例县人民政府", "示例区人民政府")}<p>本年度未收取信息处理费。</p></div></div>
<div class="print-copy" style="display:none"><div class="content">{BODY_2021.replace("2022", "2020").replace("示例县人民政府", "示例区人民政府")}<p>本年度未收取信息处理费。</p></div></div>
{CHROME_BOTTOM}</body></html>"""),
    "attachment_only.html": ("utf-8", f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>示例县教育局2020年政府信息公开工作年度报告</title><meta name="PubDate" content="2021-01-29 10:00"></head><body>{CHROME_TOP}
<div class="info">发布时间：2021-01-29 来源：示例县教育局</div>
<div class="TRS_Editor"><p>附件：<a href="./P020210129123456.pdf">示例县教育局2020年政府信息公开工作年度报告.pdf</a></p></div>
{CHROME_BOTTOM}</body></html>"""),
    "news_other.html": ("utf-8", f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>图解：一图读懂示例县2022年政府信息公开工作年度报告</title></head><body>{CHROME_TOP}
<div class="TRS_Editor"><p style="text-align:center"><img src="/yt.jpg"></p>
<p>一图读懂示例县2022年政府信息公开工作，本文为图解。</p></div>{CHROME_BOTTOM}</body></html>"""),
    "ucap_wrong_charset.html": ("gb18030", f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>示例县发展和改革局二〇一九年政府信息公开工作年度报告</title></head><body>{CHROME_TOP}
<ucaptitle>示例县发展和改革局二〇一九年政府信息公开工作年度报告</ucaptitle>
<publishtime>发布时间：2020-01-15</publishtime>
<ucapcontent>{BODY_2021.replace("2022", "2019").replace("示例县人民政府", "县发展和改革局")}
<p>示例县发展和改革局</p><p>2020年1月10日</p></ucapcontent>{CHROME_BOTTOM}</body></html>"""),
}

if __name__ == "__main__":
    for name, (encoding, text) in PAGES.items():
        (HERE / name).write_bytes(text.encode(encoding))
